/**
 * Writes behave as a connected system would: creates get documented-looking keys and
 * timestamps, updates merge and bump updatedAt, status changes are checked against the
 * entity's statuses, sub-resources stay consistent, and the stats count each write.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { call, type Json } from './helpers';

const KEY = /^0\d000\d{9}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('sandbox writes', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 200, product: 'maximo' });
	});
	afterAll(() => sb.close());

	const records = (collection: string) => sb.admin.listRecords({ collection });

	it('creates a work order with a documented-looking key and timestamps, counted once', async () => {
		const before = sb.stats.snapshot().writes.creates;
		const site = records('sites')[1].key;
		const created = await call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'Inspect conveyor guard', siteKey: site, estimatedTime: 2, key: 'ignored', createdAt: '1999-01-01T00:00:00Z' } });
		expect(created.status).toBe(200);
		const record = created.body.data;
		expect(record.key).toMatch(KEY);
		expect(record).toMatchObject({ title: 'Inspect conveyor guard', siteKey: site, estimatedTime: 2 });
		expect(record.createdAt).toMatch(ISO);
		expect(record.updatedAt).toBe(record.createdAt);
		expect(Date.now() - Date.parse(record.createdAt)).toBeLessThan(60_000);
		// A new work order starts in the first status of /statuses/work-orders.
		const statuses = (await call(sb, '/api/eam/statuses/work-orders')).body.data;
		expect(record.statusKey).toBe(statuses[0].key);
		expect(record.status).toBe(statuses[0].name);
		expect((await call(sb, `/api/eam/work-orders/${record.key}`)).body.data).toMatchObject({ key: record.key, title: 'Inspect conveyor guard' });

		const stats = sb.stats.snapshot();
		expect(stats.writes.creates).toBe(before + 1);
		expect(stats.createdKeys).toContain(record.key);
		expect(stats.writes.byOperation['POST /api/eam/work-orders']).toBe(1);
	});

	it('updates by merging and bumps updatedAt', async () => {
		const original = records('work-orders')[10];
		const before = sb.stats.snapshot().writes.updates;
		const answer = await call(sb, `/api/eam/work-orders/${original.key}`, { method: 'PUT', body: { notes: 'Checked by night shift' } });
		expect(answer.status).toBe(200);
		expect(answer.body.data).toMatchObject({ key: original.key, title: original.title, siteKey: original.siteKey, notes: 'Checked by night shift' });
		expect(Date.parse(answer.body.data.updatedAt)).toBeGreaterThan(Date.parse(String(original.updatedAt)));
		expect(answer.body.data.createdAt).toBe(original.createdAt);
		expect(sb.stats.snapshot().writes.updates).toBe(before + 1);
	});

	it('changes a status by statusKey, by status code or name, and rejects unknown ones', async () => {
		const key = records('work-orders')[20].key;
		const statuses = records('statuses/work-orders');
		const inProgress = statuses.find((s) => s.code === 'INPRG')!;
		const byKey = await call(sb, `/api/eam/work-orders/${key}/status`, { method: 'PUT', body: { statusKey: inProgress.key } });
		expect(byKey.body.data).toMatchObject({ statusKey: inProgress.key, status: 'In Progress' });
		const byCode = await call(sb, `/api/eam/work-orders/${key}/status`, { method: 'PUT', body: { status: 'COMP' } });
		expect(byCode.body.data.statusKey).toBe(statuses.find((s) => s.code === 'COMP')!.key);
		const invoice = records('invoices')[0].key;
		const byName = await call(sb, `/api/erp/invoices/${invoice}/status`, { method: 'PUT', body: { status: 'paid' } });
		expect(byName.body.data.statusKey).toBe(records('statuses/invoices').find((s) => s.code === 'PAID')!.key);

		const unknown = await call(sb, `/api/eam/work-orders/${key}/status`, { method: 'PUT', body: { statusKey: records('statuses/invoices')[0].key } });
		expect(unknown.status).toBe(422);
		expect(unknown.body.error.errors.statusKey[0]).toMatch(/^The selected statusKey is invalid/);
		const missing = await call(sb, `/api/eam/purchase-orders/${records('purchase-orders')[0].key}/status`, { method: 'PUT', body: {} });
		expect(missing.status).toBe(422);
	});

	it('adds and updates work-order materials and keeps materialCount in step', async () => {
		const workOrder = records('work-orders').find((w) => w.materialCount === '0')!;
		const material = records('materials')[3];
		const added = await call(sb, `/api/eam/work-orders/${workOrder.key}/materials`, { method: 'POST', body: { materialKey: material.key, requiredQuantity: '4', usedQuantity: 0 } });
		expect(added.status).toBe(200);
		expect(added.body.data).toMatchObject({ workOrderKey: workOrder.key, materialKey: material.key, name: material.name, requiredQuantity: '4', usedQuantity: '0' });
		const updated = await call(sb, `/api/eam/work-orders/${workOrder.key}/materials/${material.key}`, { method: 'PUT', body: { requiredQuantity: 4, usedQuantity: 3 } });
		expect(updated.body.data.usedQuantity).toBe('3');
		const listed = await call(sb, `/api/eam/work-orders/${workOrder.key}/materials`);
		expect(listed.body.data.map((m: Json) => m.materialKey)).toEqual([material.key]);
		expect((await call(sb, `/api/eam/work-orders/${workOrder.key}`)).body.data.materialCount).toBe('1');
		const absent = await call(sb, `/api/eam/work-orders/${workOrder.key}/materials/${records('materials')[4].key}`, { method: 'PUT', body: { requiredQuantity: 1, usedQuantity: 1 } });
		expect(absent.status).toBe(404);
	});

	it('sets a material inventory balance and serves the children of an assembly', async () => {
		const material = records('materials')[0];
		const answer = await call(sb, `/api/eam/materials/${material.key}/inventory`, { method: 'PUT', body: { quantity: 77, unitCost: 12 } });
		expect(answer.status).toBe(200);
		const balances = answer.body.data.inventories as Json[];
		expect(balances.some((b) => b.quantity === 77)).toBe(true);
		expect(answer.body.data.inventory.quantity).toBe(balances.reduce((sum, b) => sum + b.quantity, 0));

		const item = records('material-items').find((i) => i.assemblyKey)!;
		const children = await call(sb, `/api/wms/materials/${item.assemblyKey}/children`);
		expect(children.body.data.map((c: Json) => c.materialKey)).toContain(item.materialKey);
		expect(children.body.data.every((c: Json) => c.assemblyKey === item.assemblyKey)).toBe(true);
	});

	it('marks a shipment delivered', async () => {
		const shipment = records('shipment-orders')[0];
		const answer = await call(sb, `/api/wms/shipment-orders/${shipment.key}/delivered`, { method: 'POST', body: {} });
		expect(answer.body.data.statusKey).toBe(records('statuses/shipment-orders').find((s) => s.code === 'DELIVERED')!.key);
		expect(answer.body.data.deliveredAt).toMatch(ISO);
	});

	it('serves custom fields alongside the standard fields', async () => {
		const fields = (await call(sb, '/api/eam/work-orders/custom-fields')).body.data.map((f: Json) => f.name);
		expect(fields.length).toBeGreaterThan(0);
		const workOrder = (await call(sb, '/api/eam/work-orders', { query: { per_page: 1 } })).body.data[0];
		for (const name of fields) expect(workOrder).toHaveProperty(name);
		expect(workOrder.tasks.length).toBeGreaterThan(0);
	});

	it('uploads a document as multipart form data', async () => {
		const form = new FormData();
		form.append('name', 'Boiler certificate');
		form.append('file', new Blob(['certificate'], { type: 'application/pdf' }), 'certificate.pdf');
		const response = await fetch(`${sb.url}/api/eam/documents`, { method: 'POST', headers: { Authorization: `Bearer ${sb.apiToken}` }, body: form });
		const body = (await response.json()) as Json;
		expect(response.status).toBe(200);
		expect(body.data).toMatchObject({ name: 'Boiler certificate', contentType: 'application/pdf', size: 11 });
		expect(body.data.url).toContain(body.data.key);
		const none = await call(sb, '/api/eam/documents', { method: 'POST', body: { name: 'no file' } });
		expect(none.body.error.errors).toEqual({ file: ['The file field is required.'] });
	});

	it('validates passthrough calls and answers as the connected system', async () => {
		const ok = await call(sb, '/api/passthrough', { method: 'POST', body: { path: '/maximo/oslc/os/mxwo', method: 'get', query: { lean: 1 } } });
		expect(ok.body.data).toMatchObject({ status: 200, body: { method: 'GET', path: '/maximo/oslc/os/mxwo', provider: 'maximo' } });
		const bad = await call(sb, '/api/passthrough', { method: 'POST', body: { method: 'patch' } });
		expect(bad.status).toBe(422);
		expect(Object.keys(bad.body.error.errors).sort()).toEqual(['method', 'path']);
	});
});
