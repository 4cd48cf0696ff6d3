/**
 * Seed data: deterministic for a seed (and reference time), different for another
 * seed, plausible for a plant (references resolve, hierarchy, statuses, line items),
 * and 100,000 work orders generate and query.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { call, collectAll, type Json } from './helpers';

const NOW = '2025-06-01T12:00:00Z';
const PATHS = ['/api/eam/work-orders?per_page=50&sort[updatedAt]=1', '/api/eam/assets?page=3', '/api/erp/purchase-orders?per_page=20', '/api/wms/shipment-orders', '/api/eam/work-orders/materials?per_page=30'];

async function snapshot(sb: SandboxHandle) {
	const result: unknown[] = [];
	for (const path of PATHS) result.push((await call(sb, path)).body.data);
	return result;
}

describe('sandbox seed data', () => {
	it('is the same for the same seed and reference time, and differs for another seed', async () => {
		const a = await startSandbox({ seed: 3, workOrders: 500, now: NOW });
		const b = await startSandbox({ seed: 3, workOrders: 500, now: NOW });
		const c = await startSandbox({ seed: 4, workOrders: 500, now: NOW });
		try {
			const [first, second, other] = await Promise.all([snapshot(a), snapshot(b), snapshot(c)]);
			expect(second).toEqual(first);
			expect(other).not.toEqual(first);
			expect(a.connections.map((x) => x.id)).toEqual(b.connections.map((x) => x.id));
			// Secrets are random per start, never derived from the seed.
			expect(a.apiToken).not.toBe(b.apiToken);
			// Writes after seeding stay deterministic too (keys come from the seeded stream).
			const site = a.admin.listRecords({ collection: 'sites' })[0].key;
			const [x, y] = await Promise.all([a, b].map((sb) => call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'Same', siteKey: site } })));
			expect(x.body.data.key).toBe(y.body.data.key);
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	describe('looks like a plant', () => {
		let sb: SandboxHandle;
		beforeAll(async () => {
			sb = await startSandbox({ workOrders: 1000, now: NOW });
		});
		afterAll(() => sb.close());

		const keys = (collection: string) => new Set(sb.admin.listRecords({ collection }).map((r) => r.key));

		it('has work orders whose references resolve, over the last 90 days, with tasks', async () => {
			const workOrders = await collectAll(sb, '/api/eam/work-orders');
			expect(workOrders).toHaveLength(1000);
			const [assets, sites, statuses] = [keys('assets'), keys('sites'), keys('statuses/work-orders')];
			for (const wo of workOrders) {
				expect(assets.has(wo.assetKey)).toBe(true);
				expect(sites.has(wo.siteKey)).toBe(true);
				expect(statuses.has(wo.statusKey)).toBe(true);
				expect(wo.key).toMatch(/^0\d000\d{9}$/);
				const age = Date.parse(NOW) - Date.parse(wo.updatedAt);
				expect(age).toBeGreaterThanOrEqual(0);
				expect(age).toBeLessThanOrEqual(90 * 86_400_000);
				expect(Date.parse(wo.createdAt)).toBeLessThanOrEqual(Date.parse(wo.updatedAt));
				expect(wo.tasks.length).toBeGreaterThan(0);
			}
			expect(new Set(workOrders.map((w) => w.statusKey)).size).toBeGreaterThan(3);
			const repeated = workOrders.length - new Set(workOrders.map((w) => w.updatedAt)).size;
			expect(repeated).toBeGreaterThan(20);
		});

		it('has an asset hierarchy, purchase orders with line items, and ERP and WMS documents', async () => {
			const assets = sb.admin.listRecords({ collection: 'assets' });
			const byKey = new Map(assets.map((a) => [a.key, a]));
			const children = assets.filter((a) => a.parentKey);
			expect(children.length).toBeGreaterThan(assets.length / 2);
			expect(children.every((a) => byKey.get(String(a.parentKey))?.siteKey === a.siteKey)).toBe(true);

			const po = (await call(sb, '/api/eam/purchase-orders', { query: { per_page: 1 } })).body.data[0];
			expect(po.lineItems.length).toBeGreaterThan(0);
			const lines = await collectAll(sb, '/api/eam/purchase-orders.line-items', { 'filter[purchaseOrderKey]': po.key });
			expect(lines.map((l) => l.key)).toEqual(po.lineItems.map((l: Json) => l.key));
			expect(Number(po.totalNetValue)).toBeCloseTo(lines.reduce((sum, l) => sum + Number(l.lineTotalValue), 0), 2);

			for (const path of ['/api/erp/sales-orders', '/api/erp/invoices', '/api/erp/production-orders', '/api/erp/rfq', '/api/wms/stock-transfers', '/api/wms/stock-adjustments', '/api/wms/shipment-orders']) {
				const answer = await call(sb, path);
				expect({ path, total: answer.body.meta.total > 0 }).toEqual({ path, total: true });
			}
		});
	});

	it('generates 100,000 work orders and filters, sorts and pages them', async () => {
		const sb = await startSandbox({ workOrders: 100_000, now: NOW });
		try {
			const all = await call(sb, '/api/eam/work-orders', { query: { per_page: 1 } });
			expect(all.body.meta.total).toBe(100_000);
			const since = '2025-05-25T00:00:00Z';
			const query = { 'filter[updatedAt:gteq]': since, 'sort[updatedAt]': 0, per_page: 200 };
			const first = await call(sb, '/api/eam/work-orders', { query });
			const expected = sb.admin.listRecords({ collection: 'work-orders' }).filter((w) => Date.parse(String(w.updatedAt)) >= Date.parse(since)).length;
			expect(first.body.meta.total).toBe(expected);
			const last = await call(sb, '/api/eam/work-orders', { query: { ...query, page: first.body.meta.last_page } });
			expect(last.body.data.length).toBe(expected - 200 * (first.body.meta.last_page - 1));
			expect(Date.parse(last.body.data.at(-1).updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.body.data[0].updatedAt));
		} finally {
			await sb.close();
		}
	});
});
