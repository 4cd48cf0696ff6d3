/**
 * Get Many and every other list (statuses, custom fields, materials, connections, raw
 * rows): one page by default, all pages with Return All, filters / match / sort /
 * Updated Since as Makini's query, and Get by Keys.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readFilterRows } from '../../shared/filterRows';
import { collectionRows, toIsoText } from '../../shared/parameters';
import { buildListQuery, makiniCollect, pathWithParams, type ListFilter, type ListSort, type QueryValue } from '../../shared/transport';
import { findOperation, type ContractOperation } from '../../shared/registry';
import { requestAuth } from '../../shared/connection';
import { filterValueKindOf, filterValueParameterOf } from '../../shared/registry/filters';
import { supportsKeys } from '../../shared/registry/lists';
import { keyList, parameterError, readBoolean, readLimit, resolvePath } from './params';
import { recordsOf, sendTo, type ActionHandler } from './request';
import { simplifyIfAsked } from './simplify';

function sortField(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const field = typeof raw === 'string' ? raw.trim() : '';
	if (!field) throw parameterError(ctx, itemIndex, 'A row of the parameter "Sort" has no field');
	return field;
}

/** Makini's list query from Filters and Options. */
export function listQuery(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): Record<string, QueryValue> {
	if (!op.filterable) return {};
	let filters: ListFilter[];
	try {
		filters = readFilterRows(ctx.getNodeParameter('filters', itemIndex, {}), {
			kindOf: (field) => filterValueKindOf(op, field),
			parameterOf: (field) => filterValueParameterOf(op, field),
			timeZone: ctx.getTimezone(),
		});
	} catch (error) {
		throw parameterError(ctx, itemIndex, (error as Error).message);
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const match = options.filterMatch === 'any' ? 'any' : 'all';
	const sort: ListSort[] = collectionRows(options.sort).map((row) => ({
		field: sortField(ctx, row.field, itemIndex),
		direction: row.direction === 'desc' ? 'desc' : 'asc',
	}));
	const since = toIsoText(options.updatedSince);
	const updatedSince = typeof since === 'string' && since ? since : undefined;
	if (updatedSince && match === 'any' && filters.length) {
		// Makini has one filterMatch for all conditions: "any" would OR the date in too.
		throw parameterError(
			ctx,
			itemIndex,
			'The option "Updated Since" cannot be combined with "Match: Any Filter"',
			'Use Match: All Filters, or add updatedAt with At Least as one of the filters instead.',
		);
	}
	try {
		return buildListQuery({ filters, match, sort, updatedSince });
	} catch (error) {
		throw parameterError(ctx, itemIndex, `The parameter "Filters" or "Sort" is invalid: ${(error as Error).message}`);
	}
}

/** Reads a list operation: one page (Limit) or every page (Return All). */
export async function readList(ctx: IExecuteFunctions, op: ContractOperation, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = readBoolean(ctx, 'returnAll', 'Return All', itemIndex);
	const limit = returnAll ? undefined : readLimit(ctx, itemIndex);
	const query = listQuery(ctx, op, itemIndex);
	const path = resolvePath(ctx, op, itemIndex);
	return await makiniCollect.call(
		ctx,
		{ method: 'GET', path, query, ...requestAuth(ctx, op, itemIndex), itemIndex },
		{ limit },
	);
}

/** How many keys are read at once: Makini has no multi-key read, so one request per key. */
const KEY_CONCURRENCY = 5;

/**
 * Get by Keys. Makini documents no way to read several keys in one list request
 * (`filter[key]` takes one value), so the fewest requests are one Get per distinct key.
 */
async function readByKeys(ctx: IExecuteFunctions, op: ContractOperation, keys: string[], itemIndex: number) {
	const getOp = findOperation(op.system, op.resource, 'get')!;
	const distinct = [...new Set(keys)];
	const records: IDataObject[] = [];
	for (let start = 0; start < distinct.length; start += KEY_CONCURRENCY) {
		const batch = distinct.slice(start, start + KEY_CONCURRENCY);
		const answers = await Promise.all(
			batch.map(async (key) =>
				recordsOf(await sendTo(ctx, getOp, pathWithParams(ctx.getNode(), getOp.path, { key }, itemIndex), itemIndex)),
			),
		);
		for (const answer of answers) records.push(...answer);
	}
	return records;
}

export const getMany: ActionHandler = async function (op, itemIndex) {
	if (supportsKeys(op)) {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		if (options.keys !== undefined && options.keys !== '') {
			const keys = keyList(this, options.keys, 'Get by Keys', itemIndex);
			if (keys.length) return simplifyIfAsked(this, op, itemIndex, await readByKeys(this, op, keys, itemIndex));
		}
	}
	return simplifyIfAsked(this, op, itemIndex, await readList(this, op, itemIndex));
};
