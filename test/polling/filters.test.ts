/**
 * The Record Changes Trigger's typed Filters at run time (the form: test/contract/filters):
 * execution reads the input the field takes (dates as Makini's UTC text, a blank typed value
 * refused) and compares the same values locally; version 1 nodes keep their text values;
 * From List lists from the watched connection when there is one.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INode, INodeParameters, INodeType } from 'n8n-workflow';

import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { listSearch } from '../harness/execute';
import { records } from '../node/helpers';
import { credentialsOf, Poller, startProxy, useSandbox } from './helpers';

const trigger = new MakiniRecordChangesTrigger();

/** The trigger as a version 1 node of a saved workflow. */
const version1: INodeType = Object.assign(Object.create(trigger) as INodeType, {
	description: { ...trigger.description, version: 1, defaultVersion: 1 },
});

const nodeOf = (typeVersion: number) => ({ typeVersion }) as INode;

describe('Record Changes Trigger filters: n8n keeps the typed input, drops the hidden text', () => {
	const normalized = (parameters: INodeParameters, typeVersion = 2) =>
		NodeHelpers.getNodeParameters(trigger.description.properties, parameters, true, false, nodeOf(typeVersion), trigger.description) as IDataObject;
	const rowOf = (p: IDataObject) => ((p.filters as IDataObject).conditions as IDataObject[])[0];

	test('a version 1 row keeps its text value; the same row on version 2 loses it (why version 2 exists)', () => {
		const saved = { system: 'eam', resource: 'workOrder', filters: { conditions: [{ field: 'status', operator: 'equals', value: 'Waiting on Material' }] } };
		expect(rowOf(normalized(saved, 1)).value).toBe('Waiting on Material');
		expect(rowOf(normalized(saved, 2)).value).toBeUndefined();
		expect(rowOf(normalized(saved, 2)).statusNameValue).toMatchObject({ value: '' });
	});
});

describe('Record Changes Trigger filters: execution', () => {
	const env = useSandbox({ workOrders: 20 });

	/** Polls through a proxy that records each list query the trigger sends. */
	async function pollWith(nodeType: INodeType, parameters: IDataObject) {
		const queries: URLSearchParams[] = [];
		const proxy = await startProxy(env.sb.url, (query) => {
			queries.push(new URLSearchParams(query));
			return undefined;
		});
		try {
			const credentials = credentialsOf({ ...env.sb, url: proxy.url });
			const poller = new Poller(nodeType, { system: 'eam', resource: 'workOrder', ...parameters } as INodeParameters, credentials);
			const items = await poller.poll();
			return { items, queries: queries.map((q) => Object.fromEntries(q)) };
		} finally {
			await proxy.close();
		}
	}

	const picked = (value: string) => ({ __rl: true, mode: 'list', value });

	test('a picked date goes to Makini as UTC text, a picked status by name', async () => {
		const { queries } = await pollWith(trigger, {
			filters: {
				conditions: [
					{ field: 'createdAt', operator: 'gteq', dateValue: '2026-01-15T09:30:00' },
					{ field: 'status', operator: 'equals', statusNameValue: picked('Waiting on Material') },
					{ field: 'siteKey', operator: 'equals', siteValue: { __rl: true, mode: 'id', value: 'S-1' } },
				],
			},
		});
		const sent = queries.find((q) => 'filter[status]' in q)!;
		expect(sent).toMatchObject({ 'filter[createdAt:gteq]': '2026-01-15T09:30:00Z', 'filter[status]': 'Waiting on Material', 'filter[siteKey]': 'S-1' });
	});

	test('a blank typed value is refused with the field named', async () => {
		await expect(pollWith(trigger, { filters: { conditions: [{ field: 'status', operator: 'equals' }] } })).rejects.toThrow(/"Status" \(status\) has no value/);
		await expect(pollWith(trigger, { filters: { conditions: [{ field: 'dueAt', operator: 'lt', dateValue: 'soon' }] } })).rejects.toThrow(/"Due At" \(dueAt\) needs a date/);
	});

	test('a field given by expression: n8n keeps the text Value (and blank typed inputs), which is read', async () => {
		const { queries } = await pollWith(trigger, { filters: { conditions: [{ field: '={{ "status" }}', operator: 'equals', value: 'Waiting on Material' }] } });
		expect(queries.some((q) => q['filter[status]'] === 'Waiting on Material')).toBe(true);
	});

	test('a version 1 workflow’s text value still filters (example 04’s status row)', async () => {
		const { queries } = await pollWith(version1, { filters: { conditions: [{ field: 'status', operator: 'equals', value: 'Waiting on Material' }] } });
		expect(queries.some((q) => q['filter[status]'] === 'Waiting on Material')).toBe(true);
	});

	test('any-match conditions are checked here on the same typed values', async () => {
		const parameters = {
			filters: {
				conditions: [
					{ field: 'status', operator: 'equals', statusNameValue: picked('Waiting on Material') },
					{ field: 'dueAt', operator: 'lt', dateValue: '2001-01-01T00:00:00' },
				],
			},
			options: { filterMatch: 'any' },
		};
		const poller = new Poller(trigger, { system: 'eam', resource: 'workOrder', ...parameters } as INodeParameters, credentialsOf(env.sb));
		await poller.poll();
		const add = (record: IDataObject) => String((env.sb.admin.upsertRecords({ collection: 'work-orders', records: [record] })[0] as IDataObject).key);
		const statusKey = (name: string) => String(records(env.sb, 'statuses/work-orders').find((s) => s.name === name)!.key);
		const waiting = add({ title: 'Waiting', statusKey: statusKey('Waiting on Material'), dueAt: '2030-01-01T00:00:00Z' });
		const old = add({ title: 'Overdue', statusKey: statusKey('Approved'), dueAt: '2000-06-01T00:00:00Z' });
		add({ title: 'Neither', statusKey: statusKey('Approved'), dueAt: '2030-01-01T00:00:00Z' });
		const emitted: IDataObject[] = [];
		for (let i = 0; i < 5; i++) emitted.push(...(await poller.poll()));
		expect(emitted.map((r) => String(r.key)).sort()).toEqual([waiting, old].sort());
	});
});

describe('Record Changes Trigger filters: From List across connections', () => {
	const env = useSandbox({ connections: 2, workOrders: 5 });
	const search = (parameters: IDataObject, method = 'searchStatusNames') =>
		listSearch(trigger, method, {
			parameters: { authentication: 'systemApi', system: 'eam', resource: 'workOrder', ...parameters } as INodeParameters,
			credentials: credentialsOf(env.sb),
		});

	test('watching one connection lists its statuses; all or tagged answer to use By Key or By Name', async () => {
		const one = await search({ watchConnections: 'one', connection: { __rl: true, mode: 'id', value: env.sb.connections[0].id } });
		expect(one.results.map((r) => r.value)).toContain('Waiting on Material');
		for (const watchConnections of ['all', 'tags']) {
			await expect(search({ watchConnections, connectionTags: 'x' }, 'searchSite')).rejects.toThrow(/use By Key or By Name/);
		}
	});
});
