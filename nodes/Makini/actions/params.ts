/**
 * Reading and checking parameters. A bad parameter is a NodeOperationError that names
 * it, raised before any request: a key can never turn into another path.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { typeName } from '../../shared/parameters';
import { pathWithParams } from '../../shared/transport';
import type { ContractOperation } from '../../shared/registry';
import { pathPlaceholders } from '../../shared/registry/fields';
import { DEFAULT_LIMIT } from '../../shared/registry/lists';
import { PLACEHOLDER_PARAMETERS } from '../../shared/registry/parameters';

/** Above this, Return All is the honest choice (and pages are still read one by one). */
export const MAX_LIMIT = 100_000;

export function parameterError(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string) {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/** A key given by the builder: text, not empty, and not a path (no `.` or `..` segment). */
export function checkKey(ctx: IExecuteFunctions, raw: unknown, displayName: string, itemIndex: number): string {
	if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
	if (typeof raw !== 'string') {
		throw parameterError(ctx, itemIndex, `The parameter "${displayName}" must be a key (text), not ${typeName(raw)}`);
	}
	const value = raw.trim();
	if (!value) {
		throw parameterError(
			ctx,
			itemIndex,
			`The parameter "${displayName}" is empty`,
			'Set it to the Makini key of the record (its `key` field), e.g. from a previous Get Many.',
		);
	}
	if (value.split(/[\\/]/).some((segment) => segment === '.' || segment === '..') || /\p{Cc}/u.test(value)) {
		throw parameterError(
			ctx,
			itemIndex,
			`The parameter "${displayName}" is not a valid key`,
			'A Makini key identifies one record, e.g. "06000223041215"; it cannot contain "." or ".." path segments or control characters.',
		);
	}
	return value;
}

/** The checked values of the operation's path placeholders, from their parameters. */
export function resolvePathParams(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): Record<string, string> {
	const params: Record<string, string> = {};
	for (const placeholder of pathPlaceholders(op)) {
		const parameter = PLACEHOLDER_PARAMETERS[placeholder];
		const raw = ctx.getNodeParameter(parameter.name, itemIndex, '', { extractValue: true });
		params[placeholder] = checkKey(ctx, raw, parameter.displayName, itemIndex);
	}
	return params;
}

/** The operation's documented path with its placeholders filled from their parameters. */
export function resolvePath(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): string {
	return pathWithParams(ctx.getNode(), op.path, resolvePathParams(ctx, op, itemIndex), itemIndex);
}

export function readBoolean(ctx: IExecuteFunctions, name: string, displayName: string, itemIndex: number, fallback = false): boolean {
	const raw = ctx.getNodeParameter(name, itemIndex, fallback);
	if (typeof raw === 'boolean') return raw;
	if (raw === 'true' || raw === 'false') return raw === 'true';
	throw parameterError(ctx, itemIndex, `The parameter "${displayName}" must be true or false, not ${typeName(raw)}`);
}

export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw: unknown = ctx.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT);
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw parameterError(ctx, itemIndex, `The parameter "Limit" must be a whole number of at least 1, not ${JSON.stringify(raw)}`);
	}
	if (limit > MAX_LIMIT) {
		throw parameterError(
			ctx,
			itemIndex,
			`The parameter "Limit" is too large (${limit}); the most is ${MAX_LIMIT}`,
			'Turn on Return All to read every record.',
		);
	}
	return limit;
}

/** Comma- or newline-separated keys, or a list from an expression. */
export function keyList(ctx: IExecuteFunctions, raw: unknown, displayName: string, itemIndex: number): string[] {
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,\n]/) : undefined;
	if (!parts) {
		throw parameterError(ctx, itemIndex, `The parameter "${displayName}" must be keys (text or a list), not ${typeName(raw)}`);
	}
	return parts
		.map((part) => (typeof part === 'number' ? String(part) : part))
		.filter((part) => part !== '' && part !== null && part !== undefined)
		.map((part) => checkKey(ctx, part, displayName, itemIndex));
}

/** JSON from a json parameter: text to parse, or what an expression already produced. */
export function readJson(
	ctx: IExecuteFunctions,
	raw: unknown,
	displayName: string,
	itemIndex: number,
	shape: 'object' | 'array' | 'any' = 'any',
): unknown {
	let value = raw;
	if (typeof raw === 'string') {
		if (!raw.trim()) return undefined;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw parameterError(ctx, itemIndex, `The parameter "${displayName}" is not valid JSON`, (error as Error).message);
		}
	}
	const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
	if (shape === 'object' && !isObject) {
		throw parameterError(ctx, itemIndex, `The parameter "${displayName}" must be a JSON object, not ${typeName(value)}`);
	}
	if (shape === 'array' && !Array.isArray(value)) {
		throw parameterError(ctx, itemIndex, `The parameter "${displayName}" must be a JSON array, not ${typeName(value)}`);
	}
	return value;
}

/** Text that may hold JSON (untyped fields): parsed when it is JSON, kept as text otherwise. */
export function lenientJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!/^[[{"]|^-?\d|^(true|false|null)$/.test(text)) return value;
	try {
		return JSON.parse(text);
	} catch {
		return value;
	}
}
