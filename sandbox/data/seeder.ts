/**
 * Helpers the seed modules share: the seeded PRNG, keys, picking references from
 * collections already seeded, timestamps, addresses, and a generic fill that gives every
 * schema field a plausible value so records always have the documented shape.
 */
import { Prng } from '../util/prng';
import { referencedCollection } from './collections';
import { KeyGenerator, Store, type SandboxRecord } from './store';
import { PLACES, type Place } from './vocabulary';

const DAY = 86_400_000;

// Globals are read once per module: under jest (a vm context) each global lookup in a
// hot loop costs ~100x more than in plain Node, and seeding does millions of them.
const { floor } = Math;
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * ISO 8601 to the second ("2024-05-01T08:30:00Z"), as the spec's examples. Computed
 * arithmetically (civil-from-days) because seeding 100k work orders formats over a
 * million timestamps and Date#toISOString dominated the time.
 */
export function iso(ms: number): string {
	const seconds = floor(ms / 1000);
	const days = floor(seconds / 86_400);
	const rest = seconds - days * 86_400;
	const z = days + 719_468;
	const era = floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36_524) - floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
	const mp = floor((5 * doy + 2) / 153);
	const day = doy - floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	const hh = floor(rest / 3600);
	const mm = floor((rest % 3600) / 60);
	return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(rest % 60)}Z`;
}

export class Seeder {
	constructor(
		readonly prng: Prng,
		readonly store: Store,
		readonly keys: KeyGenerator,
		/** The moment the plant's data is "as of" (ms). */
		readonly now: number,
		private readonly schema: Map<string, string[]>,
	) {}

	fields(collection: string): string[] {
		return this.schema.get(collection) ?? [];
	}

	key(): string {
		return this.keys.next();
	}

	rows(collection: string): readonly SandboxRecord[] {
		return this.store.has(collection) ? this.store.collection(collection).rows : [];
	}

	pickKey(collection: string): string | null {
		const rows = this.rows(collection);
		return rows.length ? this.prng.pick(rows).key : null;
	}

	pick(collection: string): SandboxRecord | undefined {
		const rows = this.rows(collection);
		return rows.length ? this.prng.pick(rows) : undefined;
	}

	pickKeys(collection: string, min: number, max: number): string[] {
		return this.prng.sample(this.rows(collection), this.prng.int(min, max)).map((r) => r.key);
	}

	/** createdAt/updatedAt: updated within the last `recentDays`, created up to a year before. */
	stamps(recentDays = 90): { createdAt: string; updatedAt: string; deletedAt: null } {
		const updated = this.now - floor(this.prng.next() * recentDays * DAY / 1000) * 1000;
		const created = updated - floor(this.prng.next() * 400 * DAY / 1000) * 1000;
		return { createdAt: iso(created), updatedAt: iso(updated), deletedAt: null };
	}

	/** A date `fromDays`..`toDays` away from now (negative: past). */
	date(fromDays: number, toDays: number): string {
		const offset = fromDays + this.prng.next() * (toDays - fromDays);
		return iso(floor((this.now + offset * DAY) / 1000) * 1000);
	}

	address(site?: Place, addressee?: string): Record<string, unknown> {
		const place = site ?? this.prng.pick(PLACES);
		return {
			country: place.country,
			addressLines: `${this.prng.pick(place.streets ?? ['Industrivej'])} ${this.prng.int(1, 180)}`,
			addressee: addressee ?? null,
			state: null,
			city: place.city,
			postCode: place.postCode,
			phone: `+${this.prng.int(30, 49)} ${this.prng.int(1000, 9999)} ${this.prng.int(1000, 9999)}`,
			email: null,
			notes: null,
			isActive: true,
		};
	}

	contact(name: string, position: string): Record<string, unknown> {
		const handle = name.toLowerCase().replace(/[^a-z]+/g, '.');
		return {
			name,
			position,
			phones: `+${this.prng.int(30, 49)} ${this.prng.int(100, 999)} ${this.prng.int(10000, 99999)}`,
			emails: `${handle}@example.com`,
			isActive: true,
			isDefault: true,
		};
	}

	/** Inserts a record after giving every schema field not set yet a plausible value. */
	add(collection: string, partial: Partial<SandboxRecord>): SandboxRecord {
		const record = this.fill(collection, partial);
		return this.store.collection(collection).insert(record);
	}

	fill(collection: string, partial: Partial<SandboxRecord>): SandboxRecord {
		const record: Record<string, unknown> = { key: partial.key ?? this.key() };
		for (const field of this.fields(collection)) {
			if (field === 'key') continue;
			record[field] = field in partial ? partial[field] : this.guess(collection, field);
		}
		for (const [field, value] of Object.entries(partial)) if (!(field in record)) record[field] = value;
		if (record.createdAt === undefined || record.updatedAt === undefined) {
			const stamps = this.stamps();
			for (const field of ['createdAt', 'updatedAt'] as const) {
				if (field in record && record[field] === undefined) record[field] = stamps[field];
			}
		}
		return record as SandboxRecord;
	}

	/** A value for a field the seed module did not set, judged by its name. */
	private guess(collection: string, field: string): unknown {
		const p = this.prng;
		if (field === 'createdAt' || field === 'updatedAt') return undefined;
		if (field === 'deletedAt' || field === 'parentKey' || field === 'notes') return null;
		const ref = referencedCollection(field);
		if (ref) {
			if (ref === collection) return null;
			if (field.endsWith('Keys')) return this.pickKeys(ref, 0, 2);
			return this.pickKey(ref);
		}
		if (field.endsWith('At') || field.endsWith('Date') || field === 'date') return this.date(-60, 30);
		if (field.startsWith('is')) return p.chance(0.9);
		if (field === 'code') return String(p.int(10_000_000, 99_999_999));
		if (/^(addresses|destinationAddress)$/.test(field)) return [this.address()];
		if (/[aA]ddress$/.test(field)) return this.address();
		if (field === 'contacts') return [];
		if (/^(lineItems|lines|documents|tasks|resources|triggers|supplyOptions|priceLevels|drawings|inventories|dimensions|redirects|tags)$/.test(field)) return [];
		if (/(quantity|Quantity|price|cost|Cost|Value|total|budget|rate|discount|Level|Point)$/.test(field)) return p.amount(1, 500);
		if (field === 'description') return null;
		return null;
	}
}
