/**
 * Create, Get, Update and Update Status through the node's real execute() against the
 * sandbox, in each system: fields mode (top-level, Additional Fields with dates, key
 * lists and nested lines, custom fields), JSON mode, resource locators and both
 * status-body spellings.
 */
import type { IDataObject } from 'n8n-workflow';

import { startCaptureServer, type CaptureServer } from './capture';
import { firstKey, records, runMakini, useNodeSandbox } from './helpers';

const env = useNodeSandbox();

const stored = (collection: string, key: unknown) => env.sb.admin.getRecord({ collection, key: String(key) }) as IDataObject;

describe('Create', () => {
	it('creates an EAM work order from top-level fields, Additional Fields and custom fields', async () => {
		const siteKey = firstKey(env.sb, 'sites');
		const { items } = await env.run({
			system: 'eam',
			resource: 'workOrder',
			operation: 'create',
			title: 'Pump P-101 leaking at the seal',
			siteKey,
			scheduledAt: '2026-03-02T07:30:00Z',
			additionalFields: {
				severity: 'High',
				estimatedTime: 90,
				tasks: { item: [{ code: 'T1', title: 'Isolate the pump' }, { code: 'T2', title: 'Replace the seal' }] },
				documents: { item: [{ name: 'Seal drawing', url: 'https://files.example/seal.pdf' }] },
			},
			customFields: { field: [{ name: 'shift', value: 'night' }] },
		});
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const created = items[0].json;
		expect(created.title).toBe('Pump P-101 leaking at the seal');
		const record = stored('work-orders', created.key);
		expect(record.siteKey).toBe(siteKey);
		expect(record.severity).toBe('High');
		expect(record.estimatedTime).toBe(90);
		// Nested lists are sent as arrays even though the spec types them as objects.
		expect(record.tasks).toEqual([
			{ code: 'T1', title: 'Isolate the pump' },
			{ code: 'T2', title: 'Replace the seal' },
		]);
		expect(Array.isArray(record.documents)).toBe(true);
		expect(record.shift).toBe('night');
	});

	it('creates an ERP purchase order from a JSON body', async () => {
		const vendorKey = firstKey(env.sb, 'vendors');
		const siteKey = firstKey(env.sb, 'sites');
		const { items } = await env.run({
			system: 'erp',
			resource: 'purchaseOrder',
			operation: 'create',
			bodyMode: 'json',
			jsonBody: JSON.stringify({ vendorKey, siteKey, title: 'Bearings for line 3', notes: 'urgent' }),
		});
		const record = stored('purchase-orders', items[0].json.key);
		expect([record.vendorKey, record.siteKey, record.title, record.notes]).toEqual([vendorKey, siteKey, 'Bearings for line 3', 'urgent']);
	});

	it('creates a WMS stock adjustment with line items and an ERP material with key lists', async () => {
		const locationKey = firstKey(env.sb, 'locations');
		const materialKey = firstKey(env.sb, 'materials');
		const adjustment = await env.run({
			system: 'wms',
			resource: 'stockAdjustment',
			operation: 'create',
			locationKey,
			reason: 'Cycle count',
			additionalFields: { lineItems: { item: [{ materialKey, quantity: '-2' }] } },
		});
		expect(stored('stock-adjustments', adjustment.items[0].json.key).lineItems).toEqual([{ materialKey, quantity: '-2' }]);

		const siteKeys = records(env.sb, 'sites').slice(0, 2).map((s) => String(s.key));
		const material = await env.run({
			system: 'erp',
			resource: 'material',
			operation: 'create',
			name: 'V-belt SPA 1250',
			code: 'MAT-NEW-1',
			additionalFields: { siteKeys: siteKeys.join(', '), isActive: true, cost: 12.5 },
		});
		const record = stored('materials', material.items[0].json.key);
		expect(record.siteKeys).toEqual(siteKeys);
		expect(record.isActive).toBe(true);
		expect(record.cost).toBe(12.5);
	});

	it('one output item per input item, each paired with its input', async () => {
		const siteKey = firstKey(env.sb, 'sites');
		const { items } = await env.run(
			{ system: 'eam', resource: 'workOrder', operation: 'create', title: '={{ $json.title }}', siteKey },
			{ items: [{ json: { title: 'First' } }, { json: { title: 'Second' } }] },
		);
		expect(items.map((i) => [i.json.title, i.pairedItem])).toEqual([
			['First', { item: 0 }],
			['Second', { item: 1 }],
		]);
	});
});

describe('Get', () => {
	it('gets a work order picked from the list (resource locator) and a vendor by key', async () => {
		const key = firstKey(env.sb, 'work-orders');
		const fromList = await env.run({ system: 'eam', resource: 'workOrder', operation: 'get', key: { __rl: true, mode: 'list', value: key } });
		expect(fromList.items[0].json.key).toBe(key);
		const vendor = firstKey(env.sb, 'vendors');
		const byKey = await env.run({ system: 'wms', resource: 'vendor', operation: 'get', key: { __rl: true, mode: 'id', value: vendor } });
		expect(byKey.items[0].json.key).toBe(vendor);
	});

	it('gets resources without a locator by a key string (ERP invoice, WMS shipment order)', async () => {
		for (const [system, resource, collection] of [
			['erp', 'invoice', 'invoices'],
			['wms', 'shipmentOrder', 'shipment-orders'],
		]) {
			const key = firstKey(env.sb, collection);
			const { items } = await env.run({ system, resource, operation: 'get', key });
			expect(items[0].json.key).toBe(key);
		}
	});
});

describe('Update', () => {
	it('sends only the fields that were set (EAM asset, WMS product)', async () => {
		const asset = records(env.sb, 'assets')[0];
		const { items } = await env.run({
			system: 'eam',
			resource: 'asset',
			operation: 'update',
			key: { __rl: true, mode: 'id', value: String(asset.key) },
			updateFields: { notes: 'Inspected', isActive: false },
		});
		const record = stored('assets', items[0].json.key);
		expect([record.notes, record.isActive, record.name, record.siteKey]).toEqual(['Inspected', false, asset.name, asset.siteKey]);

		const product = firstKey(env.sb, 'products');
		await env.run({ system: 'wms', resource: 'product', operation: 'update', key: product, name: 'Renamed product' });
		expect(stored('products', product).name).toBe('Renamed product');
	});

	it('updates a sales order, whose update documents no body, with the create’s fields', async () => {
		const key = firstKey(env.sb, 'sales-orders');
		await env.run({ system: 'erp', resource: 'salesOrder', operation: 'update', key, updateFields: { contactPerson: 'Ana Ruiz' } });
		expect(stored('sales-orders', key).contactPerson).toBe('Ana Ruiz');
	});
});

describe('Update Status', () => {
	it.each([
		['eam', 'workOrder', 'statusKey', 'work-orders'],
		['eam', 'purchaseOrder', 'status', 'purchase-orders'],
		['erp', 'invoice', 'status', 'invoices'],
		['wms', 'fulfillment', 'status', 'fulfillments'],
	])('%s %s (documented body {%s}) moves to the picked status', async (system, resource, _body, collection) => {
		const key = firstKey(env.sb, collection);
		const current = stored(collection, key).statusKey;
		const target = records(env.sb, `statuses/${collection}`).find((s) => s.key !== current)!;
		const locator = ['workOrder', 'purchaseOrder'].includes(resource) ? { __rl: true, mode: 'id', value: key } : key;
		const { items } = await env.run({ system, resource, operation: 'updateStatus', key: locator, status: target.key as string });
		expect(items[0].json.statusKey).toBe(target.key);
		expect(stored(collection, key).statusKey).toBe(target.key);
	});
});

describe('Update Status body', () => {
	let capture: CaptureServer;
	beforeAll(async () => {
		capture = await startCaptureServer((request) => ({ data: { key: 'K1', echo: request.body } }));
	});
	afterAll(async () => {
		await capture.close();
	});

	// The key as the editor saves it: a resource locator where the parameter is one, text where
	// it is a plain string (fulfillments have no list to pick from).
	const locator = { __rl: true, mode: 'id', value: 'K1' };
	it.each([
		['eam', 'workOrder', locator, { statusKey: 'S-9', status: 'S-9' }],
		['erp', 'purchaseOrder', locator, { status: 'S-9', statusKey: 'S-9' }],
		['erp', 'fulfillment', 'K1', { status: 'S-9', statusKey: 'S-9' }],
	])('%s %s sends the documented name and the other one', async (system, resource, key, expected) => {
		await runMakini({
			parameters: { system, resource, operation: 'updateStatus', key, status: 'S-9' },
			credentials: { makiniApi: { apiToken: 'test-token-1234', baseUrl: capture.url } },
		});
		const request = capture.requests.at(-1)!;
		expect(request.method).toBe('PUT');
		expect(request.url).toMatch(/\/K1\/status$/);
		expect(request.body).toEqual(expected);
		// The documented name comes first.
		expect(Object.keys(request.body as object)[0]).toBe(Object.keys(expected)[0]);
	});
});

describe('Document create (multipart)', () => {
	let capture: CaptureServer;
	beforeAll(async () => {
		capture = await startCaptureServer(() => ({ data: { key: 'D1', name: 'Inspection photo' } }));
	});
	afterAll(async () => {
		await capture.close();
	});

	it('uploads the binary input as `file` with its name', async () => {
		const content = Buffer.from('%PDF-1.4 inspection report');
		const { items } = await runMakini({
			parameters: { system: 'eam', resource: 'document', operation: 'create', name: 'Inspection photo' },
			items: [{ json: {}, binary: { data: { data: content.toString('base64'), mimeType: 'application/pdf', fileName: 'report.pdf' } } }],
			credentials: { makiniApi: { apiToken: 'test-token-1234', baseUrl: capture.url } },
		});
		expect(items[0].json.key).toBe('D1');
		const request = capture.requests.at(-1)!;
		expect([request.method, request.url]).toEqual(['POST', '/api/eam/documents']);
		const boundary = /boundary=([^;]+)/.exec(String(request.headers['content-type']))![1];
		const parts = String(request.body).split(`--${boundary}`).slice(1, -1);
		expect(parts).toHaveLength(2);
		expect(parts[0]).toContain('Content-Disposition: form-data; name="name"');
		expect(parts[0]).toContain('Inspection photo');
		expect(parts[1]).toContain('name="file"; filename="report.pdf"');
		expect(parts[1]).toContain('Content-Type: application/pdf');
		expect(parts[1]).toContain('%PDF-1.4 inspection report');
	});

	it('names the document after the file when no name is set, and fails clearly without the binary', async () => {
		const file = { data: Buffer.from('x').toString('base64'), mimeType: 'text/plain', fileName: 'note.txt' };
		await runMakini({
			parameters: { system: 'eam', resource: 'document', operation: 'create' },
			items: [{ json: {}, binary: { data: file } }],
			credentials: { makiniApi: { apiToken: 'test-token-1234', baseUrl: capture.url } },
		});
		expect(String(capture.requests.at(-1)!.body)).toMatch(/name="name"\r\n\r\nnote\.txt\r\n/);

		const before = capture.requests.length;
		await expect(
			runMakini({
				parameters: { system: 'eam', resource: 'document', operation: 'create', binaryPropertyName: 'missing' },
				items: [{ json: {}, binary: { data: file } }],
				credentials: { makiniApi: { apiToken: 'test-token-1234', baseUrl: capture.url } },
			}),
		).rejects.toThrow(/missing/);
		expect(capture.requests.length).toBe(before);
	});
});
