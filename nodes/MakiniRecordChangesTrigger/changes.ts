/**
 * Reads what changed since the cursor, oldest first, without gaps or repeats.
 *
 * Each request asks for `timestamp >= anchor` sorted ascending, always page 1, and the
 * anchor moves to the last timestamp read ("keyset" paging). Unlike page numbers this
 * cannot skip a record when another one is updated mid-read and moves to the end of
 * the order. When a whole page shares one timestamp, that timestamp is read on its own,
 * by key (`key > last key`, sorted by key), then the read goes on strictly after it.
 * Keys already handled at a timestamp are remembered with a fingerprint of the record,
 * so a record is emitted once per change even when thousands share one timestamp, a
 * poll stops at its limit, or a record changes twice within one (whole-second) timestamp.
 *
 * The cursor never moves past Makini's own clock (the Date header of its answers) less
 * CLOCK_MARGIN_MS. A connected system whose clock runs ahead stamps records in the
 * future: such a record is emitted when it is read and stays among the keys remembered
 * (above the cursor) until Makini's clock passes it, so it is not emitted again, and a
 * change stamped before it is still read: the cursor has not jumped over it.
 */
import type { IDataObject } from 'n8n-workflow';

import { serverTimeOf } from '../shared/serverClock';
import {
	buildListQuery,
	makiniRequestFull,
	MAX_PAGE_SIZE,
	nextPage,
	pageRecords,
	type ListFilter,
	type MakiniContext,
	type QueryValue,
} from '../shared/transport';
import { pruneFresh, pruneSeen, seenMark, type TimestampCursor } from './cursor';
import { fingerprint } from './fingerprint';
import { asNodeError } from '../shared/nodeError';
import { before, compareTimestamps, isoAt } from '../shared/time';

export type ChangeKind = 'new' | 'updated';

export interface Change {
	record: IDataObject;
	change: ChangeKind;
}

export interface ReadPlan {
	path: string;
	/** The timestamp the cursor runs on. */
	field: 'updatedAt' | 'createdAt';
	/** Conditions Makini applies. */
	server: ListFilter[];
	/** Most changes to emit in one poll; the rest come next time. */
	limit: number;
	/** How far behind the cursor to re-read, for records that arrive with older timestamps. */
	lookbackMs: number;
	/** Whether a change is emitted (kind and local conditions); others are only remembered. */
	wanted(change: Change): boolean;
}

/** A guard against a server that never lets the read finish; progress is kept either way. */
const MAX_REQUESTS_PER_POLL = 1000;

/**
 * How far behind Makini's clock the cursor stays: the Date header counts whole seconds,
 * and Makini's servers and the systems it syncs need not agree to the second. Records
 * changed within it are read again by the next poll (and recognised, not re-emitted).
 */
export const CLOCK_MARGIN_MS = 5_000;

export function recordKey(record: IDataObject): string {
	const key = record.key ?? record.id;
	return typeof key === 'string' || typeof key === 'number' ? String(key) : JSON.stringify(record);
}

/**
 * New or updated: a record is new when the trigger has not handled it before and it was
 * created at or after the horizon (the cursor of the last poll that read everything,
 * less the lookback): it did not exist when the trigger last looked. A record without
 * createdAt cannot be shown to be new, so it counts as updated.
 */
export function classify(record: IDataObject, key: string, field: ReadPlan['field'], previous: TimestampCursor, horizon: string): ChangeKind {
	if (field === 'createdAt') return 'new';
	if (previous.seen.has(key) || previous.fresh.has(key)) return 'updated';
	const created = record.createdAt;
	if (typeof created === 'string' && created && compareTimestamps(created, horizon) >= 0) return 'new';
	return 'updated';
}

class ChangeReader {
	readonly changes: Change[] = [];
	readonly seen: Map<string, string>;
	readonly fresh: Map<string, string>;
	cursor: string;
	private requests = 0;
	/** Makini's clock (ms): the latest Date header of this poll's answers. */
	private clockMs: number | undefined;
	/** Whether the read got to the end of what Makini holds (not stopped by the limit). */
	private caughtUp = false;
	private readonly windowStart: string;
	private readonly horizon: string;

	constructor(
		private readonly ctx: MakiniContext,
		private readonly plan: ReadPlan,
		private readonly previous: TimestampCursor,
		private readonly emit: boolean,
	) {
		this.seen = new Map(previous.seen);
		this.fresh = new Map(previous.fresh);
		this.cursor = previous.cursor;
		this.windowStart = before(previous.cursor, plan.lookbackMs);
		this.horizon = before(previous.horizon, plan.lookbackMs);
	}

	/** Handles one record; false once the poll's limit is reached. */
	private take(record: IDataObject): boolean {
		const stamp = record[this.plan.field];
		if (typeof stamp !== 'string' || !stamp) return true;
		// A server that ignored the filter: older records were handled before.
		if (compareTimestamps(stamp, this.windowStart) < 0) return true;
		const key = recordKey(record);
		const mark = seenMark(stamp, fingerprint(record));
		if (this.seen.get(key) === mark) return true;
		const change: Change = { record, change: classify(record, key, this.plan.field, this.previous, this.horizon) };
		this.seen.set(key, mark);
		const created = record.createdAt;
		if (typeof created === 'string' && created && compareTimestamps(created, this.horizon) >= 0) this.fresh.set(key, created);
		this.advance(stamp);
		if (this.emit && this.plan.wanted(change)) this.changes.push(change);
		return !this.emit || this.changes.length < this.plan.limit;
	}

	/**
	 * The latest the cursor may be: Makini's clock less the margin (n8n's clock when no
	 * answer carried a Date header). Nothing later is handled for sure: a record may
	 * still arrive stamped earlier, and a record stamped later is in the future.
	 */
	ceiling(): string {
		return isoAt((this.clockMs ?? Date.now()) - CLOCK_MARGIN_MS);
	}

	/** Moves the cursor to a record's timestamp, no further than the ceiling. */
	private advance(stamp: string): void {
		const ceiling = this.ceiling();
		const next = compareTimestamps(stamp, ceiling) > 0 ? ceiling : stamp;
		if (compareTimestamps(next, this.cursor) > 0) this.cursor = next;
	}

	/** Sends one list request and notes Makini's clock from the answer. */
	async request(query: Record<string, QueryValue>): Promise<IDataObject> {
		const response = await makiniRequestFull.call(this.ctx, { method: 'GET', path: this.plan.path, query });
		const at = serverTimeOf(response.headers);
		if (at !== undefined && (this.clockMs === undefined || at > this.clockMs)) this.clockMs = at;
		return response.body;
	}

	private async page(filters: ListFilter[], sortField: string, page = 1) {
		this.requests++;
		const query = buildListQuery({
			filters: [...this.plan.server, ...filters],
			match: 'all',
			sort: [{ field: sortField, direction: 'asc' }],
		});
		query.per_page = MAX_PAGE_SIZE;
		query.page = page;
		const body = await this.request(query);
		const records = pageRecords(body);
		return { records, more: records.length > 0 && nextPage(body, page, records.length, MAX_PAGE_SIZE) !== undefined };
	}

	private budgetLeft(): boolean {
		return this.requests < MAX_REQUESTS_PER_POLL;
	}

	/** Every record stamped exactly `stamp`, by key; false when the limit stopped it. */
	private async readTimestamp(stamp: string): Promise<boolean> {
		const field = this.plan.field;
		const at: ListFilter[] = [
			{ field, operator: 'gteq', value: stamp },
			{ field, operator: 'lteq', value: stamp },
		];
		let afterKey: string | undefined;
		// Page numbers only if the server ignores `key > …` (the same page comes back) or refuses to sort by key.
		let pageNumber: number | undefined;
		let sortField = 'key';
		while (this.budgetLeft()) {
			const filters = afterKey && pageNumber === undefined ? [...at, { field: 'key', operator: 'gt' as const, value: afterKey }] : at;
			let page: Awaited<ReturnType<ChangeReader['page']>>;
			try {
				page = await this.page(filters, sortField, pageNumber ?? 1);
			} catch (error) {
				if (sortField !== 'key' || (error as { httpCode?: string }).httpCode !== '400') throw asNodeError(this.ctx.getNode(), error);
				sortField = field;
				pageNumber = 1;
				afterKey = undefined;
				continue;
			}
			const { records, more } = page;
			for (const record of records) if (!this.take(record)) return false;
			if (!more) return true;
			const lastKey = recordKey(records[records.length - 1]);
			if (pageNumber !== undefined) pageNumber++;
			else if (lastKey === afterKey) pageNumber = 2;
			else afterKey = lastKey;
		}
		return false;
	}

	async run(): Promise<void> {
		const field = this.plan.field;
		let anchor = this.windowStart;
		let strictlyAfter = false;
		while (this.budgetLeft()) {
			const { records, more } = await this.page([{ field, operator: strictlyAfter ? 'gt' : 'gteq', value: anchor }], field);
			for (const record of records) if (!this.take(record)) return;
			if (!more) {
				this.caughtUp = true;
				return;
			}
			const last = records[records.length - 1][field];
			if (typeof last !== 'string' || !last) {
				this.caughtUp = true;
				return;
			}
			if (compareTimestamps(last, anchor) > 0) {
				anchor = last;
				strictlyAfter = false;
				continue;
			}
			// A whole page at one timestamp: read it by key, then go on after it.
			if (!(await this.readTimestamp(anchor))) return;
			strictlyAfter = true;
		}
	}

	result(): TimestampCursor {
		const horizon = this.caughtUp ? this.cursor : this.previous.horizon;
		return {
			kind: 'timestamp',
			scope: this.previous.scope,
			cursor: this.cursor,
			horizon,
			seen: pruneSeen(this.seen, before(this.cursor, this.plan.lookbackMs)),
			fresh: pruneFresh(this.fresh, before(horizon, this.plan.lookbackMs)),
		};
	}
}

/** The changes since the cursor (at most plan.limit) and the cursor to store. */
export async function readChanges(
	ctx: MakiniContext,
	plan: ReadPlan,
	previous: TimestampCursor,
): Promise<{ changes: Change[]; cursor: TimestampCursor }> {
	const reader = new ChangeReader(ctx, plan, previous, true);
	await reader.run();
	return { changes: reader.changes, cursor: reader.result() };
}

/**
 * The cursor on activation, without emitting: the newest timestamp Makini holds for
 * these records (Makini's clock, not n8n's; no later than that clock allows), with the
 * keys already stamped at or after it. An empty list starts from the beginning, so its
 * first record is emitted.
 */
export async function startCursor(ctx: MakiniContext, plan: ReadPlan, scope: string): Promise<TimestampCursor> {
	const epoch = new Date(0).toISOString();
	const origin: TimestampCursor = { kind: 'timestamp', scope, cursor: epoch, horizon: epoch, seen: new Map(), fresh: new Map() };
	const probe = new ChangeReader(ctx, plan, origin, false);
	const query = buildListQuery({ filters: plan.server, match: 'all', sort: [{ field: plan.field, direction: 'desc' }] });
	query.per_page = 1;
	const newest = pageRecords(await probe.request(query))[0];
	const stamp = newest?.[plan.field];
	if (typeof stamp !== 'string' || !stamp) return origin;
	const ceiling = probe.ceiling();
	const start = compareTimestamps(stamp, ceiling) > 0 ? ceiling : stamp;
	const reader = new ChangeReader(ctx, plan, { ...origin, cursor: start, horizon: start }, false);
	await reader.run();
	return reader.result();
}
