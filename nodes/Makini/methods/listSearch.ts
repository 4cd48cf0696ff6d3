/**
 * Resource locators' "From List": a page of records, searched on their main fields. One
 * method for the record of the operation (Get, Update...), one per resource a key field
 * can name (vendorKey → searchVendor, in the node's current system), and the statuses
 * of the resource being written.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { buildListQuery, makiniApiRequest, makiniCollect, nextPage, pageRecords } from '../../shared/transport';
import { findOperation, recordFields, resourcesOf, type ContractOperation } from '../../shared/registry';
import { currentRequestAuth } from '../../shared/connection';
import { locatorFor } from '../../shared/registry/locators';
import { keySearchMethod } from '../../shared/registry/keyTargets';
import { SYSTEMS } from '../../shared/registry/naming';
import { currentOperation, currentParameter } from './context';

export { searchConnections } from '../../shared/connectionSearch';

const PAGE_SIZE = 50;
/** Statuses are a short lookup list; this bounds a misbehaving server. */
const MAX_STATUSES = 2000;

type Search = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function label(record: IDataObject, fields: string[]): string {
	const parts = fields.map((field) => record[field]).filter((v) => typeof v === 'string' || typeof v === 'number');
	return parts.length ? parts.map(String).join(' · ') : String(record.key);
}

async function searchList(ctx: ILoadOptionsFunctions, op: ContractOperation, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const locator = locatorFor(op.resource, recordFields(op).map((f) => f.name));
	const page = Math.max(1, Number(paginationToken) || 1);
	const term = filter?.trim();
	const query =
		term && locator.search.length
			? buildListQuery({
					filters: locator.search.map((field) => ({ field, operator: 'contains' as const, value: term })),
					match: 'any',
				})
			: {};
	const body = await makiniApiRequest.call(ctx, {
		method: 'GET',
		path: op.path,
		query: { ...query, page, per_page: PAGE_SIZE },
		...currentRequestAuth(ctx, op),
	});
	const records = pageRecords(body);
	const more = nextPage(body, page, records.length, PAGE_SIZE) !== undefined;
	return {
		results: records
			.filter((record) => record.key !== undefined && record.key !== null)
			.map((record) => ({ name: label(record, locator.label.length ? locator.label : ['name']), value: String(record.key) })),
		paginationToken: more ? String(page + 1) : undefined,
	};
}

/** The record of the current operation (Get, Update, Update Status...). */
export const searchRecords: Search = async function (filter, paginationToken) {
	return await searchList(this, currentOperation(this, 'getMany'), filter, paginationToken);
};

async function statusOptions(ctx: ILoadOptionsFunctions, filter: string | undefined, value: (status: IDataObject) => string) {
	const op = currentOperation(ctx, 'getStatuses');
	const statuses = await makiniCollect.call(ctx, { method: 'GET', path: op.path, ...currentRequestAuth(ctx, op) }, { limit: MAX_STATUSES });
	const term = filter?.trim().toLowerCase() ?? '';
	return {
		results: statuses
			.filter((status) => value(status))
			.map((status) => ({ name: [text(status.code), text(status.name)].filter(Boolean).join(' · ') || text(status.key), value: value(status) }))
			.filter((option) => !term || option.name.toLowerCase().includes(term)),
	};
}

/**
 * The statuses of the resource being written or listed, by key, filtered by name or code on
 * this side (one short list).
 */
export const searchStatuses: Search = async function (filter) {
	return await statusOptions(this, filter, (status) => text(status.key));
};

/** The same list by name: what a record's `status` field holds, for a filter on it. */
export const searchStatusNames: Search = async function (filter) {
	return await statusOptions(this, filter, (status) => text(status.name) || text(status.code));
};

function searchOf(resource: string): Search {
	return async function (filter, paginationToken) {
		const system = currentParameter(this, 'system');
		const op = findOperation(system, resource, 'getMany');
		if (!op) return { results: [] };
		return await searchList(this, op, filter, paginationToken);
	};
}

/** One search per resource any system lists: what a key field's "From List" calls. */
export const keySearches: Record<string, Search> = Object.fromEntries(
	[...new Set(SYSTEMS.flatMap(({ value }) => resourcesOf(value)))]
		.filter((resource) => SYSTEMS.some(({ value }) => findOperation(value, resource, 'getMany')?.list))
		.map((resource) => [keySearchMethod(resource), searchOf(resource)]),
);
