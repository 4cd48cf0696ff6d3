/**
 * The builder's filters (field / operator / value rows, match all or any), split into
 * what Makini can filter and what the trigger checks itself.
 *
 * Makini has one `filterMatch` for every condition of a request, including the
 * trigger's own cursor condition on the timestamp. So with "any" and several rows the
 * conditions are checked here, on the changed records Makini returns; with "all" they
 * go to Makini, except a row that would overwrite one of the trigger's own query keys.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { readFilterRows } from '../shared/filterRows';
import { instant } from '../shared/time';
import { buildListQuery, filterKey, type ListFilter } from '../shared/transport';
import { filterRowTypes, TYPED_FILTERS_VERSION } from './filterInputs';
import type { WatchedResource } from './resources';

export interface Conditions {
	/** Sent to Makini (all must match). */
	server: ListFilter[];
	/** Checked on each returned record. */
	local: ListFilter[];
	localMatch: 'all' | 'any';
}

/** Query keys the trigger sets itself for its cursor. */
export function reservedKeys(timestampField: string): Set<string> {
	return new Set([
		filterKey(timestampField, 'gteq'),
		filterKey(timestampField, 'lteq'),
		filterKey(timestampField, 'gt'),
		filterKey('key', 'gt'),
	]);
}

/**
 * `watched`: the list the rows filter. From version 2 a row's value is in the input its
 * field takes (a date, a status, a record; see filterInputs), read as the Makini node reads
 * it; version 1 rows are text.
 */
export function readConditions(ctx: IPollFunctions, timestampField: string | undefined, watched: WatchedResource): Conditions {
	let filters: ListFilter[];
	const typed = ctx.getNode().typeVersion >= TYPED_FILTERS_VERSION ? filterRowTypes(watched, ctx.getTimezone()) : undefined;
	try {
		filters = readFilterRows(ctx.getNodeParameter('filters', {}), typed);
		// Conditions checked here are never sent, but their fields obey the same syntax rule.
		buildListQuery({ filters });
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: 'Each filter needs a field from the list, an operator and a value.',
		});
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const match = options.filterMatch === 'any' ? 'any' : 'all';
	if (match === 'any' && filters.length > 1) return { server: [], local: filters, localMatch: 'any' };
	const reserved = timestampField ? reservedKeys(timestampField) : new Set<string>();
	return {
		server: filters.filter((f) => !reserved.has(filterKey(f.field, f.operator))),
		local: filters.filter((f) => reserved.has(filterKey(f.field, f.operator))),
		localMatch: 'all',
	};
}

function readPath(record: IDataObject, field: string): unknown {
	let current: unknown = record;
	for (const part of field.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as IDataObject)[part];
	}
	return current;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Compares as Makini does: dates as dates, numbers as numbers, otherwise text without case. */
function compare(actual: unknown, expected: string): number | undefined {
	if (actual === null || actual === undefined) return undefined;
	const text = String(actual);
	const left = instant(text);
	const right = instant(expected);
	if (left !== undefined && right !== undefined && /^\d{4}-\d{2}-\d{2}/.test(text) && /^\d{4}-\d{2}-\d{2}/.test(expected)) {
		return left - right;
	}
	if ((typeof actual === 'number' || NUMBER.test(text)) && NUMBER.test(expected)) return Number(text) - Number(expected);
	const a = text.toLowerCase();
	const b = expected.toLowerCase();
	return a < b ? -1 : a > b ? 1 : 0;
}

function matchesValue(actual: unknown, filter: ListFilter): boolean {
	const expected = String(filter.value);
	const text = actual === null || actual === undefined ? '' : typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
	switch (filter.operator) {
		case 'contains':
			return text.toLowerCase().includes(expected.toLowerCase());
		case 'startsWith':
			return text.toLowerCase().startsWith(expected.toLowerCase());
		case 'equals':
			return text.toLowerCase() === expected.toLowerCase() || compare(actual, expected) === 0;
		default: {
			const order = compare(actual, expected);
			if (order === undefined) return false;
			if (filter.operator === 'gt') return order > 0;
			if (filter.operator === 'gteq') return order >= 0;
			if (filter.operator === 'lt') return order < 0;
			return order <= 0;
		}
	}
}

export function matchesCondition(record: IDataObject, filter: ListFilter): boolean {
	const value = readPath(record, filter.field);
	// A list field matches when one of its elements does, as in Makini's filters.
	return Array.isArray(value) ? value.some((v) => matchesValue(v, filter)) : matchesValue(value, filter);
}

/** Whether a record passes the conditions Makini could not apply. */
export function passesLocal(conditions: Conditions, record: IDataObject): boolean {
	if (!conditions.local.length) return true;
	return conditions.localMatch === 'any'
		? conditions.local.some((f) => matchesCondition(record, f))
		: conditions.local.every((f) => matchesCondition(record, f));
}

/** Identifies the watch: when it changes, the cursor starts over. */
export function conditionsSignature(conditions: Conditions): string {
	return JSON.stringify([conditions.server, conditions.local, conditions.localMatch]);
}
