/**
 * The sandbox's records: one collection per documented entity, kept in insertion order
 * (records are never removed: Makini documents no entity DELETE). Each collection
 * carries a version that every write bumps, so list views computed for one version can
 * be cached and reused until the data changes.
 */
import { Prng } from '../util/prng';

export type SandboxRecord = Record<string, unknown> & { key: string };

/** Anything the list engine can filter, sort and page: collections and raw tables. */
export interface RowSource {
	readonly name: string;
	readonly version: number;
	readonly rows: readonly Record<string, unknown>[];
	/** Field names a filter or sort may use. */
	readonly fields: ReadonlySet<string>;
	readonly views: ViewCache;
}

/** A small least-recently-used cache of computed list views (row indices in order). */
export class ViewCache {
	private readonly entries = new Map<string, { version: number; indices: Uint32Array }>();

	constructor(private readonly capacity = 64) {}

	get(signature: string, version: number, compute: () => Uint32Array): Uint32Array {
		const hit = this.entries.get(signature);
		if (hit && hit.version === version) {
			// Re-insert to mark as most recently used.
			this.entries.delete(signature);
			this.entries.set(signature, hit);
			return hit.indices;
		}
		const indices = compute();
		this.entries.delete(signature);
		this.entries.set(signature, { version, indices });
		while (this.entries.size > this.capacity) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
		return indices;
	}

	clear(): void {
		this.entries.clear();
	}
}

export class Collection implements RowSource {
	readonly rows: SandboxRecord[] = [];
	readonly fields = new Set<string>();
	readonly views = new ViewCache();
	version = 0;
	private readonly index = new Map<string, number>();

	constructor(
		readonly name: string,
		schemaFields: readonly string[] = [],
	) {
		for (const field of schemaFields) this.fields.add(field);
	}

	get size(): number {
		return this.rows.length;
	}

	get(key: string): SandboxRecord | undefined {
		const position = this.index.get(key);
		return position === undefined ? undefined : this.rows[position];
	}

	/**
	 * Appends a record. Seeding loops that insert many records of one shape pass
	 * `trackFields: false` after the first (collecting field names dominated seeding).
	 */
	insert(record: SandboxRecord, trackFields = true): SandboxRecord {
		if (this.index.has(record.key)) throw new Error(`Duplicate key ${record.key} in ${this.name}`);
		this.index.set(record.key, this.rows.length);
		this.rows.push(record);
		if (trackFields) for (const field in record) this.fields.add(field);
		this.version++;
		return record;
	}

	/** Replaces a record by key with a new object (readers holding the old one are unaffected). */
	replace(record: SandboxRecord): SandboxRecord {
		const position = this.index.get(record.key);
		if (position === undefined) throw new Error(`Unknown key ${record.key} in ${this.name}`);
		this.rows[position] = record;
		for (const field of Object.keys(record)) this.fields.add(field);
		this.version++;
		return record;
	}
}

/**
 * Keys shaped like the documented ones ("06000223041215"): "0", a digit, "000" and
 * nine digits. A strictly increasing counter with seeded gaps keeps them unique and
 * in creation order.
 */
// Globals are read once per module: under jest (a vm context) each global lookup in a
// hot loop costs ~100x more than in plain Node, and seeding does millions of them.
const { floor } = Math;

export class KeyGenerator {
	private counter = 100_000_000;

	constructor(private readonly prng: Prng) {}

	next(): string {
		this.counter += 1 + floor(this.prng.next() * 900);
		return `0${floor(this.prng.next() * 10)}000${this.counter}`;
	}
}

export type ChangeKind = 'inserted' | 'updated';
export type ChangeListener = (collection: string, kind: ChangeKind, record: SandboxRecord) => void;

export class Store {
	private readonly collections = new Map<string, Collection>();
	private readonly listeners: ChangeListener[] = [];

	constructor(readonly keys: KeyGenerator) {}

	collection(name: string): Collection {
		let collection = this.collections.get(name);
		if (!collection) {
			collection = new Collection(name);
			this.collections.set(name, collection);
		}
		return collection;
	}

	define(name: string, schemaFields: readonly string[]): Collection {
		const existing = this.collections.get(name);
		if (existing) {
			for (const field of schemaFields) existing.fields.add(field);
			return existing;
		}
		const collection = new Collection(name, schemaFields);
		this.collections.set(name, collection);
		return collection;
	}

	has(name: string): boolean {
		return this.collections.has(name);
	}

	names(): string[] {
		return [...this.collections.keys()];
	}

	onChange(listener: ChangeListener): void {
		this.listeners.push(listener);
	}

	/** A write after seeding: stored, then announced (webhooks listen here). */
	write(collection: string, kind: ChangeKind, record: SandboxRecord): SandboxRecord {
		const target = this.collection(collection);
		if (kind === 'inserted') target.insert(record);
		else target.replace(record);
		for (const listener of this.listeners) listener(collection, kind, record);
		return record;
	}
}
