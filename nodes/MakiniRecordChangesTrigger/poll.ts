/**
 * One poll: on activation, a cursor at Makini's newest record (or N days back); then
 * the changes since the cursor. A manual run ("Fetch Test Event") returns a few recent
 * records and leaves the cursor alone. With the System API credential the same runs once
 * per watched connection (connections.ts), each on its own cursor.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { buildListQuery, makiniApiRequest, pageRecords } from '../shared/transport';
import { readChanges, startCursor, type Change, type ChangeKind, type ReadPlan } from './changes';
import { conditionsSignature, passesLocal, readConditions, type Conditions } from './conditions';
import { onePollAtATime } from '../shared/pollGuard';
import { cursorKey, cursorRevision, loadCursor, saveCursor, type RecordCursor, type SnapshotCursor } from './cursor';
import { DEFAULT_MAX_RECORDS } from './properties';
import { watchedResource, type WatchedResource } from './resources';
import { compareSnapshot, readSnapshot } from './snapshot';
import { DAY_MS, instant, isoAt } from '../shared/time';
import { AUTHENTICATION_VALUE } from '../shared/registry/kinds';
import { pollConnections, sampleConnections } from './connections';

export type Wanted = 'newOrUpdated' | ChangeKind;

/** How many records a manual run shows, read from one page of this size. */
const SAMPLE_SIZE = 5;
const SAMPLE_PAGE = 50;

function numberOption(ctx: IPollFunctions, options: IDataObject, name: string, label: string, fallback: number, min: number): number {
	const value = options[name] ?? fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
		throw new NodeOperationError(ctx.getNode(), `The option "${label}" must be a number of at least ${min}`);
	}
	return value;
}

export function toItems(changes: Change[]): INodeExecutionData[][] | null {
	if (!changes.length) return null;
	return [changes.map(({ record, change }) => ({ json: { ...record, makiniChange: change } }))];
}

/** A manual run's sample: the most recently changed (or created) matching records. */
export async function sample(ctx: IPollFunctions, watched: WatchedResource, conditions: Conditions, wanted: Wanted): Promise<Change[]> {
	const byCreation = watched.tracking === 'createdAt' || (wanted === 'new' && watched.hasCreatedAt);
	const sortField = watched.tracking === 'snapshot' ? undefined : byCreation ? 'createdAt' : 'updatedAt';
	const query = buildListQuery({
		filters: conditions.server,
		match: 'all',
		sort: sortField ? [{ field: sortField, direction: 'desc' }] : [],
	});
	query.per_page = SAMPLE_PAGE;
	const records = pageRecords(await makiniApiRequest.call(ctx, { method: 'GET', path: watched.list.path, query }));
	return records
		.filter((record) => passesLocal(conditions, record))
		.slice(0, SAMPLE_SIZE)
		.map((record) => {
			let change: ChangeKind;
			if (byCreation || watched.tracking === 'snapshot' || wanted !== 'newOrUpdated') change = wanted === 'updated' ? 'updated' : 'new';
			else change = instant(record.createdAt) === instant(record.updatedAt) ? 'new' : 'updated';
			return { record, change };
		});
}

/**
 * Stores what a poll ends on, unless another poll stored a newer cursor since this one
 * read it (see shared/pollGuard): then that poll emitted these changes already, from the
 * same or a newer cursor, and this poll's are dropped.
 */
function store(ctx: IPollFunctions, cursor: RecordCursor, readRevision: number, changes: Change[], key: string): Change[] {
	if (saveCursor(ctx.getWorkflowStaticData('node'), cursor, readRevision, key)) return changes;
	ctx.logger.warn(`${ctx.getNode().name}: another poll stored a newer cursor while this one ran; this poll's ${changes.length} changes are left to it`);
	return [];
}

async function pollSnapshot(ctx: IPollFunctions, watched: WatchedResource, conditions: Conditions, scope: string, wanted: (c: Change) => boolean, key: string) {
	const staticData = ctx.getWorkflowStaticData('node');
	const revision = cursorRevision(staticData, key);
	const stored = loadCursor(staticData, scope, key);
	const records = await readSnapshot(ctx, watched.list.path, conditions.server);
	const empty: SnapshotCursor = { kind: 'snapshot', scope, fingerprints: new Map() };
	const { changes, cursor } = compareSnapshot(records, stored?.kind === 'snapshot' ? stored : empty);
	// The first poll only takes the snapshot: records that existed before activation are not changes.
	return store(ctx, cursor, revision, stored ? changes.filter(wanted) : [], key);
}

export async function pollRecordChanges(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const system = this.getNodeParameter('system') as string;
	const resource = this.getNodeParameter('resource') as string;
	const watched = watchedResource(system, resource);
	if (!watched) {
		throw new NodeOperationError(this.getNode(), `Makini documents no list of "${resource}" in "${system}"`, {
			description: 'Choose a System and a Resource from the lists.',
		});
	}
	const wantedKinds = this.getNodeParameter('changes', 'newOrUpdated') as Wanted;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const field = watched.tracking === 'snapshot' ? undefined : watched.tracking;
	const conditions = readConditions(this, field, watched);
	const wanted = (c: Change) => passesLocal(conditions, c.record) && (wantedKinds === 'newOrUpdated' || c.change === wantedKinds);

	const acrossConnections = this.getNodeParameter('authentication', AUTHENTICATION_VALUE.makiniApi) === AUTHENTICATION_VALUE.makiniSystemApi;
	if (this.getMode() === 'manual') {
		if (acrossConnections) return await sampleConnections(this, async (ctx) => await sample(ctx, watched, conditions, wantedKinds));
		return toItems(await sample(this, watched, conditions, wantedKinds));
	}

	const scope = JSON.stringify([system, resource, watched.tracking, conditionsSignature(conditions)]);
	let pollOne: (ctx: IPollFunctions, key: string) => Promise<Change[]>;
	if (!field) {
		pollOne = async (ctx, key) => await pollSnapshot(ctx, watched, conditions, scope, wanted, key);
	} else {
		const plan: ReadPlan = {
			path: watched.list.path,
			field,
			server: conditions.server,
			limit: Math.floor(numberOption(this, options, 'maxRecords', 'Max Records per Poll', DEFAULT_MAX_RECORDS, 1)),
			lookbackMs: numberOption(this, options, 'lookbackMinutes', 'Lookback (Minutes)', 0, 0) * 60_000,
			wanted,
		};
		const backfillDays = numberOption(this, options, 'backfillDays', 'Backfill on Activation (Days)', 0, 0);
		pollOne = async (ctx, key) => await pollTimestamps(ctx, plan, scope, backfillDays, key);
	}
	if (acrossConnections) return await onePollAtATime(this, async () => await pollConnections(this, pollOne, options.connectionErrors !== 'log'));
	return await onePollAtATime(this, async () => toItems(await pollOne(this, cursorKey())));
}

async function pollTimestamps(ctx: IPollFunctions, plan: ReadPlan, scope: string, backfillDays: number, key: string): Promise<Change[]> {
	const staticData = ctx.getWorkflowStaticData('node');
	const revision = cursorRevision(staticData, key);
	let previous = loadCursor(staticData, scope, key);
	if (previous?.kind !== 'timestamp') {
		if (!backfillDays) {
			// First poll: remember where Makini stands, emit nothing.
			return store(ctx, await startCursor(ctx, plan, scope), revision, [], key);
		}
		const start = isoAt(Date.now() - backfillDays * DAY_MS);
		previous = { kind: 'timestamp', scope, cursor: start, horizon: start, seen: new Map(), fresh: new Map() };
	}
	const { changes, cursor } = await readChanges(ctx, plan, previous);
	return store(ctx, cursor, revision, changes, key);
}
