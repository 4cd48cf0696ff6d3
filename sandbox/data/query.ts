/**
 * Makini's list semantics over any row source: `filter[field]`, `filter[field:op]`
 * (contains, startsWith, gt, gteq, lt, lteq and the spec's `lted`), `filterMatch`,
 * `sort[field]=1|0`, `page`/`per_page`, and (optionally) `cursor`. Values are compared
 * as dates when both sides are dates, as numbers when both are numbers, otherwise as
 * case-insensitive text. Computed views are cached per source version.
 */
import { ApiError } from '../http/errors';
import type { RowSource } from './store';

export type FilterOp = 'eq' | 'contains' | 'startsWith' | 'gt' | 'gteq' | 'lt' | 'lteq';

const OPERATORS: Record<string, FilterOp> = {
	'': 'eq',
	eq: 'eq',
	equals: 'eq',
	contains: 'contains',
	startsWith: 'startsWith',
	gt: 'gt',
	gteq: 'gteq',
	lt: 'lt',
	lteq: 'lteq',
	// The spec's own example spells it this way.
	lted: 'lteq',
};

export interface Filter {
	field: string;
	op: FilterOp;
	value: string;
}

export interface Sort {
	field: string;
	desc: boolean;
}

export interface ListQuery {
	filters: Filter[];
	match: 'all' | 'any';
	sorts: Sort[];
	page: number;
	perPage: number;
	cursor?: string;
}

/** A mandatory condition of a sub-resource list (e.g. the materials of one work order). */
export interface Scope {
	field: string;
	value: string;
}

type Norm = number | string | null;

// Globals are read once per module: under jest (a vm context) each global lookup in a
// hot loop costs ~100x more than in plain Node, and seeding does millions of them.
const { isArray } = Array;
const dateParse = Date.parse;
const { isNaN } = Number;
const toNumber = Number;
const { stringify } = JSON;


const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const DAY = 86_400_000;

/** Milliseconds of an ISO-8601 date or date-time; a time without zone is UTC. */
export function parseDate(text: string): number | undefined {
	if (!ISO_DATE.test(text)) return undefined;
	let iso = text.replace(' ', 'T');
	if (iso.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
	const ms = dateParse(iso);
	return isNaN(ms) ? undefined : ms;
}

/** The comparable form of a value: dates and numbers as numbers, text lower-cased. */
export function normalize(value: unknown): Norm {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return value;
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (isArray(value)) return value.length ? normalize(value[0]) : null;
	if (typeof value === 'object') return stringify(value).toLowerCase();
	const text = String(value);
	if (text.length >= 10 && text.charCodeAt(4) === 45 /* - */) {
		const ms = parseDate(text);
		if (ms !== undefined) return ms;
	}
	if (NUMERIC.test(text) && text.length < 16) return toNumber(text);
	return text.toLowerCase();
}

export function compareNorm(a: Norm, b: Norm): number {
	if (a === b) return 0;
	if (a === null) return -1;
	if (b === null) return 1;
	const ta = typeof a;
	const tb = typeof b;
	if (ta !== tb) return ta === 'number' ? -1 : 1;
	return a < b ? -1 : 1;
}

export function readField(row: Record<string, unknown>, field: string): unknown {
	if (!field.includes('.')) return row[field];
	let current: unknown = row;
	for (const part of field.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function scalarText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return stringify(value);
	return String(value);
}

type Predicate = (value: unknown) => boolean;

function scalarPredicate(filter: Filter): Predicate {
	const needle = filter.value.toLowerCase();
	if (filter.op === 'contains') return (v) => scalarText(v).toLowerCase().includes(needle);
	if (filter.op === 'startsWith') return (v) => scalarText(v).toLowerCase().startsWith(needle);

	// A date-only filter value compares whole days, as Laravel's whereDate does.
	const dayStart = DATE_ONLY.test(filter.value) ? parseDate(filter.value) : undefined;
	const target = normalize(filter.value);
	if (filter.op === 'eq') {
		return (v) => {
			if (v === null || v === undefined) return needle === '' || needle === 'null';
			if (typeof v === 'boolean') return v ? needle === 'true' || needle === '1' : needle === 'false' || needle === '0';
			if (scalarText(v).toLowerCase() === needle) return true;
			if (typeof target !== 'number') return false;
			const n = normalize(v);
			if (typeof n !== 'number') return false;
			return dayStart !== undefined ? n >= dayStart && n < dayStart + DAY : n === target;
		};
	}
	let threshold: Norm = target;
	let op = filter.op;
	if (dayStart !== undefined) {
		// gt D → from the next day on; lteq D → before the next day.
		if (op === 'gt') [threshold, op] = [dayStart + DAY, 'gteq'];
		else if (op === 'lteq') [threshold, op] = [dayStart + DAY, 'lt'];
		else threshold = dayStart;
	}
	return (v) => {
		const n = normalize(v);
		if (n === null || typeof n !== typeof threshold) return false;
		const c = compareNorm(n, threshold);
		switch (op) {
			case 'gt':
				return c > 0;
			case 'gteq':
				return c >= 0;
			case 'lt':
				return c < 0;
			default:
				return c <= 0;
		}
	};
}

function rowPredicate(filter: Filter): (row: Record<string, unknown>) => boolean {
	const test = scalarPredicate(filter);
	return (row) => {
		const value = readField(row, filter.field);
		// A list field matches when any of its elements does.
		return isArray(value) ? value.some(test) : test(value);
	};
}

function checkField(source: RowSource, field: string, what: string): void {
	const top = field.split('.')[0];
	if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(field) || !source.fields.has(top)) {
		throw new ApiError(400, `The ${what} field "${field}" is not allowed for ${source.name}.`);
	}
}

function positiveInt(value: string | null, name: string): number | undefined {
	if (value === null || value === '') return undefined;
	if (!/^-?\d+$/.test(value)) throw new ApiError(400, `The ${name} parameter must be an integer.`);
	return Number(value);
}

/** Parses and checks the list parameters of a request against a source's fields. */
export function parseListQuery(
	params: URLSearchParams,
	source: RowSource,
	options: { maxPageSize: number; defaultPageSize: number },
): ListQuery {
	const filters: Filter[] = [];
	const sorts: Sort[] = [];
	for (const [name, value] of params) {
		const filterMatch = /^filter\[([^\]:]+)(?::([A-Za-z]+))?\]$/.exec(name);
		if (filterMatch) {
			const op = OPERATORS[filterMatch[2] ?? ''];
			if (!op) throw new ApiError(400, `Unknown filter operator "${filterMatch[2]}" in ${name}.`);
			checkField(source, filterMatch[1], 'filter');
			filters.push({ field: filterMatch[1], op, value });
			continue;
		}
		const sortMatch = /^sort\[([^\]]+)\]$/.exec(name);
		if (sortMatch) {
			if (value !== '0' && value !== '1') {
				throw new ApiError(400, `Sort direction for "${sortMatch[1]}" must be 1 (descending) or 0 (ascending).`);
			}
			checkField(source, sortMatch[1], 'sort');
			sorts.push({ field: sortMatch[1], desc: value === '1' });
			continue;
		}
		if (name.startsWith('filter[') || name.startsWith('sort[')) {
			throw new ApiError(400, `Malformed list parameter "${name}".`);
		}
	}
	// Makini's FAQ mentions modified_after for incremental reads.
	const modifiedAfter = params.get('modified_after');
	if (modifiedAfter) {
		if (parseDate(modifiedAfter) === undefined) throw new ApiError(400, 'modified_after must be an ISO 8601 date.');
		if (source.fields.has('updatedAt')) filters.push({ field: 'updatedAt', op: 'gteq', value: modifiedAfter });
	}
	const match = params.get('filterMatch') ?? 'all';
	if (match !== 'all' && match !== 'any') throw new ApiError(400, 'filterMatch must be "all" or "any".');

	const page = Math.max(1, positiveInt(params.get('page'), 'page') ?? 1);
	const requested = positiveInt(params.get('per_page'), 'per_page') ?? options.defaultPageSize;
	const perPage = Math.min(options.maxPageSize, Math.max(1, requested));
	const cursor = params.get('cursor') || undefined;
	return { filters, match, sorts, page, perPage, cursor };
}

function signature(query: ListQuery, scope?: Scope): string {
	return stringify([query.filters, query.match, query.sorts, scope ?? null]);
}

function sortValues(row: Record<string, unknown>, sorts: readonly Sort[]): Norm[] {
	return sorts.map((sort) => normalize(readField(row, sort.field)));
}

/** Order of two rows: sort fields in turn, then insertion order (stable). */
function compareKeys(a: Norm[], ai: number, b: Norm[], bi: number, sorts: readonly Sort[]): number {
	for (let s = 0; s < sorts.length; s++) {
		const c = compareNorm(a[s], b[s]);
		if (c !== 0) return sorts[s].desc ? -c : c;
	}
	return ai - bi;
}

/** Row indices matching the query, in order; cached until the source changes. */
export function view(source: RowSource, query: ListQuery, scope?: Scope): Uint32Array {
	return source.views.get(signature(query, scope), source.version, () => {
		const rows = source.rows;
		const predicates = query.filters.map(rowPredicate);
		const scoped = scope ? rowPredicate({ field: scope.field, op: 'eq', value: scope.value }) : undefined;
		const any = query.match === 'any';
		const matched: number[] = [];
		for (let i = 0; i < rows.length; i++) {
			const row = rows[i];
			if (scoped && !scoped(row)) continue;
			if (predicates.length) {
				const ok = any ? predicates.some((p) => p(row)) : predicates.every((p) => p(row));
				if (!ok) continue;
			}
			matched.push(i);
		}
		if (query.sorts.length) {
			const keyed = matched.map((i) => ({ i, k: sortValues(rows[i], query.sorts) }));
			keyed.sort((a, b) => compareKeys(a.k, a.i, b.k, b.i, query.sorts));
			return Uint32Array.from(keyed, (entry) => entry.i);
		}
		return Uint32Array.from(matched);
	});
}

interface CursorState {
	v: Norm[];
	i: number;
}

export function encodeCursor(row: Record<string, unknown>, index: number, sorts: readonly Sort[]): string {
	const state: CursorState = { v: sortValues(row, sorts), i: index };
	return Buffer.from(stringify(state)).toString('base64url');
}

/** Position in a view just after the row a cursor points at (keyset paging: stable under inserts). */
export function positionAfter(source: RowSource, indices: Uint32Array, cursor: string, sorts: readonly Sort[]): number {
	let state: CursorState;
	try {
		state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
		if (!isArray(state.v) || typeof state.i !== 'number' || state.v.length !== sorts.length) throw new Error();
	} catch {
		throw new ApiError(400, 'The cursor is invalid or belongs to another sort order.');
	}
	let low = 0;
	let high = indices.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		const i = indices[mid];
		if (compareKeys(sortValues(source.rows[i], sorts), i, state.v, state.i, sorts) <= 0) low = mid + 1;
		else high = mid;
	}
	return low;
}
