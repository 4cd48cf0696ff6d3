/** loadOptions and listSearch of the Makini node, against the sandbox over loopback. */
import type { INodeParameters } from 'n8n-workflow';

import { findOperation, recordFields } from '../../nodes/shared/registry';
import { LOCATORS } from '../../nodes/shared/registry/locators';
import { listSearch, loadOptions } from '../harness/execute';
import { nodeFor, records, useNodeSandbox } from './helpers';

const env = useNodeSandbox({ workOrders: 150 });

const options = (method: string, parameters: INodeParameters) =>
	loadOptions(nodeFor(parameters), method, { parameters, credentials: env.credentials });

describe('loadOptions', () => {
	it.each([
		['eam', 'workOrder', 'work-orders'],
		['eam', 'purchaseOrder', 'purchase-orders'],
		['erp', 'invoice', 'invoices'],
		['wms', 'fulfillment', 'fulfillments'],
	])('getStatuses: the live statuses of %s %s', async (system, resource, collection) => {
		const result = await options('getStatuses', { system, resource, operation: 'updateStatus' });
		const statuses = records(env.sb, `statuses/${collection}`);
		expect(result.map((o) => o.value).sort()).toEqual(statuses.map((s) => String(s.key)).sort());
		const first = statuses[0];
		expect(result.find((o) => o.value === first.key)?.name).toBe(first.name);
	});

	it('getFilterFields: the fields of the records the list returns that a filter can compare, by a person’s name, from the registry', async () => {
		for (const [system, resource, operation] of [
			['eam', 'workOrder', 'getMany'],
			['erp', 'salesOrder', 'getMany'],
			['wms', 'material', 'getChildren'],
		]) {
			const result = await options('getFilterFields', { system, resource, operation });
			const fields = recordFields(findOperation(system, resource, operation)!);
			const expected = fields.filter((f) => f.type !== 'array' && f.type !== 'object' && !f.fields).map((f) => f.name);
			expect(expected.length).toBeGreaterThan(0);
			expect(result.map((o) => o.value).sort()).toEqual([...expected].sort());
			expect(result.find((o) => o.value === 'updatedAt')).toMatchObject({ name: 'Updated At', description: expect.stringMatching(/date and time/) });
		}
	});

	it('getRawTables and the columns of the chosen table', async () => {
		const tables = await options('getRawTables', { system: 'platform', resource: 'rawData', operation: 'getTableData' });
		expect(tables.map((t) => t.value)).toEqual(expect.arrayContaining(['WORKORDER', 'ASSET']));
		const columns = await options('getFilterFields', { system: 'platform', resource: 'rawData', operation: 'getTableData', table: 'WORKORDER' });
		expect(columns.map((c) => c.value)).toEqual(expect.arrayContaining(['WONUM', 'SITEID', 'STATUS']));
	});
});

describe('listSearch: the status filter of Get Many', () => {
	const search = (method: string, filter?: string) =>
		listSearch(nodeFor('eam'), method, { parameters: { system: 'eam', resource: 'workOrder', operation: 'getMany' }, credentials: env.credentials }, filter);

	it('offers the live work-order statuses, by key and by name, searchable', async () => {
		const statuses = records(env.sb, 'statuses/work-orders');
		const byKey = await search('searchStatuses');
		expect(byKey.results.map((r) => r.value).sort()).toEqual(statuses.map((s) => String(s.key)).sort());
		const byName = await search('searchStatusNames');
		expect(byName.results.map((r) => r.value).sort()).toEqual(statuses.map((s) => String(s.name)).sort());
		const one = statuses[0];
		const found = await search('searchStatuses', String(one.name).toLowerCase());
		expect(found.results.map((r) => r.value)).toContain(String(one.key));
		expect(found.results.length).toBeLessThan(statuses.length);
	});
});

describe('listSearch: searchRecords', () => {
	const search = (resource: string, filter?: string, token?: string, system = 'eam') =>
		listSearch(nodeFor(system), 'searchRecords', { parameters: { system, resource, operation: 'get' }, credentials: env.credentials }, filter, token);

	it('pages through work orders, 50 at a time', async () => {
		const first = await search('workOrder');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('2');
		const last = await search('workOrder', undefined, '3');
		expect(last.results).toHaveLength(50);
		expect(last.paginationToken).toBeUndefined();
		const all = new Set([...first.results, ...(await search('workOrder', undefined, '2')).results, ...last.results].map((r) => r.value));
		expect(all.size).toBe(150);
	});

	it('finds records whose main fields contain the text, labelled by them', async () => {
		const { results } = await search('workOrder', 'pump');
		const expected = records(env.sb, 'work-orders').filter((w) =>
			LOCATORS.workOrder.search.some((field) => String(w[field] ?? '').toLowerCase().includes('pump')),
		);
		expect(results.map((r) => r.value).sort()).toEqual(expected.slice(0, 50).map((w) => String(w.key)).sort());
		const one = expected[0];
		expect(results.find((r) => r.value === one.key)?.name).toBe(`${one.code} · ${one.title}`);
	});

	it.each([
		['eam', 'asset', 'assets'],
		['erp', 'purchaseOrder', 'purchase-orders'],
		['wms', 'material', 'materials'],
		['eam', 'vendor', 'vendors'],
		['erp', 'site', 'sites'],
		['eam', 'serviceRequest', 'service-requests'],
	])('%s %s', async (system, resource, collection) => {
		const record = records(env.sb, collection)[0];
		const text = String(record[LOCATORS[resource].search[0]]).slice(0, 6);
		const { results } = await search(resource, text, undefined, system);
		expect(results.map((r) => r.value)).toContain(String(record.key));
	});
});
