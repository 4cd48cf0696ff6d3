/**
 * Resource locators' "From List" searches that the Makini nodes and the Record Changes
 * Trigger share: one per resource a key field can name (vendorKey → searchVendor, in the
 * node's current system), and the statuses of the node's current resource (by key and by
 * name). Each node says how its searches authenticate (`SearchAuth`): the Makini node's
 * Connection, the trigger's watched connection.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { RequestAuth } from './connection';
import { currentOperation, currentParameter } from './currentOperation';
import { findOperation, recordFields, resourcesOf, type ContractOperation } from './registry';
import { keySearchMethod } from './registry/keyTargets';
import { locatorFor } from './registry/locators';
import { SYSTEMS } from './registry/naming';
import { buildListQuery, makiniApiRequest, makiniCollect, nextPage, pageRecords } from './transport';

const PAGE_SIZE = 50;
/** Statuses are a short lookup list; this bounds a misbehaving server. */
const MAX_STATUSES = 2000;

export type ListSearch = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** The credential and connection a search's request uses, from the node's current parameters. */
export type SearchAuth = (ctx: ILoadOptionsFunctions, op: ContractOperation) => RequestAuth;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function label(record: IDataObject, fields: string[]): string {
	const parts = fields.map((field) => record[field]).filter((v) => typeof v === 'string' || typeof v === 'number');
	return parts.length ? parts.map(String).join(' · ') : String(record.key);
}

/** A page of a list's records, searched on their main fields, labelled as a person knows them. */
export async function searchList(
	ctx: ILoadOptionsFunctions,
	op: ContractOperation,
	auth: SearchAuth,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
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
	const request = auth(ctx, op);
	const body = await makiniApiRequest.call(ctx, { method: 'GET', path: op.path, query: { ...query, page, per_page: PAGE_SIZE }, ...request });
	const records = pageRecords(body);
	const more = nextPage(body, page, records.length, PAGE_SIZE) !== undefined;
	return {
		results: records
			.filter((record) => record.key !== undefined && record.key !== null)
			.map((record) => ({ name: label(record, locator.label.length ? locator.label : ['name']), value: String(record.key) })),
		paginationToken: more ? String(page + 1) : undefined,
	};
}

async function statusOptions(ctx: ILoadOptionsFunctions, auth: SearchAuth, filter: string | undefined, value: (status: IDataObject) => string) {
	const op = currentOperation(ctx, 'getStatuses');
	const statuses = await makiniCollect.call(ctx, { method: 'GET', path: op.path, ...auth(ctx, op) }, { limit: MAX_STATUSES });
	const term = filter?.trim().toLowerCase() ?? '';
	return {
		results: statuses
			.filter((status) => value(status))
			.map((status) => ({ name: [text(status.code), text(status.name)].filter(Boolean).join(' · ') || text(status.key), value: value(status) }))
			.filter((option) => !term || option.name.toLowerCase().includes(term)),
	};
}

/** Every resource some system lists: the records a key field's "From List" can search. */
const LISTED_RESOURCES = [...new Set(SYSTEMS.flatMap(({ value }) => resourcesOf(value)))].filter((resource) =>
	SYSTEMS.some(({ value }) => findOperation(value, resource, 'getMany')?.list),
);

/**
 * The shared searches, authenticated as the node says: `searchStatuses` (a status by key,
 * filtered by name or code on this side: one short list), `searchStatusNames` (the same
 * list by name, what a record's `status` field holds) and one `search<Resource>` per listed
 * resource.
 */
export function listSearches(auth: SearchAuth): Record<string, ListSearch> {
	const searches: Record<string, ListSearch> = {
		searchStatuses: async function (filter) {
			return await statusOptions(this, auth, filter, (status) => text(status.key));
		},
		searchStatusNames: async function (filter) {
			return await statusOptions(this, auth, filter, (status) => text(status.name) || text(status.code));
		},
	};
	for (const resource of LISTED_RESOURCES) {
		searches[keySearchMethod(resource)] = async function (filter, paginationToken) {
			const op = findOperation(currentParameter(this, 'system'), resource, 'getMany');
			if (!op) return { results: [] };
			return await searchList(this, op, auth, filter, paginationToken);
		};
	}
	return searches;
}
