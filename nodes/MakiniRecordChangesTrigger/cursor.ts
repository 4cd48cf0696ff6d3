/**
 * The trigger's memory, in the node's static data (n8n saves it after each poll that
 * returns). A timestamp cursor plus the keys already handled at or near it, so that a
 * record is emitted once per change even when many records share one timestamp; or,
 * for records without a timestamp, a fingerprint per key.
 */
import type { IDataObject } from 'n8n-workflow';

import { compareTimestamps, instant } from '../shared/time';

const STATE_KEY = 'makiniRecordChanges';

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
	seen: Record<string, string>;
	/**
	 * Key → createdAt of the records handled that were created at or after the horizon:
	 * when such a record changes again, it is an update, not a new record.
	 */
	fresh: Record<string, string>;
}

export interface SnapshotCursor {
	kind: 'snapshot';
	scope: string;
	/** Key → fingerprint of each record at the last poll. */
	fingerprints: Record<string, string>;
}

export type RecordCursor = TimestampCursor | SnapshotCursor;

export function loadCursor(staticData: IDataObject, scope: string): RecordCursor | undefined {
	const stored = staticData[STATE_KEY] as RecordCursor | undefined;
	if (!stored || typeof stored !== 'object' || stored.scope !== scope) return undefined;
	if (stored.kind === 'timestamp' && typeof stored.cursor === 'string' && stored.seen && typeof stored.seen === 'object') {
		return {
			...stored,
			horizon: typeof stored.horizon === 'string' ? stored.horizon : stored.cursor,
			fresh: stored.fresh && typeof stored.fresh === 'object' ? stored.fresh : {},
		};
	}
	if (stored.kind === 'snapshot' && stored.fingerprints && typeof stored.fingerprints === 'object') return stored;
	return undefined;
}

export function saveCursor(staticData: IDataObject, cursor: RecordCursor): void {
	staticData[STATE_KEY] = cursor as unknown as IDataObject;
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
function keepFrom(entries: Record<string, string>, from: string, stampOfEntry: (entry: string) => string): Record<string, string> {
	const start = instant(from);
	const kept: Record<string, string> = {};
	for (const [key, entry] of Object.entries(entries)) {
		const stamp = stampOfEntry(entry);
		const at = instant(stamp);
		const keep = start !== undefined && at !== undefined ? at >= start : compareTimestamps(stamp, from) >= 0;
		if (keep) kept[key] = entry;
	}
	return kept;
}

/** Drops the keys handled before the window the next poll re-reads. */
export function pruneSeen(seen: Record<string, string>, windowStart: string): Record<string, string> {
	return keepFrom(seen, windowStart, stampOf);
}

/** Drops the records created before the horizon: they can no longer pass for new. */
export function pruneFresh(fresh: Record<string, string>, horizon: string): Record<string, string> {
	return keepFrom(fresh, horizon, (createdAt) => createdAt);
}
