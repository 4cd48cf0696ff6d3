/**
 * Derives the response schemas of Makini's OpenAPI files into the compact form the
 * sandbox's spec shape and the schema-match test use (sandbox/contract/responses.json,
 * committed: neither needs the OpenAPI files at run time).
 *
 * The files type fields with OpenAPI types and a few of their own: `nullable|date`,
 * `nullable|numeric`, `numeric|required`, `nullable`, and `format: nullable` on strings.
 */
import type { ResponseSchema, ResponseTables } from '../../sandbox/contract/shape';
import type { OasDocument } from './derive';

interface RawSchema {
	type?: string;
	format?: string;
	nullable?: boolean;
	properties?: Record<string, RawSchema> | unknown[];
	items?: RawSchema;
	$ref?: string;
}

function compact(system: string, raw: RawSchema | undefined): ResponseSchema {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { t: 'any' };
	if (raw.$ref) return { t: 'object', r: `${system}.${raw.$ref.split('/').pop()}` };
	const nullable = raw.nullable === true || raw.format === 'nullable' || (raw.type ?? '').split('|').includes('nullable');
	const words = (raw.type ?? '').split('|');
	let schema: ResponseSchema;
	if (words.includes('date')) schema = { t: 'string', d: true };
	else if (words.includes('numeric') || raw.type === 'number') schema = { t: 'number' };
	else if (raw.type === 'integer') schema = { t: 'integer' };
	else if (raw.type === 'string') schema = { t: 'string' };
	else if (raw.type === 'boolean') schema = { t: 'boolean' };
	else if (raw.type === 'array') schema = raw.items ? { t: 'array', i: compact(system, raw.items) } : { t: 'array' };
	else if (raw.type === 'object' || raw.properties) {
		schema = { t: 'object' };
		if (raw.properties && !Array.isArray(raw.properties)) {
			schema.p = Object.fromEntries(Object.entries(raw.properties).map(([name, part]) => [name, compact(system, part)]));
		}
	} else schema = { t: 'any' };
	if (nullable) schema.n = true;
	return schema;
}

/** One OpenAPI file's response schemas. */
export function deriveResponses(system: string, doc: OasDocument): ResponseTables {
	const schemas: Record<string, ResponseSchema> = {};
	for (const [name, raw] of Object.entries(doc.components?.schemas ?? {})) {
		schemas[`${system}.${name}`] = Array.isArray(raw) ? { t: 'object' } : compact(system, raw as RawSchema);
	}
	const operations: Record<string, ResponseSchema> = {};
	for (const [path, methods] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(methods ?? {})) {
			const raw = op?.responses?.['200']?.content?.['application/json']?.schema;
			if (raw) operations[`${method.toUpperCase()} ${path}`] = compact(system, raw as RawSchema);
		}
	}
	return { schemas, operations };
}

/** All files' response schemas, merged. */
export function deriveAllResponses(docs: Record<string, OasDocument>): ResponseTables {
	const out: ResponseTables = { schemas: {}, operations: {} };
	for (const [system, doc] of Object.entries(docs)) {
		const one = deriveResponses(system, doc);
		Object.assign(out.schemas, one.schemas);
		Object.assign(out.operations, one.operations);
	}
	return out;
}
