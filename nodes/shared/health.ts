/**
 * A connection's health in four words a builder can branch on, from Makini's
 * `sync_status` (GET /api/integrations/current): `inprogress`, `done`, `fulldone`,
 * `error`, `fail`. Shared by the Makini node (Connection → Get Status) and the
 * connection-health trigger, so both say the same thing about the same state.
 */
import type { IDataObject } from 'n8n-workflow';

export type ConnectionHealth = 'healthy' | 'syncing' | 'sync_failed' | 'reauthorization_required';

export const CONNECTION_HEALTHS: readonly ConnectionHealth[] = [
	'healthy',
	'syncing',
	'sync_failed',
	'reauthorization_required',
];

export interface HealthVerdict {
	health: ConnectionHealth;
	/** What the state means, in one sentence. */
	explanation: string;
	/** What to do about it. */
	nextStep: string;
}

const VERDICTS: Record<ConnectionHealth, Omit<HealthVerdict, 'health'>> = {
	healthy: {
		explanation: 'The last synchronisation with the connected system finished successfully.',
		nextStep: 'Nothing to do.',
	},
	syncing: {
		explanation: 'A synchronisation with the connected system is under way; data may be incomplete until it ends.',
		nextStep: 'Wait for the sync to finish (check again later) before relying on recently changed data.',
	},
	sync_failed: {
		explanation: 'The last synchronisation with the connected system failed; Makini retries on its schedule.',
		nextStep:
			'Check again after the next scheduled sync; if it keeps failing, look at the connection in the Makini dashboard or contact Makini support.',
	},
	reauthorization_required: {
		explanation: 'The connected system rejected the credentials Makini holds for it (sync status "fail").',
		nextStep:
			'Ask the customer to reconnect the system through Makini Link; until then no data syncs and API calls may be refused.',
	},
};

/** The verdict for a `sync_status` value. A status Makini has not documented counts as a failed sync. */
export function healthOf(syncStatus: unknown): HealthVerdict {
	const status = typeof syncStatus === 'string' ? syncStatus.trim().toLowerCase() : '';
	let health: ConnectionHealth;
	if (status === 'done' || status === 'fulldone') health = 'healthy';
	else if (status === 'inprogress' || status === 'in_progress' || status === '') health = 'syncing';
	else if (status === 'fail') health = 'reauthorization_required';
	else health = 'sync_failed';
	const verdict = { health, ...VERDICTS[health] };
	if (health === 'sync_failed' && status !== 'error') {
		verdict.explanation = `Makini reported the undocumented sync status "${String(syncStatus)}"; treated as a failed sync.`;
	}
	if (health === 'syncing' && status === '') {
		verdict.explanation = 'Makini reports no sync status yet: the first synchronisation has not finished.';
	}
	return verdict;
}

/** The connection record with the verdict added beside the raw fields. */
export function withHealth(integration: IDataObject): IDataObject {
	const verdict = healthOf(integration.sync_status);
	return {
		...integration,
		health: verdict.health,
		healthExplanation: verdict.explanation,
		nextStep: verdict.nextStep,
	};
}
