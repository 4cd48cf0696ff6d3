/**
 * The trigger's memory, in the node's static data (n8n saves it after each poll that
 * returns). A timestamp cursor plus the keys already handled at or near it, so that a
 * record is emitted once per change even when many records share one timestamp; or,
 * for records without a timestamp, a fingerprint per key. Keys are Makini's: they are
 * held in Maps and stored as [key, value] pairs (see shared/storedMap), so a record
 * keyed `__proto__` or `constructor` is remembered like any other.
 */
import type { IDataObject } from 'n8n-workflow';

import { storedRevision, writeForward } from '../shared/pollGuard';
import { fromStoredEntries, isString, toStoredEntries } from '../shared/storedMap';
import { compareTimestamps, instant } from '../shared/time';

const STATE_KEY = 'makiniRecordChanges';

/**
 * Where a cursor is stored: one per connection with the System API credential, so that
 * one connection's failure or new records never move another's cursor.
 */
export function cursorKey(connectionId?: string): string {
	return connectionId === undefined ? STATE_KEY : `${STATE_KEY}@${connectionId}`;
}

export interface TimestampCursor {
	kind: 'timestamp';
	/** What is watched (system, resource, filters); another value starts over. */
	scope: string;
	/** Everything stamped before this was handled (or existed before activation). */
	cursor: string;
	/**
	 * The cursor when the trigger last read everything there was (or where it started):
	 * a record created at or after it did not exist when the trigger last looked.
	 */
	horizon: string;
	/** Key → "timestamp|fingerprint" of the records handled at or after `cursor - lookback`. */
	seen: Map<string, string>;
	/**
	 * Key → createdAt of the records handled that were created at or after the horizon:
	 * when such a record changes again, it is an update, not a new record.
	 */
	fresh: Map<string, string>;
}

export interface SnapshotCursor {
	kind: 'snapshot';
	scope: string;
	/** Key → fingerprint of each record at the last poll. */
	fingerprints: Map<string, string>;
}

export type RecordCursor = TimestampCursor | SnapshotCursor;

export function loadCursor(staticData: IDataObject, scope: string, key = STATE_KEY): RecordCursor | undefined {
	// Every key starts with STATE_KEY: a connection id cannot name an inherited property.
	const stored = staticData[key] as IDataObject | undefined;
	if (!stored || typeof stored !== 'object' || stored.scope !== scope) return undefined;
	if (stored.kind === 'timestamp' && typeof stored.cursor === 'string') {
		const seen = fromStoredEntries(stored.seen, isString);
		if (!seen) return undefined;
		return {
			kind: 'timestamp',
			scope,
			cursor: stored.cursor,
			horizon: typeof stored.horizon === 'string' ? stored.horizon : stored.cursor,
			seen,
			fresh: fromStoredEntries(stored.fresh, isString) ?? new Map(),
		};
	}
	if (stored.kind === 'snapshot') {
		const fingerprints = fromStoredEntries(stored.fingerprints, isString);
		if (fingerprints) return { kind: 'snapshot', scope, fingerprints };
	}
	return undefined;
}

/** The revision of the stored cursor: a poll reads it first and saves over it only (see shared/pollGuard). */
export function cursorRevision(staticData: IDataObject, key = STATE_KEY): number {
	return storedRevision(staticData, key);
}

/** Stores the cursor over the revision the poll read; false when a newer one was stored meanwhile. */
export function saveCursor(staticData: IDataObject, cursor: RecordCursor, readRevision: number, key = STATE_KEY): boolean {
	const stored =
		cursor.kind === 'timestamp'
			? { ...cursor, seen: toStoredEntries(cursor.seen), fresh: toStoredEntries(cursor.fresh) }
			: { ...cursor, fingerprints: toStoredEntries(cursor.fingerprints) };
	return writeForward(staticData, key, readRevision, stored as unknown as IDataObject);
}

/** What the trigger remembers of a record it handled. */
export function seenMark(stamp: string, print: string): string {
	return `${stamp}|${print}`;
}

function stampOf(mark: string): string {
	const bar = mark.lastIndexOf('|');
	return bar < 0 ? mark : mark.slice(0, bar);
}

/** Keeps the entries whose timestamp is at or after `from`: static data stays small. */
function keepFrom(entries: ReadonlyMap<string, string>, from: string, stampOfEntry: (entry: string) => string): Map<string, string> {
	const start = instant(from);
	const kept = new Map<string, string>();
	for (const [key, entry] of entries) {
		const stamp = stampOfEntry(entry);
		const at = instant(stamp);
		const keep = start !== undefined && at !== undefined ? at >= start : compareTimestamps(stamp, from) >= 0;
		if (keep) kept.set(key, entry);
	}
	return kept;
}

/** Drops the keys handled before the window the next poll re-reads. */
export function pruneSeen(seen: ReadonlyMap<string, string>, windowStart: string): Map<string, string> {
	return keepFrom(seen, windowStart, stampOf);
}

/** Drops the records created before the horizon: they can no longer pass for new. */
export function pruneFresh(fresh: ReadonlyMap<string, string>, horizon: string): Map<string, string> {
	return keepFrom(fresh, horizon, (createdAt) => createdAt);
}
