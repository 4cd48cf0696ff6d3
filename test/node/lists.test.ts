/**
 * Get Many through the node against the sandbox: one page by default, Return All,
 * Limit, each filter operator, Match Any, Sort, Updated Since and Get by Keys, in each
 * system. Expected results are computed from the sandbox's own records.
 */
import type { IDataObject } from 'n8n-workflow';

import { records, useNodeSandbox } from './helpers';

const env = useNodeSandbox({ workOrders: 450 });

const workOrders = () => records(env.sb, 'work-orders');
const time = (value: unknown) => Date.parse(String(value));
const keysOf = (list: Array<{ json: IDataObject }> | IDataObject[]) =>
	list.map((entry) => String(('json' in entry ? (entry.json as IDataObject) : entry).key)).sort();

async function list(parameters: IDataObject, system = 'eam', resource = 'workOrder') {
	return await env.run({ system, resource, operation: 'getMany', ...parameters });
}

describe('paging', () => {
	it('reads one page of 50 by default', async () => {
		const { items, harness } = await list({});
		expect(items).toHaveLength(50);
		expect(harness.http.log).toHaveLength(1);
		expect(new URL(harness.http.log[0].url).searchParams.get('per_page')).toBe('50');
		expect(items.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('returns every record with Return All, page after page', async () => {
		const { items, harness } = await list({ returnAll: true });
		expect(keysOf(items)).toEqual(keysOf(workOrders()));
		// The sandbox serves at most 200 per page: 450 records take 3 requests.
		expect(harness.http.log).toHaveLength(3);
	});

	it('stops at the Limit, fetching only the pages it needs', async () => {
		const one = await list({ limit: 120 });
		expect(one.items).toHaveLength(120);
		expect(one.harness.http.log).toHaveLength(1);
		const two = await list({ limit: 250 });
		expect(two.items).toHaveLength(250);
		expect(two.harness.http.log).toHaveLength(2);
		expect(new Set(keysOf(two.items)).size).toBe(250);
	});

	it('reads ERP invoices and WMS fulfillments in full', async () => {
		const invoices = await list({ returnAll: true }, 'erp', 'invoice');
		expect(keysOf(invoices.items)).toEqual(keysOf(records(env.sb, 'invoices')));
		const fulfillments = await list({ returnAll: true }, 'wms', 'fulfillment');
		expect(keysOf(fulfillments.items)).toEqual(keysOf(records(env.sb, 'fulfillments')));
	});
});

describe('filters', () => {
	// A key field's value is its record picker's (siteValue for siteKey): the text Value is hidden for it.
	const byKey = (value: unknown) => ({ __rl: true, mode: 'id', value });
	const condition = (field: string, operator: string, value: string) => {
		const input = field.endsWith('Key') ? `${field.slice(0, -'Key'.length)}Value` : 'value';
		return { filters: { conditions: [{ field, operator, [input]: input === 'value' ? value : byKey(value) }] } };
	};

	it('equals', async () => {
		const siteKey = String(workOrders()[0].siteKey);
		const { items } = await list({ returnAll: true, ...condition('siteKey', 'equals', siteKey) });
		expect(keysOf(items)).toEqual(keysOf(workOrders().filter((w) => w.siteKey === siteKey)));
		expect(items.length).toBeGreaterThan(0);
	});

	it('contains and starts with (case-insensitive, as Makini)', async () => {
		const contains = await list({ returnAll: true, ...condition('title', 'contains', 'pump') });
		expect(keysOf(contains.items)).toEqual(keysOf(workOrders().filter((w) => String(w.title).toLowerCase().includes('pump'))));
		expect(contains.items.length).toBeGreaterThan(0);
		const prefix = String(workOrders()[0].code).slice(0, 5);
		const starts = await list({ returnAll: true, ...condition('code', 'startsWith', prefix) });
		expect(keysOf(starts.items)).toEqual(keysOf(workOrders().filter((w) => String(w.code).startsWith(prefix))));
	});

	it('greater than, at least, less than, at most on a date', async () => {
		const sorted = workOrders().map((w) => String(w.updatedAt)).sort();
		const pivot = sorted[Math.floor(sorted.length / 2)];
		const expected = {
			gt: (t: number) => t > time(pivot),
			gteq: (t: number) => t >= time(pivot),
			lt: (t: number) => t < time(pivot),
			lteq: (t: number) => t <= time(pivot),
		};
		for (const [operator, test] of Object.entries(expected)) {
			// A date field's value is the date picker's (dateValue): the text Value is hidden for it.
			const { items, harness } = await list({ returnAll: true, filters: { conditions: [{ field: 'updatedAt', operator, dateValue: pivot }] } });
			expect([operator, keysOf(items)]).toEqual([operator, keysOf(workOrders().filter((w) => test(time(w.updatedAt))))]);
			const key = operator === 'equals' ? 'filter[updatedAt]' : `filter[updatedAt:${operator}]`;
			expect(new URL(harness.http.log[0].url).searchParams.get(key)).toBe(pivot);
		}
	});

	it('Match Any returns records matching either condition', async () => {
		const [a, b] = [workOrders()[0], workOrders()[1]];
		const { items, harness } = await list({
			returnAll: true,
			filters: { conditions: [{ field: 'siteKey', operator: 'equals', siteValue: byKey(a.siteKey) }, { field: 'assetKey', operator: 'equals', assetValue: byKey(b.assetKey) }] },
			options: { filterMatch: 'any' },
		});
		expect(new URL(harness.http.log[0].url).searchParams.get('filterMatch')).toBe('any');
		expect(keysOf(items)).toEqual(keysOf(workOrders().filter((w) => w.siteKey === a.siteKey || w.assetKey === b.assetKey)));
	});

	it('Match All (default) returns records matching both', async () => {
		const a = workOrders()[0];
		const { items } = await list({
			returnAll: true,
			filters: { conditions: [{ field: 'siteKey', operator: 'equals', siteValue: byKey(a.siteKey) }, { field: 'title', operator: 'contains', value: 'pump' }] },
		});
		expect(keysOf(items)).toEqual(
			keysOf(workOrders().filter((w) => w.siteKey === a.siteKey && String(w.title).toLowerCase().includes('pump'))),
		);
	});

	it('filters ERP purchase orders and WMS stock', async () => {
		const vendorKey = String(records(env.sb, 'purchase-orders')[0].vendorKey);
		const orders = await list({ returnAll: true, ...condition('vendorKey', 'equals', vendorKey) }, 'erp', 'purchaseOrder');
		expect(keysOf(orders.items)).toEqual(keysOf(records(env.sb, 'purchase-orders').filter((p) => p.vendorKey === vendorKey)));
		const storeroomKey = String(records(env.sb, 'stocks')[0].storeroomKey);
		const stock = await list({ returnAll: true, ...condition('storeroomKey', 'equals', storeroomKey) }, 'wms', 'stock');
		expect(keysOf(stock.items)).toEqual(keysOf(records(env.sb, 'stocks').filter((s) => s.storeroomKey === storeroomKey)));
	});
});

describe('sort', () => {
	it('sorts descending and ascending', async () => {
		const desc = await list({ limit: 100, options: { sort: { rules: [{ field: 'updatedAt', direction: 'desc' }] } } });
		const times = desc.items.map((i) => time(i.json.updatedAt));
		expect(times).toEqual([...times].sort((x, y) => y - x));
		expect(times[0]).toBe(Math.max(...workOrders().map((w) => time(w.updatedAt))));
		const asc = await list({ limit: 100, options: { sort: { rules: [{ field: 'code', direction: 'asc' }] } } });
		const codes = asc.items.map((i) => String(i.json.code));
		expect(codes).toEqual([...codes].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
		expect(new URL(asc.harness.http.log[0].url).searchParams.get('sort[code]')).toBe('0');
	});
});

describe('typed filter values', () => {
	const statuses = () => records(env.sb, 'statuses/work-orders');
	const row = (values: IDataObject) => ({ returnAll: true, filters: { conditions: [{ operator: 'equals', ...values }] } });

	it('a status picked from the live list filters on its key, every page', async () => {
		const counts = new Map<string, number>();
		for (const w of workOrders()) counts.set(String(w.statusKey), (counts.get(String(w.statusKey)) ?? 0) + 1);
		// The status with the most work orders, so Return All needs more than one page.
		const [key, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
		expect(statuses().some((s) => String(s.key) === key)).toBe(true);
		const { items, harness } = await list(row({ field: 'statusKey', statusValue: { __rl: true, mode: 'list', value: key } }));
		expect(items).toHaveLength(count);
		expect(items.every((item) => item.json.statusKey === key)).toBe(true);
		expect(new URL(harness.http.log[0].url).searchParams.get('filter[statusKey]')).toBe(key);
	});

	it('a key field filters on the record picked from its list (or typed by key)', async () => {
		const withSite = workOrders().filter((w) => typeof w.siteKey === 'string' && w.siteKey);
		expect(withSite.length).toBeGreaterThan(0);
		const site = String(withSite[0].siteKey);
		const picked = await list(row({ field: 'siteKey', siteValue: { __rl: true, mode: 'list', value: site } }));
		expect(keysOf(picked.items)).toEqual(keysOf(workOrders().filter((w) => w.siteKey === site)));
		expect(new URL(picked.harness.http.log[0].url).searchParams.get('filter[siteKey]')).toBe(site);
		const typed = await list(row({ field: 'siteKey', siteValue: { __rl: true, mode: 'id', value: site } }));
		expect(keysOf(typed.items)).toEqual(keysOf(picked.items));
	});

	it('a key field whose picker is left empty stops with the field named, rather than widening the list', async () => {
		// What n8n passes when a key was typed into the text Value the form hides for it.
		await expect(list(row({ field: 'siteKey' }))).rejects.toThrow(/"Site Key" \(siteKey\) has no value: pick one from the list/);
		await expect(list(row({ field: 'statusKey', statusValue: { __rl: true, mode: 'list', value: '' } }))).rejects.toThrow(/"Status Key" \(statusKey\) has no value/);
	});

	it('a status typed by key, and a status name on the status field', async () => {
		const status = statuses().find((s) => workOrders().some((w) => w.statusKey === s.key))!;
		const byKey = await list(row({ field: 'statusKey', statusValue: { __rl: true, mode: 'id', value: String(status.key) } }));
		expect(keysOf(byKey.items)).toEqual(keysOf(workOrders().filter((w) => w.statusKey === status.key)));
		const byName = await list(row({ field: 'status', statusNameValue: { __rl: true, mode: 'list', value: String(status.name) } }));
		expect(keysOf(byName.items)).toEqual(keysOf(workOrders().filter((w) => w.status === status.name)));
		expect(byName.items.length).toBeGreaterThan(0);
	});

	it('a date from n8n’s date picker (no zone) is sent in UTC as Makini writes dates', async () => {
		const sorted = workOrders().map((w) => String(w.createdAt)).sort();
		const pivot = sorted[Math.floor(sorted.length / 2)];
		const picked = pivot.replace(/(\.\d+)?Z$/, '');
		const { items, harness } = await list(row({ field: 'createdAt', operator: 'gteq', dateValue: picked }));
		expect(new URL(harness.http.log[0].url).searchParams.get('filter[createdAt:gteq]')).toBe(`${picked}Z`);
		expect(keysOf(items)).toEqual(keysOf(workOrders().filter((w) => time(w.createdAt) >= time(`${picked}Z`))));
	});

	it('a date given as an expression’s DateTime, and a field given by expression with the text Value', async () => {
		const since = '2026-01-01T00:00:00.000+02:00';
		const fromExpression = await list(row({ field: 'createdAt', operator: 'gteq', dateValue: `={{ DateTime.fromISO('${since}') }}` }));
		expect(new URL(fromExpression.harness.http.log[0].url).searchParams.get('filter[createdAt:gteq]')).toBe('2025-12-31T22:00:00Z');
		const status = String(workOrders()[0].statusKey);
		const byExpression = await list(row({ field: "={{ 'status' + 'Key' }}", value: status }));
		expect(keysOf(byExpression.items)).toEqual(keysOf(workOrders().filter((w) => w.statusKey === status)));
	});

	it('a date field with no date fails naming the field', async () => {
		await expect(list(row({ field: 'createdAt', dateValue: 'last tuesday' }))).rejects.toThrow(/"Created At" \(createdAt\) needs a date/);
	});
});

describe('Updated Since', () => {
	it('returns only the records changed at or after the moment', async () => {
		const sorted = workOrders().map((w) => String(w.updatedAt)).sort();
		const since = sorted[sorted.length - 20];
		const { items } = await list({ returnAll: true, options: { updatedSince: since } });
		expect(keysOf(items)).toEqual(keysOf(workOrders().filter((w) => time(w.updatedAt) >= time(since))));
		expect(items.length).toBeGreaterThanOrEqual(20);
	});

	it('picks up a record the connected system just changed', async () => {
		const since = new Date(Date.now() - 1000).toISOString();
		const target = workOrders()[5];
		env.sb.admin.upsertRecords({ collection: 'work-orders', records: [{ key: target.key, notes: 'changed upstream' }] });
		const { items } = await list({ returnAll: true, options: { updatedSince: since } });
		expect(keysOf(items)).toContain(String(target.key));
	});

	it('cannot be combined with Match Any (Makini would OR the date in)', async () => {
		await expect(
			list({
				filters: { conditions: [{ field: 'title', operator: 'equals', value: 'x' }] },
				options: { filterMatch: 'any', updatedSince: '2026-01-01T00:00:00Z' },
			}),
		).rejects.toThrow(/Updated Since/);
	});
});

describe('Get by Keys', () => {
	it('reads the given keys once each, in as many requests as distinct keys', async () => {
		const [a, b, c] = workOrders().map((w) => String(w.key));
		const { items, harness } = await list({ options: { keys: `${a}, ${b}\n${a}, ${c}` } });
		expect(items.map((i) => i.json.key)).toEqual([a, b, c]);
		expect(harness.http.log.map((e) => new URL(e.url).pathname).sort()).toEqual(
			[a, b, c].map((k) => `/api/eam/work-orders/${k}`).sort(),
		);
	});

	it('takes a list from an expression, e.g. the keys a webhook delivered (ERP purchase orders)', async () => {
		const keys = records(env.sb, 'purchase-orders').slice(0, 7).map((p) => String(p.key));
		const { items } = await env.run(
			{ system: 'erp', resource: 'purchaseOrder', operation: 'getMany', options: { keys: '={{ $json.body }}' } },
			{ items: [{ json: { event: 'purchase-orders.updated', body: keys } }] },
		);
		expect(items.map((i) => i.json.key)).toEqual(keys);
	});
});

describe('cursor paging (Makini FAQ)', () => {
	const cursorEnv = useNodeSandbox({ workOrders: 450, cursorPaging: true });

	it('follows next_cursor for Return All and stops at the Limit', async () => {
		const all = await cursorEnv.run({ system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true });
		expect(keysOf(all.items)).toEqual(keysOf(records(cursorEnv.sb, 'work-orders')));
		const urls = all.harness.http.log.map((entry) => new URL(entry.url));
		expect(urls).toHaveLength(3);
		expect(urls.slice(1).every((url) => url.searchParams.has('cursor'))).toBe(true);

		const limited = await cursorEnv.run({ system: 'eam', resource: 'workOrder', operation: 'getMany', limit: 250 });
		expect(new Set(keysOf(limited.items)).size).toBe(250);
		expect(limited.harness.http.log).toHaveLength(2);
	});
});
