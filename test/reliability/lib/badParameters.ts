/**
 * Bad parameters for every operation of the registry: empty, wrong-type and malicious
 * values for path keys, list paging, filters and sort, JSON bodies and typed fields.
 * Each case names the parameter it attacks (its display name, as the node's error must
 * name it) and, for path keys, the value a request may carry if the node sends one.
 *
 * And the rule every request must obey: the path is the operation's documented template
 * with each placeholder one safely percent-encoded segment that decodes to the intended
 * key, and the query holds only Makini's list parameters.
 */
import type { INodeParameters } from 'n8n-workflow';

import { fieldParameterName } from '../../../nodes/shared/registry/parameters';
import { PLACEHOLDER_PARAMETERS } from '../../../nodes/shared/registry/parameters';
import { findOperation, type ContractOperation } from '../../../nodes/shared/registry';
import { bodyLayout, fieldInput, hasFieldBody, pathPlaceholders } from '../../../nodes/shared/registry/fields';
import { humanize } from '../../../nodes/shared/registry/naming';

export interface BadParameterCase {
	op: ContractOperation;
	/** What was done, e.g. `key: "../"`. */
	name: string;
	parameters: INodeParameters;
	/** Display names the error must name if the node refuses (any of them). */
	names: string[];
	/** Placeholder → the value a request must carry for it, when the node sends one. */
	intended?: Record<string, string>;
	/** The value is invalid beyond doubt: the node itself must refuse it, before any request. */
	mustRefuse?: boolean;
}

/** Malicious and wrong-type values for a path key; `refuse`: invalid beyond doubt (a dot segment, control characters, not text). */
export const KEY_VALUES: Array<{ label: string; value: unknown; refuse?: boolean }> = [
	{ label: 'empty', value: '', refuse: true },
	{ label: 'blank', value: '   ', refuse: true },
	{ label: '"."', value: '.', refuse: true },
	{ label: '".."', value: '..', refuse: true },
	{ label: '"../"', value: '../', refuse: true },
	{ label: '"../../api/system/client"', value: '../../api/system/client', refuse: true },
	{ label: '"a/../../b"', value: 'a/../../b', refuse: true },
	{ label: '"..\\\\x"', value: '..\\x', refuse: true },
	{ label: '"%2e%2e/"', value: '%2e%2e/' },
	{ label: '"%2e%2e%2f%2e%2e"', value: '%2e%2e%2f%2e%2e' },
	{ label: '"a/b"', value: 'a/b' },
	{ label: '"?per_page=100000"', value: '?per_page=100000' },
	{ label: '"k#fragment"', value: 'k#fragment' },
	{ label: '"k&page=2"', value: 'k&page=2' },
	{ label: 'CR/LF header injection', value: 'k\r\nX-Injected: 1', refuse: true },
	{ label: 'LF', value: 'k\nnext', refuse: true },
	{ label: 'NUL', value: 'k\u0000', refuse: true },
	{ label: 'tab', value: 'k\tx', refuse: true },
	{ label: 'unicode', value: 'ключ-\u202e' },
	{ label: 'spaces around', value: '  06000223041215  ' },
	{ label: 'long', value: 'k'.repeat(3000) },
	{ label: 'number', value: 1234 },
	{ label: 'NaN', value: Number.NaN, refuse: true },
	{ label: 'object', value: {}, refuse: true },
	{ label: 'array', value: ['a', 'b'], refuse: true },
	{ label: 'boolean', value: true, refuse: true },
	{ label: 'null', value: null, refuse: true },
];

export const LIMIT_VALUES: unknown[] = [0, -1, -100, 1.5, Number.NaN, Infinity, 1e12, 100_001, 'abc', '', ' ', '10; DROP', null, {}, [], true];

const INJECTION = 'a&per_page=100000&page=7&filter[key]=x#frag';

/** Filter rows (`filters.conditions`) and sort rules (`options.sort.rules`) to try on filterable lists. */
export const FILTER_CASES: Array<{ label: string; filters?: unknown; sort?: unknown; names: string[]; refuse?: boolean }> = [
	{ label: 'filter value with query-string injection', filters: { conditions: [{ field: 'code', operator: 'equals', value: INJECTION }] }, names: ['Filters'] },
	{ label: 'filter value with CR/LF', filters: { conditions: [{ field: 'code', operator: 'contains', value: 'a\r\nb' }] }, names: ['Filters'] },
	{ label: 'filter field with query-string injection', filters: { conditions: [{ field: 'a&per_page=100000', operator: 'equals', value: 'x' }] }, names: ['Filters'], refuse: true },
	{ label: 'filter field with brackets', filters: { conditions: [{ field: 'a]=1&b[', operator: 'equals', value: 'x' }] }, names: ['Filters'], refuse: true },
	{ label: 'filter field __proto__', filters: { conditions: [{ field: '__proto__', operator: 'equals', value: 'x' }] }, names: ['Filters'] },
	{ label: 'filter on an unknown field', filters: { conditions: [{ field: 'noSuchField', operator: 'equals', value: 'x' }] }, names: ['Filters'] },
	{ label: 'filter operator injection', filters: { conditions: [{ field: 'code', operator: 'gt]=1&x[', value: 'x' }] }, names: ['Filters'], refuse: true },
	{ label: 'filter without a field', filters: { conditions: [{ field: '', operator: 'equals', value: 'x' }] }, names: ['Filters'], refuse: true },
	{ label: 'filter value an object', filters: { conditions: [{ field: 'code', operator: 'equals', value: { a: 1 } }] }, names: ['Filters'], refuse: true },
	{ label: 'filters not rows', filters: 'a&b=c', names: ['Filters'] },
	{ label: 'sort on an unknown field', sort: { rules: [{ field: 'noSuchField', direction: 'asc' }] }, names: ['Sort'] },
	{ label: 'sort field with query-string injection', sort: { rules: [{ field: 'updatedAt]=1&per_page=100000&x[', direction: 'desc' }] }, names: ['Sort'], refuse: true },
	{ label: 'sort field constructor', sort: { rules: [{ field: 'constructor', direction: 'desc' }] }, names: ['Sort'] },
	{ label: 'sort direction injection', sort: { rules: [{ field: 'updatedAt', direction: 'desc&per_page=100000' }] }, names: ['Sort'] },
];

export const JSON_BODIES: string[] = ['[]', '[{"title":"x"}]', '"text"', '42', 'null', 'true', '{bad json', '{"a":', '', '   ', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'];

/** Wrong-type values for a typed field, by the field's input. */
function wrongValues(input: ReturnType<typeof fieldInput>): unknown[] {
	switch (input) {
		case 'number':
		case 'integer':
			return ['abc', Number.NaN, Infinity, {}, '1e999', input === 'integer' ? 1.5 : '12 apples'];
		case 'boolean':
			return ['maybe', 2, {}];
		case 'keyList':
			return ['a,../,b', { a: 1 }];
		case 'lines':
			return ['{not json', '"text"', 42];
		case 'string':
			return [{ nested: 'object' }, ['a', 'list']];
		default:
			return [];
	}
}

/**
 * A value as an n8n expression (`={{ ... }}`): the only way a wrong type reaches a typed
 * parameter at run time (the editor stores UI values with their type, and n8n's parameter
 * resolution drops values of the wrong shape before the node sees them).
 */
export function asExpression(value: unknown): string {
	if (typeof value === 'number' && !Number.isFinite(value)) return `={{ ${String(value)} }}`;
	return `={{ ${JSON.stringify(value)} }}`;
}

/** Every bad-parameter case for one operation, starting from parameters that run it. */
export function casesFor(op: ContractOperation, valid: INodeParameters): BadParameterCase[] {
	const cases: BadParameterCase[] = [];
	const base = { system: op.system, resource: op.resource, operation: op.operation };
	const add = (name: string, parameters: INodeParameters, names: string[], intended?: Record<string, string>, mustRefuse = false) =>
		cases.push({ op, name, parameters, names, intended, mustRefuse });
	const refuse = (name: string, parameters: INodeParameters, wanted: string[]) => add(name, parameters, wanted, undefined, true);

	add('every parameter left empty', { ...base }, ['*']);

	const placeholders = pathPlaceholders(op);
	for (const placeholder of placeholders) {
		const parameter = PLACEHOLDER_PARAMETERS[placeholder];
		for (const { label, value, refuse: invalid } of KEY_VALUES) {
			const intended: Record<string, string> = {};
			for (const other of placeholders) intended[other] = String(valid[PLACEHOLDER_PARAMETERS[other].name] ?? '');
			intended[placeholder] = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '\u0000never';
			add(`${parameter.displayName}: ${label}`, { ...valid, [parameter.name]: value as string }, [parameter.displayName], intended, invalid);
			if (typeof value !== 'string') {
				add(`${parameter.displayName} (expression): ${label}`, { ...valid, [parameter.name]: asExpression(value) }, [parameter.displayName], intended, invalid);
			}
			// The same value given as a resource locator (By Key), as the editor stores it.
			if (parameter.name === 'key' && typeof value === 'string') {
				add(`${parameter.displayName} (locator): ${label}`, { ...valid, key: { __rl: true, mode: 'id', value } }, [parameter.displayName], intended, invalid);
			}
		}
	}

	if (op.list) {
		for (const limit of LIMIT_VALUES) refuse(`Limit: ${String(JSON.stringify(limit) ?? limit)}`, { ...valid, returnAll: false, limit: asExpression(limit) }, ['Limit']);
		refuse('Return All: "yes"', { ...valid, returnAll: asExpression('yes') }, ['Return All']);
		if (op.filterable) {
			for (const c of FILTER_CASES) {
				const parameters: INodeParameters = { ...valid, returnAll: false, limit: 5 };
				if (c.filters !== undefined) parameters.filters = c.filters as INodeParameters;
				if (c.sort !== undefined) parameters.options = { sort: c.sort as INodeParameters };
				add(c.label, parameters, c.names, undefined, c.refuse);
			}
			add('Updated Since: not a date', { ...valid, options: { updatedSince: 'yesterday&per_page=100000' } }, ['Updated Since']);
		}
		if (findOperation(op.system, op.resource, 'get') && op.operation === 'getMany') {
			refuse('Get by Keys: a ".." key', { ...valid, options: { keys: asExpression('a,../,b') } }, ['Get by Keys']);
			refuse('Get by Keys: an object', { ...valid, options: { keys: asExpression({ a: 1 }) } }, ['Get by Keys']);
			add('Get by Keys: CR/LF (two keys, by design)', { ...valid, options: { keys: asExpression('k\r\nX: 1') } }, ['Get by Keys']);
		}
	}

	if (hasFieldBody(op)) {
		for (const json of JSON_BODIES) add(`JSON Body: ${JSON.stringify(json)}`, { ...valid, bodyMode: 'json', jsonBody: json }, ['JSON Body'], undefined, !json.includes('__proto__'));
		const layout = bodyLayout(op);
		for (const field of [...layout.primary, ...layout.additional]) {
			const label = humanize(field.name);
			const top = layout.primary.includes(field);
			for (const value of wrongValues(fieldInput(field))) {
				const parameters: INodeParameters = { ...valid };
				if (top) parameters[fieldParameterName(field)] = asExpression(value);
				else parameters[layout.collection] = { ...((valid[layout.collection] as object) ?? {}), [field.name]: asExpression(value) } as INodeParameters;
				// n8n itself drops a value of the wrong shape for a list of lines before the node runs.
				add(`field ${field.name}: ${String(JSON.stringify(value) ?? value)}`, parameters, [label], undefined, fieldInput(field) !== 'lines');
			}
		}
		add('Custom Fields: a row without a name', { ...valid, customFields: { field: [{ name: '', value: 'x' }] } }, ['Custom Fields']);
		refuse('JSON Body: an expression giving a list', { ...valid, bodyMode: 'json', jsonBody: asExpression([{ title: 'x' }]) }, ['JSON Body']);
		refuse('JSON Body: an expression giving a number', { ...valid, bodyMode: 'json', jsonBody: asExpression(7) }, ['JSON Body']);
	}

	if (op.operation === 'updateStatus') {
		for (const { label, value, refuse: invalid } of KEY_VALUES) {
			add(`Status: ${label}`, { ...valid, status: typeof value === 'string' ? value : asExpression(value) }, ['Status'], undefined, invalid);
		}
	}
	if (op.resource === 'passthrough') {
		add('Path: traversal (sent to the connected system in the body, by design)', { ...valid, path: '../../../etc/passwd' }, ['Path']);
		refuse('Path: object', { ...valid, path: asExpression({}) }, ['Path']);
		add('Method: injection', { ...valid, method: asExpression('get\r\nX: 1') }, ['Method']);
		add('Body: a list', { ...valid, method: 'post', body: asExpression([1, 2]) }, ['Body']);
		refuse('Parameters: bad JSON', { ...valid, options: { sql: 'select 1', parameters: '{bad' } }, ['Parameters']);
	}
	refuse('unknown operation', { ...base, operation: '../../delete' }, ['*']);
	return cases;
}

/** Makini's list query parameters: anything else in a query was smuggled in. */
const QUERY_NAME = /^(page|per_page|cursor|filterMatch|modified_after|filter\[[A-Za-z_][A-Za-z0-9_.]*(:(contains|startsWith|gt|gteq|lt|lteq))?\]|sort\[[A-Za-z_][A-Za-z0-9_.]*\])$/;
export const MAX_PER_PAGE = 500;

/** The templates an operation may call: its own path, and for Get Many by keys its Get. */
export function allowedTemplates(op: ContractOperation): string[] {
	const templates = [op.path];
	const get = op.operation === 'getMany' ? findOperation(op.system, op.resource, 'get') : undefined;
	if (get) templates.push(get.path);
	return templates;
}

/** Why a request target is not one the operation may send, or undefined when it is. */
export function targetProblem(op: ContractOperation, target: string, intended?: Record<string, string>): string | undefined {
	if (target === '/link/token' && op.path.startsWith('/api/system/')) return undefined;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0020\u007f#]/.test(target)) return `raw control character, space or fragment in ${JSON.stringify(target)}`;
	const mark = target.indexOf('?');
	const path = mark === -1 ? target : target.slice(0, mark);
	const query = mark === -1 ? '' : target.slice(mark + 1);
	const segments = path.split('/');
	const problems: string[] = [];
	const matchesTemplate = (template: string) => {
		const parts = template.split('/');
		if (parts.length !== segments.length) return `path ${path} is not ${template}`;
		for (let i = 0; i < parts.length; i++) {
			const placeholder = /^\{(\w+)\}$/.exec(parts[i])?.[1];
			if (!placeholder) {
				if (parts[i] !== segments[i]) return `path ${path} is not ${template}`;
				continue;
			}
			let decoded: string;
			try {
				decoded = decodeURIComponent(segments[i]);
			} catch {
				return `segment ${segments[i]} is not valid percent-encoding`;
			}
			if (!decoded || decoded === '.' || decoded === '..') return `segment ${segments[i]} is empty or a dot segment`;
			if (segments[i] !== encodeURIComponent(decoded)) return `segment ${segments[i]} is not safely encoded`;
			const wanted = intended?.[placeholder];
			if (wanted !== undefined && template === op.path && decoded !== wanted) return `{${placeholder}} is ${JSON.stringify(decoded)}, not the intended ${JSON.stringify(wanted)}`;
		}
		return undefined;
	};
	const templateProblems = allowedTemplates(op).map(matchesTemplate);
	if (templateProblems.every(Boolean)) problems.push(templateProblems[0]!);
	const counts = new Map<string, number>();
	for (const [name, value] of new URLSearchParams(query)) {
		counts.set(name, (counts.get(name) ?? 0) + 1);
		if (!QUERY_NAME.test(name)) problems.push(`query parameter ${JSON.stringify(name)} is not one of Makini's list parameters`);
		if (name === 'per_page' && !(Number(value) >= 1 && Number(value) <= MAX_PER_PAGE)) problems.push(`per_page=${value}`);
	}
	for (const [name, count] of counts) if (count > 1) problems.push(`query parameter ${name} sent ${count} times`);
	if (query && !op.list) problems.push(`a query on a non-list operation: ${query}`);
	return problems.length ? problems.join('; ') : undefined;
}
