/**
 * Builds Makini's list query: `filter[field:op]=value`, `filterMatch`, `sort[field]=0|1`.
 */
import type { QueryValue } from './request';

export const FILTER_OPERATORS = ['equals', 'contains', 'startsWith', 'gt', 'gteq', 'lt', 'lteq'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface ListFilter {
	field: string;
	operator: FilterOperator;
	value: string | number | boolean;
}

export interface ListSort {
	field: string;
	direction: 'asc' | 'desc';
}

export interface ListQueryOptions {
	filters?: ListFilter[];
	match?: 'all' | 'any';
	sort?: ListSort[];
	/**
	 * Only records updated at or after this moment (ISO 8601), as the spec's `updatedAt`
	 * filter. Makini's FAQ also names `modified_after`, which is not sent: read as
	 * "strictly after", it would drop the records that share the given moment.
	 */
	updatedSince?: string;
}

/** Field names are camelCase identifiers; anything else could smuggle query syntax in. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function filterKey(field: string, operator: FilterOperator): string {
	return operator === 'equals' ? `filter[${field}]` : `filter[${field}:${operator}]`;
}

/**
 * The query for a list. Throws an Error naming the bad field; callers turn it into a
 * NodeOperationError for their parameter.
 */
export function buildListQuery(options: ListQueryOptions): Record<string, QueryValue> {
	const query: Record<string, QueryValue> = {};
	const filters = [...(options.filters ?? [])];
	if (options.updatedSince) {
		filters.push({ field: 'updatedAt', operator: 'gteq', value: options.updatedSince });
	}
	for (const filter of filters) {
		if (!FIELD_NAME.test(filter.field)) throw new Error(`Invalid filter field "${filter.field}"`);
		if (!FILTER_OPERATORS.includes(filter.operator)) {
			throw new Error(`Invalid filter operator "${String(filter.operator)}" for field "${filter.field}"`);
		}
		query[filterKey(filter.field, filter.operator)] = String(filter.value);
	}
	if (filters.length > 1 && options.match) query.filterMatch = options.match;
	for (const sort of options.sort ?? []) {
		if (!FIELD_NAME.test(sort.field)) throw new Error(`Invalid sort field "${sort.field}"`);
		// Makini: 1 sorts descending, 0 ascending.
		query[`sort[${sort.field}]`] = sort.direction === 'desc' ? 1 : 0;
	}
	return query;
}
