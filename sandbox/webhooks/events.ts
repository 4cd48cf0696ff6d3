/**
 * Webhook event names. Entity events follow the documented sample ("assets.updated"):
 * `<sites|assets|purchase-orders|work-orders>.<inserted|updated>`. Connection events are
 * not named in Makini's docs; these names are the sandbox's choice, exported so the
 * trigger and the tests use the same ones.
 */

export const ENTITY_WEBHOOK_COLLECTIONS = ['sites', 'assets', 'purchase-orders', 'work-orders'] as const;
export type EntityWebhookCollection = (typeof ENTITY_WEBHOOK_COLLECTIONS)[number];

export const ENTITY_EVENTS = ENTITY_WEBHOOK_COLLECTIONS.flatMap((c) => [`${c}.inserted`, `${c}.updated`]);

export const CONNECTION_EVENTS = {
	syncCompleted: 'connection.sync_completed',
	syncFailed: 'connection.sync_failed',
	reauthorizationRequired: 'connection.reauthorization_required',
	statusChanged: 'connection.status_changed',
	systemError: 'connection.system_error',
} as const;

export type ConnectionEvent = (typeof CONNECTION_EVENTS)[keyof typeof CONNECTION_EVENTS];

export function isConnectionEvent(event: string): event is ConnectionEvent {
	return (Object.values(CONNECTION_EVENTS) as string[]).includes(event);
}

export function entityEvent(collection: string, kind: 'inserted' | 'updated'): string | undefined {
	return (ENTITY_WEBHOOK_COLLECTIONS as readonly string[]).includes(collection) ? `${collection}.${kind}` : undefined;
}
