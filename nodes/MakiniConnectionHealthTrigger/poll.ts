/**
 * One poll: observe, compare with what the trigger remembers, emit on changes only.
 *
 * A failing poll (Makini unreachable, the System API client refused) is emitted once as
 * a `poll_error` item and then stays quiet until polling works again, which is emitted
 * once as `poll_recovered`. Throwing instead would put a failed execution into the list
 * every minute for as long as the outage lasts; a manual run does throw, so that the
 * builder sees the error in the editor.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { asNodeError } from '../shared/nodeError';
import { AUTHENTICATION_VALUE } from '../shared/registry/kinds';
import { isoAt } from '../shared/time';
import { errorItemJson } from '../shared/transport';
import { observeAll, observeCurrent, type Observation, type StatusSource } from './observe';
import { ALERT_KINDS, DEFAULT_OVERDUE_HOURS, type AlertKind } from './properties';
import { assess, isOk, stateWords, type Assessment, type ConnectionMemory, type ConnectionState } from './states';
import { onePollAtATime, storedRevision, writeForward } from '../shared/pollGuard';
import { fromStoredEntries, toStoredEntries, type StoredEntries } from '../shared/storedMap';
import { SAMPLE_CONNECTION, SAMPLE_POLL_ERROR, sampleCases } from './samples';
import { readSelection, type ConnectionSelection } from '../shared/watchConnections';

const STATE_KEY = 'makiniConnectionHealth';

/** A vanished connection is forgotten after this long. */
const FORGET_AFTER_MS = 30 * 24 * 3_600_000;

interface HealthMemory {
	scope: string;
	/** A poll has observed the connections once: the baseline is taken. */
	initialized?: boolean;
	/** Connection id → what is remembered of it (ids are Makini's: a Map, see shared/storedMap). */
	connections: Map<string, ConnectionMemory>;
	pollError?: { since: string; message: string };
}

/** HealthMemory as static data holds it (JSON). */
type StoredHealthMemory = Omit<HealthMemory, 'connections'> & { connections: StoredEntries<ConnectionMemory> };

const isConnectionMemory = (value: unknown): value is ConnectionMemory =>
	value !== null && typeof value === 'object' && typeof (value as ConnectionMemory).state === 'string';

type ItemKind = AlertKind | 'poll_recovered' | 'current_state';

function loadMemory(ctx: IPollFunctions, scope: string): HealthMemory | undefined {
	const stored = ctx.getWorkflowStaticData('node')[STATE_KEY] as StoredHealthMemory | undefined;
	if (!stored || stored.scope !== scope) return undefined;
	const connections = fromStoredEntries(stored.connections, isConnectionMemory);
	return connections ? { ...stored, connections } : undefined;
}

/**
 * Stores the memory over the revision the poll read (see shared/pollGuard). When another
 * poll stored since, its memory is newer: this poll's is dropped with its items, which
 * would otherwise report again what that poll reported.
 */
function saveMemory(ctx: IPollFunctions, memory: HealthMemory, readRevision: number): boolean {
	const stored: StoredHealthMemory = { ...memory, connections: toStoredEntries(memory.connections) };
	if (writeForward(ctx.getWorkflowStaticData('node'), STATE_KEY, readRevision, stored as unknown as IDataObject)) return true;
	ctx.logger.warn(`${ctx.getNode().name}: another poll stored newer connection states while this one ran; this poll's result is dropped`);
	return false;
}

/** The last state reported to the workflow: the open problem, else the last state seen. */
function reportedState(memory: ConnectionMemory | undefined): ConnectionState | undefined {
	return memory?.problem ?? memory?.state;
}

/**
 * The alert for a change, if any: a new problem, or back to healthy after one. A sync
 * in progress neither ends a problem nor starts one, so a failing connection that
 * retries and fails again is reported once.
 */
function alertKindOf(memory: ConnectionMemory | undefined, current: ConnectionState): AlertKind | undefined {
	if (current === 'syncing') return undefined;
	if (current === 'healthy') return memory?.problem ? 'recovered' : undefined;
	return reportedState(memory) === current ? undefined : (current as AlertKind);
}

function label(observation: Observation, memory: ConnectionMemory | undefined): string {
	const name = observation.name ?? memory?.name;
	const provider = observation.provider ?? memory?.provider;
	const id = connectionIdOf(observation, memory);
	return `${name ?? `Connection ${id}`}${provider ? ` (${provider})` : ''}`;
}

function connectionIdOf(observation: Observation, memory: ConnectionMemory | undefined): string {
	const raw = observation.raw.id ?? (observation.raw.integration as IDataObject | undefined)?.id;
	if (observation.id !== 'current') return observation.id;
	return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : (memory?.id ?? 'current');
}

function headline(kind: ItemKind, who: string, previous: ConnectionState | undefined, assessment: Assessment): string {
	switch (kind) {
		case 'recovered':
			return `${who} is ${stateWords(assessment.state)} again (was ${stateWords(previous)})`;
		case 'current_state':
			return `${who} is ${stateWords(assessment.state)}`;
		default:
			return `${who}: ${stateWords(assessment.state)}`;
	}
}

function transitionItem(
	kind: ItemKind,
	observation: Observation,
	memory: ConnectionMemory | undefined,
	assessment: Assessment,
	detectedAt: string,
): IDataObject {
	const previous = kind === 'current_state' ? undefined : reportedState(memory);
	return {
		kind,
		connectionId: connectionIdOf(observation, memory),
		connectionName: observation.name ?? memory?.name ?? null,
		provider: observation.provider ?? memory?.provider ?? null,
		previousState: previous ?? null,
		currentState: assessment.state,
		since: assessment.since,
		detectedAt,
		lastSuccessfulSyncAt: assessment.lastSuccessAt ?? null,
		message: `${headline(kind, label(observation, memory), previous, assessment)}. ${assessment.explanation}`,
		nextStep: assessment.nextStep,
		syncStatus: observation.syncStatus ?? null,
		rawStatus: observation.raw,
	};
}

/**
 * What to remember of a connection. A problem is remembered when it was reported (or
 * found on activation), so that "back to healthy" follows only problems the workflow
 * was told about.
 */
function remember(
	observation: Observation,
	memory: ConnectionMemory | undefined,
	assessment: Assessment,
	now: string,
	tracked: boolean,
): ConnectionMemory {
	const { state } = assessment;
	const problem = state === 'healthy' ? undefined : isOk(state) || !tracked ? memory?.problem : state;
	return {
		state: assessment.state,
		problem,
		since: assessment.since,
		lastSuccessAt: assessment.lastSuccessAt,
		watchingSince: memory?.watchingSince ?? now,
		id: connectionIdOf(observation, memory),
		name: observation.name ?? memory?.name,
		provider: observation.provider ?? memory?.provider,
	};
}

function readSettings(ctx: IPollFunctions) {
	const mode = ctx.getNodeParameter('authentication', AUTHENTICATION_VALUE.makiniApi) as string;
	const alerts = new Set(ctx.getNodeParameter('alerts', [...ALERT_KINDS]) as string[]);
	const hours = alerts.has('sync_overdue') ? ctx.getNodeParameter('overdueHours', DEFAULT_OVERDUE_HOURS) : 0;
	if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
		throw new NodeOperationError(ctx.getNode(), 'The parameter "Sync Overdue After (Hours)" must be a number of 0 or more');
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const acrossConnections = mode === AUTHENTICATION_VALUE.makiniSystemApi;
	const source = (acrossConnections ? (options.statusSource ?? 'auto') : 'current') as StatusSource | 'current';
	const testEvent = options.testEvent === 'currentState' ? 'currentState' : 'samples';
	const selection: ConnectionSelection | undefined = acrossConnections ? readSelection(ctx) : undefined;
	return { mode, alerts, overdueMs: hours * 3_600_000, emitCurrentState: options.emitCurrentState === true, source, testEvent, selection };
}

function pollErrorItem(kind: 'poll_error' | 'poll_recovered', since: string, now: string, error?: unknown): IDataObject {
	if (kind === 'poll_recovered') {
		return {
			kind,
			since,
			detectedAt: now,
			message: `Polling Makini works again (it failed from ${since}). Connection alerts resume; changes during the outage are reported now.`,
			nextStep: 'Nothing to do.',
		};
	}
	const details = errorItemJson(error);
	return {
		kind,
		since,
		detectedAt: now,
		message: `Polling Makini failed: ${String(details.error)}. This is reported once; the trigger keeps polling and reports when it works again.`,
		nextStep:
			typeof details.description === 'string' && details.description
				? details.description
				: 'Check that Makini is reachable from n8n and that the credential is valid.',
		error: details,
	};
}

/** A connection first seen failing: no state known yet, so none to alert on. */
function unknownMemory(observation: Observation, now: string): ConnectionMemory {
	return { state: 'syncing', since: now, watchingSince: now, id: observation.id, name: observation.name, provider: observation.provider };
}

/** One connection could not be read (or can again), while the others were: named in the item. */
function connectionPollItem(
	kind: 'poll_error' | 'poll_recovered',
	observation: Observation,
	memory: ConnectionMemory | undefined,
	since: string,
	now: string,
	error?: unknown,
): IDataObject {
	const item = pollErrorItem(kind, since, now, error);
	const who = label(observation, memory);
	const message =
		kind === 'poll_error'
			? `Reading ${who} failed: ${String((item.error as IDataObject).error)}. Reported once; the other connections are watched as before, and this one is reported when it can be read again.`
			: `${who} can be read again (it failed from ${since}). Its alerts resume.`;
	return {
		...item,
		connectionId: connectionIdOf(observation, memory),
		connectionName: observation.name ?? memory?.name ?? null,
		provider: observation.provider ?? memory?.provider ?? null,
		message,
	};
}

export async function pollConnectionHealth(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	if (this.getMode() === 'manual') return await pollOnce(this, settings, true);
	return await onePollAtATime(this, async () => await pollOnce(this, settings, false));
}

async function pollOnce(ctx: IPollFunctions, settings: ReturnType<typeof readSettings>, manual: boolean): Promise<INodeExecutionData[][] | null> {
	const scope = JSON.stringify([settings.mode, settings.source]);
	// The selection is not part of the scope: a connection watched before and after a change of it keeps its state.
	const revision = storedRevision(ctx.getWorkflowStaticData('node'), STATE_KEY);
	const stored = loadMemory(ctx, scope);
	const now = Date.now();
	const nowIso = isoAt(now);

	let observations: Observation[];
	try {
		observations =
			settings.mode === AUTHENTICATION_VALUE.makiniSystemApi
				? await observeAll(ctx, settings.source as StatusSource, [...(stored?.connections.keys() ?? [])], settings.selection)
				: await observeCurrent(ctx);
	} catch (error) {
		if (manual || !(error instanceof NodeApiError)) throw asNodeError(ctx.getNode(), error);
		if (stored?.pollError) return null;
		const memory: HealthMemory = stored ?? { scope, connections: new Map() };
		memory.pollError = { since: nowIso, message: (error as Error).message };
		if (!saveMemory(ctx, memory, revision)) return null;
		return settings.alerts.has('poll_error') ? [[{ json: pollErrorItem('poll_error', nowIso, nowIso, error) }]] : null;
	}

	const items: IDataObject[] = [];
	const first = !stored?.initialized;
	const previous = stored?.connections ?? new Map<string, ConnectionMemory>();
	const next = new Map<string, ConnectionMemory>();
	for (const observation of observations) {
		const memory = previous.get(observation.id);
		if (observation.failed !== undefined) {
			// The builder is looking at a manual run: show the error.
			if (manual) throw asNodeError(ctx.getNode(), observation.failed);
			const pollError = memory?.pollError ?? { since: nowIso, message: (observation.failed as Error)?.message ?? String(observation.failed) };
			if (!memory?.pollError && settings.alerts.has('poll_error')) {
				items.push(connectionPollItem('poll_error', observation, memory, pollError.since, nowIso, observation.failed));
			}
			// What is known of it stays as it was, so its next reading is judged against it.
			next.set(observation.id, { ...(memory ?? unknownMemory(observation, nowIso)), pollError });
			continue;
		}
		if (memory?.pollError && !manual && settings.alerts.has('poll_error')) {
			items.push(connectionPollItem('poll_recovered', observation, memory, memory.pollError.since, nowIso));
		}
		const assessment = assess(observation, memory, now, settings.overdueMs);
		if (manual || (first && settings.emitCurrentState)) {
			items.push(transitionItem('current_state', observation, memory, assessment, nowIso));
		} else if (!first || memory) {
			const kind = alertKindOf(memory, assessment.state);
			// A connection that appears in a bad state is reported; one that appears healthy is not.
			if (kind && settings.alerts.has(kind)) items.push(transitionItem(kind, observation, memory, assessment, nowIso));
		}
		const tracked = first || settings.alerts.has(assessment.state);
		next.set(observation.id, remember(observation, memory, assessment, nowIso, tracked));
		if (observation.gone && memory?.state === 'disconnected' && now - Date.parse(memory.since) > FORGET_AFTER_MS) {
			next.delete(observation.id);
		}
	}
	if (manual && settings.testEvent === 'samples') return [sampleItems(settings, observations[0], now).map((json) => ({ json }))];
	if (manual) return items.length ? [items.map((json) => ({ json }))] : null;

	if (stored?.pollError && settings.alerts.has('poll_error')) {
		items.unshift(pollErrorItem('poll_recovered', stored.pollError.since, nowIso));
	}
	if (!saveMemory(ctx, { scope, initialized: true, connections: next }, revision)) return null;
	return items.length ? [items.map((json) => ({ json }))] : null;
}

/**
 * Fetch Test Event's items: a sample of each selected alert for the first watched
 * connection (see samples.ts), judged and built as a poll would report it.
 */
function sampleItems(settings: ReturnType<typeof readSettings>, observed: Observation | undefined, now: number): IDataObject[] {
	const nowIso = isoAt(now);
	const items: IDataObject[] = [];
	for (const sample of sampleCases(observed ?? SAMPLE_CONNECTION, settings.alerts, now, settings.overdueMs)) {
		const assessment = assess(sample.observation, sample.memory, now, sample.overdueMs);
		const kind = alertKindOf(sample.memory, assessment.state);
		if (kind) items.push(transitionItem(kind, sample.observation, sample.memory, assessment, nowIso));
	}
	if (settings.alerts.has('poll_error')) {
		const since = isoAt(now - 10 * 60_000);
		items.push(pollErrorItem('poll_error', since, since, SAMPLE_POLL_ERROR), pollErrorItem('poll_recovered', since, nowIso));
	}
	return items;
}
