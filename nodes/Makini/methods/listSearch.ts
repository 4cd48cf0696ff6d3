/** Resource locators' "From List": a page of records, searched on their main fields. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { buildListQuery, makiniApiRequest, nextPage, pageRecords } from '../../shared/transport';
import { currentRequestAuth } from '../../shared/connection';
import { LOCATORS } from '../../shared/registry/locators';
import { currentOperation, currentParameter } from './context';

export { searchConnections } from '../../shared/connectionSearch';

const PAGE_SIZE = 50;

function label(record: IDataObject, fields: string[]): string {
	const parts = fields.map((field) => record[field]).filter((v) => typeof v === 'string' || typeof v === 'number');
	return parts.length ? parts.map(String).join(' · ') : String(record.key);
}

export async function searchRecords(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const op = currentOperation(this, 'getMany');
	const locator = LOCATORS[currentParameter(this, 'resource')] ?? { label: ['name'], search: ['name'] };
	const page = Math.max(1, Number(paginationToken) || 1);
	const term = filter?.trim();
	const query = term
		? buildListQuery({
				filters: locator.search.map((field) => ({ field, operator: 'contains' as const, value: term })),
				match: 'any',
			})
		: {};
	const body = await makiniApiRequest.call(this, {
		method: 'GET',
		path: op.path,
		query: { ...query, page, per_page: PAGE_SIZE },
		...currentRequestAuth(this, op),
	});
	const records = pageRecords(body);
	const more = nextPage(body, page, records.length, PAGE_SIZE) !== undefined;
	return {
		results: records
			.filter((record) => record.key !== undefined && record.key !== null)
			.map((record) => ({ name: label(record, locator.label), value: String(record.key) })),
		paginationToken: more ? String(page + 1) : undefined,
	};
}
