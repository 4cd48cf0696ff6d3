/**
 * What "Fetch Test Event" shows: one sample item per alert the trigger is set to report,
 * so a builder can map an alert's fields before any connection fails. Each sample is a
 * real observation of the watched connection with its sync status changed to what that
 * alert reports, judged and turned into an item by the same code a poll uses (poll.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { isoAt } from '../shared/time';
import type { Observation } from './observe';
import type { AlertKind } from './properties';
import type { ConnectionMemory, ConnectionState } from './states';

/** One sample: the alert, the observation that raises it and what the trigger remembered before. */
export interface SampleCase {
	kind: Exclude<AlertKind, 'poll_error'>;
	observation: Observation;
	memory: ConnectionMemory;
	/** The Sync Overdue threshold the sample is judged with. */
	overdueMs: number;
}

const HOUR_MS = 3_600_000;

/** A connection as seen when no real one was observed (a System API client with none yet). */
export const SAMPLE_CONNECTION: Observation = {
	id: 'sample-connection',
	name: 'Sample connection',
	provider: 'Sample CMMS',
	syncStatus: 'done',
	raw: {},
};

/** The sample's error for "Polling Failed": what the transport reports when Makini is unavailable. */
export const SAMPLE_POLL_ERROR = {
	message: 'Makini or the connected system failed after 3 attempts (503 SERVICE_UNAVAILABLE)',
	description:
		'Makini says: Service temporarily unavailable (sample item).\nThis is usually transient and was retried where that was safe. Try again later; if it persists, send Makini support the request ID.',
	httpCode: '503',
	context: { makiniCode: 'SERVICE_UNAVAILABLE', requestId: 'req_sample' },
};

/** Sets the Makini fields a sample changes wherever the raw answer carries them (a list row, its integration). */
function rawWith(raw: IDataObject, fields: IDataObject): IDataObject {
	const next: IDataObject = { ...raw, ...fields };
	const integration = raw.integration;
	if (integration && typeof integration === 'object' && !Array.isArray(integration)) {
		next.integration = { ...(integration as IDataObject), ...fields };
	}
	return next;
}

function observed(base: Observation, syncStatus: string, syncUpdatedAt: string, connectionStatus?: string): Observation {
	const status = connectionStatus ?? (base.connectionStatus && !/disconnect|inactive|deleted|revoked|removed/i.test(base.connectionStatus) ? base.connectionStatus : undefined);
	const fields: IDataObject = { sync_status: syncStatus, sync_updated_at: syncUpdatedAt };
	if (status !== undefined) fields.status = status;
	return {
		id: base.id,
		name: base.name,
		provider: base.provider,
		syncStatus,
		syncUpdatedAt,
		connectionStatus: status,
		raw: rawWith(base.raw, fields),
	};
}

function memoryOf(base: Observation, state: ConnectionState, since: string, lastSuccessAt: string, watchingSince: string): ConnectionMemory {
	return {
		state,
		problem: state === 'healthy' ? undefined : state,
		since,
		lastSuccessAt,
		watchingSince,
		id: base.id === 'current' ? undefined : base.id,
		name: base.name,
		provider: base.provider,
	};
}

/**
 * The samples for the selected alerts (in the Alerts parameter's order of ALERT_KINDS),
 * for one observed connection at `now`. Sync Overdue uses the configured threshold, or a
 * day when it is off.
 */
export function sampleCases(base: Observation, kinds: ReadonlySet<string>, now: number, overdueMs: number): SampleCase[] {
	const at = (msAgo: number) => isoAt(now - msAgo);
	const threshold = overdueMs > 0 ? overdueMs : 24 * HOUR_MS;
	const healthyBefore = memoryOf(base, 'healthy', at(2 * HOUR_MS), at(2 * HOUR_MS), at(threshold + 2 * HOUR_MS));
	const cases: Array<Omit<SampleCase, 'overdueMs'>> = [
		{ kind: 'sync_failed', observation: observed(base, 'error', at(60_000)), memory: healthyBefore },
		{ kind: 'reauthorization_required', observation: observed(base, 'fail', at(60_000)), memory: healthyBefore },
		{ kind: 'disconnected', observation: observed(base, 'done', at(2 * HOUR_MS), 'disconnected'), memory: healthyBefore },
		{
			kind: 'sync_overdue',
			observation: observed(base, 'done', at(threshold + HOUR_MS)),
			memory: memoryOf(base, 'healthy', at(threshold + HOUR_MS), at(threshold + HOUR_MS), at(threshold + 2 * HOUR_MS)),
		},
		{
			kind: 'recovered',
			observation: observed(base, 'done', at(60_000)),
			memory: memoryOf(base, 'sync_failed', at(HOUR_MS), at(3 * HOUR_MS), at(threshold + 2 * HOUR_MS)),
		},
	];
	return cases.filter((c) => kinds.has(c.kind)).map((c) => ({ ...c, overdueMs: threshold }));
}
