/**
 * What the trigger remembers between deliveries: which deliveries it already turned
 * into an execution (so a retried or duplicated delivery starts nothing) and the newest
 * event time seen per record (so an older event arriving late can be dropped).
 *
 * Two layers, because n8n offers no atomic store to a node:
 * - an in-process memory, module-level, keyed by workflow + node, bounded and expiring.
 *   Checking and marking happen in one synchronous step, so two copies of a delivery
 *   arriving at the same moment cannot both pass;
 * - the workflow's static data behind it, so the memory survives an n8n restart. Each
 *   save overwrites the last, so every delivery writes the whole recent memory into it,
 *   not just its own entry.
 * A delivery is first claimed (pending) and remembered for good only once n8n has stored
 * its execution (confirm): a claim whose execution n8n failed to store is released, so
 * Makini's retry of it runs, and static data never holds a delivery that did not run.
 * Several webhook processes (queue mode) each have their own memory: see the README.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { WriteBacklog } from './backlog';

/** Makini retries a failed delivery with exponential backoff from 30 s for up to 24 h (CONTRACT.md). */
export const RETRY_HORIZON_MS = 24 * 60 * 60 * 1000;

const STATIC_KEY = 'makiniDeliveries';
const MEMORY_ENTRIES = 5000;
const PERSISTED_ENTRIES = 1000;
/**
 * Dated deliveries (a timestamp in the signed payload) are remembered for the whole
 * retry horizon. Past these bounds the oldest are forgotten, and the newest event time
 * forgotten becomes a floor: a dated delivery not older than it is still judged exactly;
 * one at or below it is refused, because it may be a replay of one forgotten (see claim()).
 */
export const DATED_MEMORY_ENTRIES = 20_000;
export const DATED_PERSISTED_ENTRIES = 2_000;
/**
 * Resolve Records: the last updatedAt emitted per record, kept 30 days. A record
 * forgotten (past the bound or the 30 days) is emitted once more on its next delivery,
 * current as it is then, and remembered again.
 */
export const EMITTED_MEMORY_ENTRIES = 20_000;
export const EMITTED_PERSISTED_ENTRIES = 2_000;
export const EMITTED_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const MEMORY_SCOPES = 500;
/**
 * How long a claim may wait for n8n to store its execution. n8n gives up on a database
 * write after 60 s (SQLite's lock timeout); a claim older than this was never stored
 * (n8n failed without telling the node), so a copy arriving later is judged new.
 */
export const PENDING_MS = 3 * 60 * 1000;

/** What a pending claim ended in. */
export type ClaimOutcome = 'stored' | 'released';

/** A delivery claimed by a request whose execution n8n has not yet stored. */
interface PendingClaim {
	identity: DeliveryIdentity;
	/** What the memory keeps for it once stored: its event time (dated) or when first seen. */
	value: number;
	/** When it was claimed (ms). */
	at: number;
	settled: Promise<ClaimOutcome>;
	settle: (outcome: ClaimOutcome) => void;
	/** Resolve Records: the records marked emitted for it, with what was remembered before, to restore on release. */
	emitted: Array<[string, number | undefined]>;
}

/** A map whose entries expire, holding at most `limit` (the oldest written go first). */
export class ExpiringMap {
	private readonly entries = new Map<string, { value: number; expiresAt: number }>();

	constructor(
		private readonly limit: number,
		/** Told of every entry pushed out by the limit (not of expired ones). */
		private readonly onEvict?: (value: number, expiresAt: number) => void,
	) {}

	get size(): number {
		return this.entries.size;
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	get(key: string, now: number): number | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= now) {
			this.entries.delete(key);
			return undefined;
		}
		return entry.value;
	}

	set(key: string, value: number, expiresAt: number): void {
		// Re-inserting moves the key to the newest end, which is what eviction relies on.
		this.entries.delete(key);
		this.entries.set(key, { value, expiresAt });
		while (this.entries.size > this.limit) {
			const oldest = this.entries.keys().next().value as string;
			const evicted = this.entries.get(oldest)!;
			this.entries.delete(oldest);
			this.onEvict?.(evicted.value, evicted.expiresAt);
		}
	}

	/** The most recently written live entries, at most `max`, oldest first; `skipped` is told of the live ones left out. */
	newest(max: number, now: number, skipped?: (value: number) => void): Array<[string, number, number]> {
		const out: Array<[string, number, number]> = [];
		let skip = this.entries.size - max;
		for (const [key, { value, expiresAt }] of this.entries) {
			if (expiresAt <= now) continue;
			if (skip-- > 0) skipped?.(value);
			else out.push([key, value, expiresAt]);
		}
		return out;
	}
}

interface ScopeMemory {
	/** Undated delivery identity → first seen (ms). */
	deliveries: ExpiringMap;
	/** Dated delivery identity → its event time (ms). */
	dated: ExpiringMap;
	/** The newest event time of a dated delivery forgotten before it expired (0: none). */
	forgottenBefore: number;
	/** The time of the request being handled, for telling an evicted entry that was still live. */
	now: number;
	/** Record → newest event time seen (ms). */
	newest: ExpiringMap;
	/** Record → the updatedAt (ms) last emitted with Resolve Records. */
	emitted: ExpiringMap;
	/** Identity key → a claim whose execution n8n has not yet stored (never written to static data). */
	pending: Map<string, PendingClaim>;
	/** This process's write counter when the memory was made: its later writes of this scope are this memory's. */
	since: number;
	/** This process's ledger writes n8n has not yet saved (backpressure, backlog.ts). */
	backlog: WriteBacklog;
	/** Other processes' newest write numbers seen saved (process tag → [write, seen at ms]), passed on in every write. */
	marks: Map<string, [number, number]>;
}

/** Module-level: one per n8n process, shared by every execution of every workflow. */
const memory = new Map<string, ScopeMemory>();

function scopeMemory(scope: string): ScopeMemory {
	let found = memory.get(scope);
	if (found) {
		memory.delete(scope);
	} else {
		const created: ScopeMemory = {
			deliveries: new ExpiringMap(MEMORY_ENTRIES),
			dated: new ExpiringMap(DATED_MEMORY_ENTRIES, (value, expiresAt) => {
				if (expiresAt > created.now) created.forgottenBefore = Math.max(created.forgottenBefore, value);
			}),
			forgottenBefore: 0,
			now: 0,
			newest: new ExpiringMap(MEMORY_ENTRIES),
			emitted: new ExpiringMap(EMITTED_MEMORY_ENTRIES),
			pending: new Map(),
			since: writes,
			backlog: new WriteBacklog(),
			marks: new Map(),
		};
		found = created;
	}
	memory.set(scope, found);
	while (memory.size > MEMORY_SCOPES) memory.delete(memory.keys().next().value as string);
	return found;
}

/** Short, fixed-size key for anything remembered (delivery IDs and record keys are caller-chosen text). */
export function digestKey(text: string): string {
	return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** Version 1 of the static data layout: key → [value, expiresAt]. Still read, never written. */
interface PersistedLedgerV1 {
	v: 1;
	deliveries: Record<string, [number, number]>;
	newest: Record<string, [number, number]>;
}

/**
 * Version 2: flat lists [key, value, expiresAt, key, …]. Still read, no longer written:
 * n8n walks every element of a list in static data (its change-tracking proxy) each time
 * it loads it, which is on every webhook call and every execution.
 */
interface PersistedLedgerV2 {
	v: 2;
	w: string;
	deliveries: Array<string | number>;
	newest: Array<string | number>;
	dated?: Array<string | number>;
	f?: number;
	e?: Array<string | number>;
	p?: Array<string | number>;
}

/**
 * The layout written: each list packed into one string ("key value expiresAt,…", numbers
 * in base 36), because n8n parses static data from the database and wraps it in a proxy
 * on every webhook call and every execution, walking each element of a list: at the
 * bounds below a list layout costs about 3.8 ms a load, one string 0.5 ms, and a quarter
 * fewer bytes written per delivery. `w` names the write, so the process that wrote it
 * knows it has nothing to merge back.
 */
interface PersistedLedgerV3 {
	v: 3;
	w: string;
	deliveries: string;
	newest: string;
	/** Dated deliveries. */
	dated: string;
	/** The forgotten-before floor of the dated deliveries. */
	f: number;
	/** Resolve Records: record → updatedAt last emitted. */
	e: string;
	/**
	 * Write marks, [process tag, write number, …]: the writer's own, and the newest of every
	 * other process the writer read. A process finding its own mark in the database knows
	 * that write was saved, even after another process saved its ledger over it.
	 */
	p?: Array<string | number>;
}

type Entries = Iterable<[string, number, number]>;

function* v1Entries(stored: Record<string, [number, number]> | undefined): Entries {
	if (!stored || typeof stored !== 'object') return;
	for (const key of Object.keys(stored)) {
		const entry = stored[key];
		if (Array.isArray(entry)) yield [key, Number(entry[0]), Number(entry[1])];
	}
}

function* v2Entries(stored: Array<string | number> | undefined): Entries {
	if (!Array.isArray(stored)) return;
	for (let i = 0; i + 2 < stored.length; i += 3) {
		if (typeof stored[i] === 'string') yield [stored[i] as string, Number(stored[i + 1]), Number(stored[i + 2])];
	}
}

/** Keys are digests (digestKey: base64url), so neither separator can occur in one. */
const PACKED_KEY = /^[A-Za-z0-9_-]{1,64}$/;
/** A time in ms in base 36: ten digits reach far past the year 3000 and stay exact. */
const PACKED_NUMBER = /^[0-9a-z]{1,10}$/;

function pack(entries: Array<[string, number, number]>): string {
	return entries.map(([key, value, expiresAt]) => `${key} ${Math.trunc(value).toString(36)} ${Math.trunc(expiresAt).toString(36)}`).join(',');
}

/** A packed list's entries; anything malformed (another writer, a hand edit) is skipped, never trusted. */
function* v3Entries(stored: unknown): Entries {
	if (typeof stored !== 'string' || !stored) return;
	for (const entry of stored.split(',')) {
		const parts = entry.split(' ');
		if (parts.length !== 3 || !PACKED_KEY.test(parts[0]) || !PACKED_NUMBER.test(parts[1]) || !PACKED_NUMBER.test(parts[2])) continue;
		yield [parts[0], parseInt(parts[1], 36), parseInt(parts[2], 36)];
	}
}

/** The entries static data holds (any layout), or undefined when it holds none this process did not write itself. */
function readPersisted(
	staticData: IDataObject,
	mem: ScopeMemory,
): { deliveries: Entries; dated: Entries; forgottenBefore: number; newest: Entries; emitted: Entries } | undefined {
	const stored = staticData[STATIC_KEY] as PersistedLedgerV1 | PersistedLedgerV2 | PersistedLedgerV3 | undefined;
	if (!stored || typeof stored !== 'object') return undefined;
	if (stored.v === 1) {
		return { deliveries: v1Entries(stored.deliveries), dated: [], forgottenBefore: 0, newest: v1Entries(stored.newest), emitted: [] };
	}
	if (stored.v !== 2 && stored.v !== 3) return undefined;
	// This process's own last write: its memory already holds all of it.
	// Written from this memory (the last write or an earlier one a concurrent request read):
	// the memory already holds all of it, less what it deliberately let go since (a claim
	// released, an entry evicted), which merging would bring back.
	if (typeof stored.w === 'string') {
		const dot = stored.w.lastIndexOf('.');
		if (stored.w.slice(0, dot) === PROCESS_TAG && Number(stored.w.slice(dot + 1)) > mem.since) return undefined;
	}
	const floor = Number(stored.f);
	const entries = stored.v === 3 ? v3Entries : (list: unknown) => v2Entries(list as Array<string | number> | undefined);
	return {
		deliveries: entries(stored.deliveries),
		dated: entries(stored.dated),
		forgottenBefore: Number.isFinite(floor) && floor > 0 ? floor : 0,
		newest: entries(stored.newest),
		emitted: entries(stored.e),
	};
}

function mergeInto(target: ExpiringMap, entries: Entries, now: number, keepNewer: boolean) {
	for (const [key, value, expiresAt] of entries) {
		if (!(expiresAt > now) || !Number.isFinite(value)) continue;
		const current = target.get(key, now);
		if (current === undefined || (keepNewer && value > current)) target.set(key, value, expiresAt);
	}
}

function snapshot(source: ExpiringMap, now: number, max = PERSISTED_ENTRIES, skipped?: (value: number) => void): string {
	return pack(source.newest(max, now, skipped));
}

/**
 * What claim() found: a new delivery (now claimed, pending), a copy of one stored, a copy
 * of one claimed whose execution is not yet stored ('pending': see settled()), or one
 * too old to judge.
 */
export type ClaimResult = 'new' | 'duplicate' | 'pending' | 'forgotten';

/** Distinguishes this process's writes from another's (or a previous run's) with the same counter. */
const PROCESS_TAG = createHash('sha256').update(`${Date.now()}:${Math.random()}`).digest('base64url').slice(0, 8);
let writes = 0;

/** Other processes' marks older than this are not passed on. */
const MARK_TTL_MS = 60 * 60 * 1000;
const MAX_MARKS = 16;

/** Reads the write marks static data holds: tells the backlog which of this process's writes are saved, keeps the others'. */
function readMarks(staticData: IDataObject, mem: ScopeMemory, now: number): void {
	const stored = staticData[STATIC_KEY] as { w?: unknown; p?: unknown } | undefined;
	if (!stored || typeof stored !== 'object') return;
	const marks: Array<[string, number]> = [];
	if (typeof stored.w === 'string') {
		const dot = stored.w.lastIndexOf('.');
		marks.push([stored.w.slice(0, dot), Number(stored.w.slice(dot + 1))]);
	}
	if (Array.isArray(stored.p)) {
		for (let i = 0; i + 1 < stored.p.length && i < 2 * MAX_MARKS; i += 2) {
			if (typeof stored.p[i] === 'string') marks.push([stored.p[i] as string, Number(stored.p[i + 1])]);
		}
	}
	for (const [tag, n] of marks) {
		if (!Number.isSafeInteger(n) || n <= 0) continue;
		if (tag === PROCESS_TAG) {
			mem.backlog.saved(n);
			continue;
		}
		const known = mem.marks.get(tag);
		if (!known || n > known[0]) mem.marks.set(tag, [n, now]);
		while (mem.marks.size > MAX_MARKS) mem.marks.delete(mem.marks.keys().next().value as string);
	}
}

/**
 * The deliveries and record times of one trigger node (one workflow + node), for one
 * incoming request: what static data held when the request arrived is merged into the
 * process memory first.
 */
export class DeliveryLedger {
	private readonly mem: ScopeMemory;
	/** The delivery this request claimed, while pending. */
	private claimed: PendingClaim | undefined;

	constructor(
		scope: string,
		private readonly staticData: IDataObject,
		private readonly now: number,
	) {
		this.mem = scopeMemory(scope);
		this.mem.now = now;
		readMarks(staticData, this.mem, now);
		const persisted = readPersisted(staticData, this.mem);
		if (persisted) {
			mergeInto(this.mem.deliveries, persisted.deliveries, now, false);
			mergeInto(this.mem.dated, persisted.dated, now, false);
			this.mem.forgottenBefore = Math.max(this.mem.forgottenBefore, persisted.forgottenBefore);
			mergeInto(this.mem.newest, persisted.newest, now, true);
			mergeInto(this.mem.emitted, persisted.emitted, now, true);
		}
	}

	/**
	 * The delivery claimed by this request was not turned into an execution: forget the
	 * claim (and what Resolve Records marked emitted for it), so Makini's retry runs.
	 */
	release(): void {
		const claim = this.claimed;
		if (!claim || this.mem.pending.get(claim.identity.key) !== claim) return;
		this.mem.pending.delete(claim.identity.key);
		for (const [record, before] of claim.emitted.reverse()) {
			if (before === undefined) this.mem.emitted.delete(record);
			else this.mem.emitted.set(record, before, this.now + EMITTED_TTL_MS);
		}
		claim.settle('released');
	}

	/**
	 * The delivery claimed by this request is an execution n8n stored (or one that needs
	 * none): remember it for good (persist() then writes it to static data).
	 */
	confirm(): void {
		const claim = this.claimed;
		if (!claim || this.mem.pending.get(claim.identity.key) !== claim) return;
		this.mem.pending.delete(claim.identity.key);
		(claim.identity.dated ? this.mem.dated : this.mem.deliveries).set(claim.identity.key, claim.value, claim.at + claim.identity.ttlMs);
		claim.settle('stored');
	}

	/** What a pending claim of `identity` (another request's) ends in, waiting at most `timeoutMs`; 'pending' if still open then. */
	async settled(identity: DeliveryIdentity, timeoutMs: number, wait: (ms: number) => Promise<void>): Promise<ClaimOutcome | 'pending'> {
		const claim = this.mem.pending.get(identity.key);
		if (!claim) return 'stored';
		return await Promise.race([claim.settled, wait(timeoutMs).then(() => 'pending' as const)]);
	}

	/**
	 * Resolve Records: whether a record read at `updatedAtMs` is newer than the last one
	 * emitted for `record`, marking it emitted when it is. Null (no updatedAt) is always
	 * emitted. Synchronous, so two deliveries of one change cannot both emit it.
	 */
	takeChanged(record: string, updatedAtMs: number | null): boolean {
		if (updatedAtMs === null) return true;
		const last = this.mem.emitted.get(record, this.now);
		if (last !== undefined && updatedAtMs <= last) return false;
		this.mem.emitted.set(record, updatedAtMs, this.now + EMITTED_TTL_MS);
		this.claimed?.emitted.push([record, last]);
		return true;
	}

	/** The newest event time of a dated delivery forgotten before its time (0: none). */
	get forgottenBefore(): number {
		return this.mem.forgottenBefore;
	}

	/**
	 * Claims a delivery: 'new' the first time within its ttl (pending until confirm() or
	 * release()), 'duplicate' for every copy of one stored, 'pending' for a copy of one
	 * still being stored. A dated delivery whose event time is not newer than the newest
	 * one forgotten (past the memory's bound) is 'forgotten': it may be a replay of one
	 * that ran, so it is not claimed. Synchronous on purpose: check and mark cannot
	 * interleave.
	 */
	claim(identity: DeliveryIdentity, timestampMs: number | null): ClaimResult {
		const store = identity.dated ? this.mem.dated : this.mem.deliveries;
		if (store.get(identity.key, this.now) !== undefined) return 'duplicate';
		const open = this.mem.pending.get(identity.key);
		if (open && this.now - open.at < PENDING_MS) return 'pending';
		if (open) {
			// n8n never stored it (and never said so): a copy now runs.
			this.mem.pending.delete(identity.key);
			open.settle('released');
		}
		if (identity.dated && timestampMs !== null && timestampMs <= this.mem.forgottenBefore) return 'forgotten';
		let settle!: (outcome: ClaimOutcome) => void;
		const settled = new Promise<ClaimOutcome>((resolve) => (settle = resolve));
		// A dated delivery without a timestamp (a signed ID only) is kept with time 0: it never raises the floor.
		this.claimed = { identity, value: identity.dated ? (timestampMs ?? 0) : this.now, at: this.now, settled, settle, emitted: [] };
		this.mem.pending.set(identity.key, this.claimed);
		while (this.mem.pending.size > MEMORY_ENTRIES) {
			const [key, oldest] = this.mem.pending.entries().next().value as [string, PendingClaim];
			this.mem.pending.delete(key);
			oldest.settle('released');
		}
		return 'new';
	}

	/** Whether n8n has too many of this node's accepted deliveries still to save for a new one to be accepted (backlog.ts). */
	get backlogFull(): boolean {
		return this.mem.backlog.full(this.now);
	}

	/** Whether an event at `timestampMs` is older than the newest already seen for `record`. */
	isOutdated(record: string, timestampMs: number): boolean {
		const newest = this.mem.newest.get(record, this.now);
		return newest !== undefined && timestampMs < newest;
	}

	/** Remembers `timestampMs` for `record` when it is the newest so far. */
	noteTime(record: string, timestampMs: number): void {
		const newest = this.mem.newest.get(record, this.now);
		if (newest === undefined || timestampMs > newest) this.mem.newest.set(record, timestampMs, this.now + RETRY_HORIZON_MS);
	}

	/** Writes the recent memory (stored deliveries only) into static data, which n8n saves before it answers. */
	persist(): void {
		const write = ++writes;
		const w = `${PROCESS_TAG}.${write}`;
		const marks: Array<string | number> = [PROCESS_TAG, write];
		for (const [tag, [n, seenAt]] of [...this.mem.marks].slice(-(MAX_MARKS - 1))) {
			if (this.now - seenAt < MARK_TTL_MS) marks.push(tag, n);
			else this.mem.marks.delete(tag);
		}
		// Dated deliveries left out of static data raise its floor, so after a restart a
		// replay of one of them is refused rather than run.
		let floor = this.mem.forgottenBefore;
		const dated = snapshot(this.mem.dated, this.now, DATED_PERSISTED_ENTRIES, (value) => (floor = Math.max(floor, value)));
		const ledger: PersistedLedgerV3 = {
			v: 3,
			w,
			deliveries: snapshot(this.mem.deliveries, this.now),
			newest: snapshot(this.mem.newest, this.now),
			dated,
			f: floor,
			e: snapshot(this.mem.emitted, this.now, EMITTED_PERSISTED_ENTRIES),
			p: marks,
		};
		this.staticData[STATIC_KEY] = ledger as unknown as IDataObject;
		this.mem.backlog.handed(write, this.now);
	}
}

export type TimestampVerdict = 'fresh' | 'stale' | 'future' | 'unchecked';

/**
 * Whether a payload timestamp can belong to a genuine delivery, from the sender's retry
 * schedule rather than a window: Makini retries for up to 24 h, so a genuine delivery
 * can be up to 24 h old (plus the clock skew between Makini and n8n); none is from
 * further ahead than the skew. A replay inside that span is recognised by the ledger.
 */
export function checkTimestamp(timestampMs: number | null, nowMs: number, skewMs: number): TimestampVerdict {
	if (timestampMs === null) return 'unchecked';
	const skew = Math.max(0, skewMs);
	if (nowMs - timestampMs > RETRY_HORIZON_MS + skew) return 'stale';
	if (timestampMs - nowMs > skew) return 'future';
	return 'fresh';
}

export interface DeliveryIdentity {
	/** The remembered key: always derived from the body fingerprint (the signed bytes). */
	key: string;
	/** How long copies of this delivery are recognised. */
	ttlMs: number;
	/** Whether the delivery names one event for the whole retry horizon (a timestamp or a signed ID in the payload). */
	dated: boolean;
}

/**
 * Decides what makes a delivery unique: the body fingerprint, always. Only what the
 * signature covers may say which delivery this is; a delivery ID in a request header is
 * not signed, so anyone holding one captured delivery could make it run again under a
 * new ID, or pre-claim an ID so the genuine delivery never runs. The header is passed to
 * the output and the logs, never used here.
 *
 * A timestamp or an ID inside the signed payload makes the body name one event: it is
 * remembered for the whole retry horizon (plus the clock skew either way). Without
 * either, an identical body may be a legitimate new change to the same records, so it
 * is remembered only for the deduplication window (see the Resolve Records option for
 * the way to make those harmless anyway).
 */
export function deliveryIdentity(input: {
	fingerprint: string;
	dated: boolean;
	windowMs: number;
	skewMs: number;
}): DeliveryIdentity {
	return {
		key: digestKey(`body:${input.fingerprint}`),
		ttlMs: input.dated ? RETRY_HORIZON_MS + 2 * Math.max(0, input.skewMs) : Math.max(0, input.windowMs),
		dated: input.dated,
	};
}
