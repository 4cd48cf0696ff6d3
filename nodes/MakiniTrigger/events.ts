/**
 * Makini's webhook events: the documented entity events (`assets.updated` in Makini's
 * sample), the connection events Makini's FAQ lists without naming them, and the
 * normalisation that maps the spellings seen in the wild onto one canonical name.
 */

import { withArticle } from '../shared/article';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const ALL_EVENTS = '*';

/** Entity events: collection slug as in the documented sample, entity as the Makini node names its resource. */
export const ENTITY_COLLECTIONS = [
	{ slug: 'sites', entity: 'site', label: 'Site' },
	{ slug: 'assets', entity: 'asset', label: 'Asset' },
	{ slug: 'purchase-orders', entity: 'purchaseOrder', label: 'Purchase Order' },
	{ slug: 'work-orders', entity: 'workOrder', label: 'Work Order' },
] as const;

export const ENTITY_ACTIONS = [
	{ action: 'inserted', label: 'Inserted' },
	{ action: 'updated', label: 'Updated' },
] as const;

/** Connection events. Makini does not name them; the canonical names are the sandbox's. */
export const CONNECTION_EVENTS = [
	{ action: 'sync_completed', label: 'Sync Completed', aliases: ['sync_complete', 'sync_succeeded', 'sync_success', 'sync_done', 'synced'] },
	{ action: 'sync_failed', label: 'Sync Failed', aliases: ['sync_failure', 'sync_error'] },
	{
		action: 'reauthorization_required',
		label: 'Reauthorization Required',
		aliases: ['reauth_required', 'needs_reauthorization', 'reauthorization_needed', 'requires_reauthorization', 'reauthorize'],
	},
	{ action: 'status_changed', label: 'Status Changed', aliases: ['status_change', 'status_updated', 'online', 'offline'] },
	{ action: 'system_error', label: 'System Error', aliases: ['error', 'system_failure'] },
] as const;

export interface EventOption {
	name: string;
	value: string;
	description: string;
}

/** The Events multi-select: All Events first, then every documented event. */
export function eventOptions(): EventOption[] {
	const options: EventOption[] = [
		{ name: 'All Events', value: ALL_EVENTS, description: 'Every event, including ones Makini adds later' },
	];
	for (const c of ENTITY_COLLECTIONS) {
		for (const a of ENTITY_ACTIONS) {
			options.push({
				name: `${c.label} ${a.label}`,
				value: `${c.slug}.${a.action}`,
				description: `${capitalised(withArticle(c.label.toLowerCase()))} was ${a.action} (the payload lists the keys)`,
			});
		}
	}
	for (const e of CONNECTION_EVENTS) {
		options.push({
			name: `Connection ${e.label}`,
			value: `connection.${e.action}`,
			description: `The connection reported: ${e.label.toLowerCase()}`,
		});
	}
	// n8n lists a multi-options parameter's items by name.
	return options.sort((a, b) => a.name.localeCompare(b.name));
}

export interface NormalisedEvent {
	/** Canonical name (`work-orders.updated`, `connection.sync_failed`), or the name as received when unknown. */
	name: string;
	/** Whether the name maps onto a documented event. */
	known: boolean;
	/** `workOrder`, `asset`, ... (the Makini node's resource names), `connection`, or null when unknown. */
	entity: string | null;
	/** `inserted`, `updated`, `deleted`, `sync_failed`, ... or null when unknown. */
	action: string | null;
}

/** Lower-case word tokens of an event name: `workOrders.Updated` → [work, orders, updated]. */
function tokens(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

const collectionByCompact = new Map<string, (typeof ENTITY_COLLECTIONS)[number]>();
for (const c of ENTITY_COLLECTIONS) {
	const compact = c.slug.replace(/-/g, '');
	collectionByCompact.set(compact, c);
	collectionByCompact.set(compact.replace(/s$/, ''), c);
}

const ENTITY_ACTION_ALIASES: Record<string, string> = {
	inserted: 'inserted',
	insert: 'inserted',
	created: 'inserted',
	create: 'inserted',
	updated: 'updated',
	update: 'updated',
	changed: 'updated',
	// Announced by Makini but not delivered today: recognised, not offered in the list.
	deleted: 'deleted',
	delete: 'deleted',
};

const connectionActionByAlias = new Map<string, string>();
for (const e of CONNECTION_EVENTS) {
	connectionActionByAlias.set(e.action, e.action);
	for (const alias of e.aliases) connectionActionByAlias.set(alias, e.action);
}

/** Maps any accepted spelling of an event onto its canonical name. */
export function normaliseEvent(received: unknown): NormalisedEvent {
	const name = typeof received === 'string' ? received.trim() : '';
	const unknownEvent: NormalisedEvent = { name, known: false, entity: null, action: null };
	const words = tokens(name);
	if (words.length < 2) return unknownEvent;

	const last = words[words.length - 1];
	const collection = collectionByCompact.get(words.slice(0, -1).join(''));
	const entityAction = ENTITY_ACTION_ALIASES[last];
	if (collection && entityAction) {
		return { name: `${collection.slug}.${entityAction}`, known: true, entity: collection.entity, action: entityAction };
	}

	// `connection.sync_completed`, `sync.completed`, `connection.syncCompleted`, ...
	const rest = words[0] === 'connection' ? words.slice(1) : words;
	const connectionAction = connectionActionByAlias.get(rest.join('_'));
	if (connectionAction) {
		return { name: `connection.${connectionAction}`, known: true, entity: 'connection', action: connectionAction };
	}
	return unknownEvent;
}

/** Whether an event passes the Events selection: unknown names pass only with All Events. */
export function isEventSelected(event: NormalisedEvent, selected: readonly string[]): boolean {
	if (selected.includes(ALL_EVENTS)) return true;
	return event.known && selected.includes(event.name);
}
