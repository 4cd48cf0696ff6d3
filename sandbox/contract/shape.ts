/**
 * The spec shape: the sandbox's answers as Makini's OpenAPI files literally type them
 * (sandbox/contract/responses.json, derived by `npm run derive`). The default shape sends
 * the sandbox's own types (dates, quantities and prices as text or numbers, lists of keys,
 * null for an empty field); the real service may answer either way, so the node is tested
 * against both. Also the check of an answer against its schema, for the schema-match test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type AnswerShape = 'sandbox' | 'spec';
export const ANSWER_SHAPES: readonly AnswerShape[] = ['sandbox', 'spec'];

export interface ResponseSchema {
	t: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';
	n?: true;
	d?: true;
	p?: Record<string, ResponseSchema>;
	i?: ResponseSchema;
	r?: string;
}

export interface ResponseTables {
	schemas: Record<string, ResponseSchema>;
	operations: Record<string, ResponseSchema>;
}

let loaded: ResponseTables | undefined;
export function responseTables(): ResponseTables {
	loaded ??= JSON.parse(readFileSync(join(__dirname, 'responses.json'), 'utf8')) as ResponseTables;
	return loaded;
}

const resolved = new WeakMap<ResponseSchema, ResponseSchema>();
function resolve(schema: ResponseSchema, tables: ResponseTables): ResponseSchema {
	if (!schema.r) return schema;
	let target = resolved.get(schema);
	if (!target) {
		target = { ...(tables.schemas[schema.r] ?? { t: 'object' }), ...(schema.n ? { n: true as const } : {}) };
		resolved.set(schema, target);
	}
	return target;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const looksLikeDate = (value: string) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
const DROP = Symbol('drop');

/**
 * An object where the spec types a quantity, price or date as an object without saying
 * more: a date as PHP serialises a DateTime (`{date, timezone_type, timezone}`, Makini's
 * API is PHP), any other value as `{value}`.
 */
function asObject(value: unknown): Record<string, unknown> {
	if (typeof value === 'string' && looksLikeDate(value)) {
		const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
		const text = Number.isNaN(date.getTime()) ? value : date.toISOString().replace('T', ' ').replace('Z', '000');
		return { date: text, timezone_type: 3, timezone: 'UTC' };
	}
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { value: Number(value) };
	return { value };
}

function reshape(value: unknown, raw: ResponseSchema, tables: ResponseTables): unknown {
	const schema = resolve(raw, tables);
	if (value === null || value === undefined) return schema.n || schema.t === 'any' ? null : DROP;
	switch (schema.t) {
		case 'any':
			return value;
		case 'string':
			if (typeof value === 'string') return value;
			if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
			if (isRecord(value)) return JSON.stringify(value);
			return String(value);
		case 'number':
		case 'integer': {
			const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
			if (!Number.isFinite(n)) return schema.n ? null : DROP;
			return schema.t === 'integer' ? Math.round(n) : n;
		}
		case 'boolean':
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 1) return true;
			if (value === 'false' || value === 0) return false;
			return schema.n ? null : DROP;
		case 'array': {
			const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').filter(Boolean) : [value];
			if (!schema.i) return list;
			return list.map((v) => reshape(v, schema.i!, tables)).filter((v) => v !== DROP);
		}
		case 'object': {
			if (!isRecord(value)) return schema.p ? DROP : asObject(value);
			if (!schema.p) return value;
			const out: Record<string, unknown> = {};
			for (const [name, part] of Object.entries(value)) {
				const shaped = schema.p[name] ? reshape(part, schema.p[name], tables) : part;
				if (shaped !== DROP) out[name] = shaped;
			}
			return out;
		}
	}
}

/** The answer to `<METHOD> <path template>` in the spec's shape (unchanged where the spec has no schema). */
export function toSpecShape(method: string, template: string, body: unknown, tables = responseTables()): unknown {
	const schema = tables.operations[`${method} ${template}`];
	if (!schema) return body;
	const shaped = reshape(body, schema, tables);
	return shaped === DROP ? body : shaped;
}

/** Where `value` departs from `schema`: `strict` allows null only where the spec does. */
export function schemaMismatches(value: unknown, raw: ResponseSchema, tables: ResponseTables, strict: boolean, path = '$'): string[] {
	const schema = resolve(raw, tables);
	if (value === null) return schema.n || schema.t === 'any' || !strict ? [] : [`${path}: null, the spec says ${schema.t}`];
	if (value === undefined) return [];
	const wrong = (what: string) => [`${path}: ${what}, the spec says ${schema.t}`];
	switch (schema.t) {
		case 'any':
			return [];
		case 'string':
			return typeof value === 'string' ? [] : wrong(Array.isArray(value) ? 'a list' : typeof value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value) ? [] : wrong(typeof value);
		case 'integer':
			return Number.isInteger(value) ? [] : wrong(typeof value);
		case 'boolean':
			return typeof value === 'boolean' ? [] : wrong(typeof value);
		case 'array':
			if (!Array.isArray(value)) return wrong(typeof value);
			return schema.i ? value.flatMap((v, i) => schemaMismatches(v, schema.i!, tables, strict, `${path}[${i}]`)) : [];
		case 'object':
			if (!isRecord(value)) return wrong(Array.isArray(value) ? 'a list' : typeof value);
			if (!schema.p) return [];
			return Object.entries(schema.p).flatMap(([name, part]) => schemaMismatches(value[name], part, tables, strict, `${path}.${name}`));
	}
}
