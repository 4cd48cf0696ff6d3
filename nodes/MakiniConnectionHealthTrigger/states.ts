/**
 * A connection's state from one observation and what the trigger remembers of it.
 * The four health words come from the shared verdict the Makini node's Connection →
 * Get Status also gives; this adds disconnected and sync overdue, which need more than
 * one reading (the last success seen) or the System API's view.
 */
import { healthOf, type ConnectionHealth } from '../shared/health';
import { isInactiveStatus, type Observation } from './observe';
import { instant, isoAt } from '../shared/time';

export type ConnectionState = ConnectionHealth | 'disconnected' | 'sync_overdue';

/** States that raise no alert: a connection between syncs, or in one. */
export function isOk(state: ConnectionState | undefined): boolean {
	return state === 'healthy' || state === 'syncing';
}

export interface ConnectionMemory {
	state: ConnectionState;
	/** The problem last reported and not yet recovered from (a sync in progress does not end it). */
	problem?: ConnectionState;
	/** Since when the connection is in this state. */
	since: string;
	/** The last time a sync was seen to have succeeded (done / fulldone). */
	lastSuccessAt?: string;
	/** When the trigger first saw the connection: the reference for "overdue" until a success is seen. */
	watchingSince: string;
	id?: string;
	name?: string;
	provider?: string;
	/** Reading this connection fails (with the System API, while others are read): since when, and why. */
	pollError?: { since: string; message: string };
}

export interface Assessment {
	state: ConnectionState;
	since: string;
	lastSuccessAt?: string;
	explanation: string;
	nextStep: string;
}

const RECONNECT =
	'Reconnect the system through Makini Link (or the Makini dashboard); if Makini issues a new API token, put it into the n8n credential.';

function hoursText(ms: number): string {
	const hours = ms / 3_600_000;
	return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.round(hours * 10) / 10} hours`;
}

export function assess(observation: Observation, memory: ConnectionMemory | undefined, now: number, overdueMs: number): Assessment {
	const nowIso = isoAt(now);
	// Keeps the start of a state across polls; a new state starts at `start`.
	const sinceFor = (state: ConnectionState, start: string) => (memory?.state === state ? memory.since : start);

	if (observation.gone || isInactiveStatus(observation.connectionStatus)) {
		return {
			state: 'disconnected',
			since: sinceFor('disconnected', nowIso),
			lastSuccessAt: memory?.lastSuccessAt,
			explanation: observation.gone
				? 'The connection is no longer listed by Makini: it was disconnected or deleted. Its tokens stop working and no data syncs; data already synced stays.'
				: `Makini reports the connection as "${observation.connectionStatus}": no data syncs and its tokens stop working.`,
			nextStep: `${RECONNECT} Workflows using the old connection's token need the new one.`,
		};
	}
	if (observation.rejected !== undefined || /reauth/i.test(observation.connectionStatus ?? '')) {
		return {
			state: 'reauthorization_required',
			since: sinceFor('reauthorization_required', observation.syncUpdatedAt ?? nowIso),
			lastSuccessAt: memory?.lastSuccessAt,
			explanation:
				observation.rejected !== undefined
					? 'Makini no longer accepts the connection’s API token (401): the connection needs reauthorization, or it was disconnected or the token revoked or expired.'
					: healthOf('fail').explanation,
			nextStep: RECONNECT,
		};
	}

	const verdict = healthOf(observation.syncStatus);
	const syncedAt = observation.syncUpdatedAt ?? nowIso;
	const lastSuccessAt = verdict.health === 'healthy' ? syncedAt : memory?.lastSuccessAt;
	if (verdict.health === 'sync_failed' || verdict.health === 'reauthorization_required') {
		return {
			state: verdict.health,
			since: sinceFor(verdict.health, syncedAt),
			lastSuccessAt,
			explanation: verdict.explanation,
			nextStep: verdict.health === 'reauthorization_required' ? RECONNECT : verdict.nextStep,
		};
	}
	const reference = lastSuccessAt ?? memory?.watchingSince ?? nowIso;
	const quietFor = now - (instant(reference) ?? now);
	if (overdueMs > 0 && quietFor > overdueMs) {
		return {
			state: 'sync_overdue',
			since: reference,
			lastSuccessAt,
			explanation: `No successful sync ${lastSuccessAt ? `since ${lastSuccessAt}` : 'since the trigger started watching'} (${hoursText(quietFor)}, more than the ${hoursText(overdueMs)} allowed)${
				verdict.health === 'syncing' ? '; a sync is reported in progress' : ''
			}.`,
			nextStep:
				'Open the connection in the Makini dashboard: a sync may be stuck or its schedule paused. Start a manual sync there; if none succeeds, contact Makini support.',
		};
	}
	return {
		state: verdict.health,
		since: sinceFor(verdict.health, verdict.health === 'healthy' ? syncedAt : nowIso),
		lastSuccessAt,
		explanation: verdict.explanation,
		nextStep: verdict.nextStep,
	};
}

const STATE_WORDS: Record<ConnectionState, string> = {
	healthy: 'healthy',
	syncing: 'syncing',
	sync_failed: 'sync failed',
	reauthorization_required: 'reauthorization required',
	disconnected: 'disconnected',
	sync_overdue: 'sync overdue',
};

export function stateWords(state: ConnectionState | undefined): string {
	return state ? STATE_WORDS[state] : 'unknown';
}
