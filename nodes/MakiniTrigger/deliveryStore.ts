/**
 * What the trigger remembers between deliveries: which deliveries it already turned
 * into an execution (so a retried or duplicated delivery starts nothing) and the newest
 * event time seen per record (so an older event arriving late can be dropped).
 *
 * Two layers, because n8n offers no atomic store to a node:
 * - an in-process memory, module-level, keyed by workflow + node, bounded and expiring.
 *   Checking and marking happen in one synchronous step, so two copies of a delivery
 *   arriving at the same moment cannot both pass;
 * - the workflow's static data behind it, so the memory survives an n8n restart. n8n
 *   saves static data only after the execution (and each save overwrites the last), so
 *   every delivery writes the whole recent memory into it, not just its own entry.
 * Several webhook processes (queue mode) each have their own memory: see the README.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** Makini retries a failed delivery for up to 24 h; an hour more absorbs clock drift. */
export const RETRY_HORIZON_MS = 25 * 60 * 60 * 1000;

const STATIC_KEY = 'makiniDeliveries';
const MEMORY_ENTRIES = 5000;
const PERSISTED_ENTRIES = 1000;
const MEMORY_SCOPES = 500;

/** A map whose entries expire, holding at most `limit` (the oldest written go first). */
export class ExpiringMap {
	private readonly entries = new Map<string, { value: number; expiresAt: number }>();

	constructor(private readonly limit: number) {}

	get size(): number {
		return this.entries.size;
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
		while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
	}

	/** The most recently written live entries, at most `max`, oldest first. */
	newest(max: number, now: number): Array<[string, number, number]> {
		const out: Array<[string, number, number]> = [];
		let skip = this.entries.size - max;
		for (const [key, { value, expiresAt }] of this.entries) {
			if (skip-- > 0 || expiresAt <= now) continue;
			out.push([key, value, expiresAt]);
		}
		return out;
	}
}

interface ScopeMemory {
	/** Delivery identity → first seen (ms). */
	deliveries: ExpiringMap;
	/** Record → newest event time seen (ms). */
	newest: ExpiringMap;
	/** Name of the last ledger written into static data from this memory. */
	lastWrite?: string;
}

/** Module-level: one per n8n process, shared by every execution of every workflow. */
const memory = new Map<string, ScopeMemory>();

function scopeMemory(scope: string): ScopeMemory {
	let found = memory.get(scope);
	if (found) {
		memory.delete(scope);
	} else {
		found = { deliveries: new ExpiringMap(MEMORY_ENTRIES), newest: new ExpiringMap(MEMORY_ENTRIES) };
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
 * The layout written: flat lists [key, value, expiresAt, key, …], because n8n wraps
 * static data in a proxy per object and parses it from the database on every webhook
 * call: a thousand [value, expiresAt] pairs cost a thousand proxies and objects per
 * delivery, a flat list one. `w` names the write, so the process that wrote it knows
 * it has nothing to merge back.
 */
interface PersistedLedgerV2 {
	v: 2;
	w: string;
	deliveries: Array<string | number>;
	newest: Array<string | number>;
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

/** The entries static data holds (either layout), or undefined when it holds none this process did not write itself. */
function readPersisted(staticData: IDataObject, mem: ScopeMemory): { deliveries: Entries; newest: Entries } | undefined {
	const stored = staticData[STATIC_KEY] as PersistedLedgerV1 | PersistedLedgerV2 | undefined;
	if (!stored || typeof stored !== 'object') return undefined;
	if (stored.v === 1) return { deliveries: v1Entries(stored.deliveries), newest: v1Entries(stored.newest) };
	if (stored.v !== 2) return undefined;
	// This process's own last write: its memory already holds all of it.
	if (typeof stored.w === 'string' && mem.lastWrite === stored.w) return undefined;
	return { deliveries: v2Entries(stored.deliveries), newest: v2Entries(stored.newest) };
}

function mergeInto(target: ExpiringMap, entries: Entries, now: number, keepNewer: boolean) {
	for (const [key, value, expiresAt] of entries) {
		if (!(expiresAt > now) || !Number.isFinite(value)) continue;
		const current = target.get(key, now);
		if (current === undefined || (keepNewer && value > current)) target.set(key, value, expiresAt);
	}
}

function snapshot(source: ExpiringMap, now: number): Array<string | number> {
	const out: Array<string | number> = [];
	for (const [key, value, expiresAt] of source.newest(PERSISTED_ENTRIES, now)) out.push(key, value, expiresAt);
	return out;
}

/** Distinguishes this process's writes from another's (or a previous run's) with the same counter. */
const PROCESS_TAG = createHash('sha256').update(`${Date.now()}:${Math.random()}`).digest('base64url').slice(0, 8);
let writes = 0;

/**
 * The deliveries and record times of one trigger node (one workflow + node), for one
 * incoming request: what static data held when the request arrived is merged into the
 * process memory first.
 */
export class DeliveryLedger {
	private readonly mem: ScopeMemory;

	constructor(
		scope: string,
		private readonly staticData: IDataObject,
		private readonly now: number,
	) {
		this.mem = scopeMemory(scope);
		const persisted = readPersisted(staticData, this.mem);
		if (persisted) {
			mergeInto(this.mem.deliveries, persisted.deliveries, now, false);
			mergeInto(this.mem.newest, persisted.newest, now, true);
		}
	}

	/**
	 * Marks a delivery as taken. True the first time within `ttlMs`, false for every
	 * copy after it. Synchronous on purpose: check and mark cannot interleave.
	 */
	claim(identity: string, ttlMs: number): boolean {
		if (this.mem.deliveries.get(identity, this.now) !== undefined) return false;
		this.mem.deliveries.set(identity, this.now, this.now + ttlMs);
		return true;
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

	/** Writes the recent memory into static data (n8n saves it with the execution). */
	persist(): void {
		const w = `${PROCESS_TAG}.${++writes}`;
		const ledger: PersistedLedgerV2 = {
			v: 2,
			w,
			deliveries: snapshot(this.mem.deliveries, this.now),
			newest: snapshot(this.mem.newest, this.now),
		};
		this.staticData[STATIC_KEY] = ledger as unknown as IDataObject;
		this.mem.lastWrite = w;
	}
}

export interface DeliveryIdentity {
	/** What duplicates are recognised by: `deliveryId` (a header) or `fingerprint` (the body). */
	basis: 'deliveryId' | 'fingerprint';
	/** The remembered key. */
	key: string;
	/** How long copies of this delivery are recognised. */
	ttlMs: number;
}

/**
 * Decides what makes a delivery unique. A delivery ID header names the delivery across
 * Makini's retries: remembered for the whole retry horizon. Without one, the body
 * fingerprint: with a timestamp in the payload the body names one event (remembered for
 * the retry horizon too); without one, an identical body may be a legitimate new change
 * to the same records, so it is remembered only for the deduplication window.
 */
export function deliveryIdentity(input: {
	deliveryId: string | undefined;
	fingerprint: string;
	hasTimestamp: boolean;
	windowMs: number;
}): DeliveryIdentity {
	if (input.deliveryId) {
		return { basis: 'deliveryId', key: digestKey(`id:${input.deliveryId}`), ttlMs: RETRY_HORIZON_MS };
	}
	return {
		basis: 'fingerprint',
		key: digestKey(`body:${input.fingerprint}`),
		ttlMs: input.hasTimestamp ? RETRY_HORIZON_MS : Math.max(0, input.windowMs),
	};
}
