/**
 * Create or Get through n8n's execute context against the sandbox: a second run with the
 * same order number returns the record the first created and the sandbox holds one; no
 * match creates; several matches, a missing value or a failed lookup create nothing.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { OPERATIONS, findOperation } from '../../nodes/shared/registry';
import { createOrGetList, matchFields } from '../../nodes/shared/registry/createOrGet';
import { FAMILY_NODES, firstKey, records, useNodeSandbox } from './helpers';

const env = useNodeSandbox({}, { resetScenarios: true });

function purchaseOrder(orderNo: string | undefined, extra: INodeParameters = {}): INodeParameters {
	return {
		system: 'erp',
		resource: 'purchaseOrder',
		operation: 'create',
		vendorKey: firstKey(env.sb, 'vendors'),
		siteKey: firstKey(env.sb, 'sites'),
		additionalFields: orderNo === undefined ? { title: 'Bearings' } : { orderNo, title: 'Bearings' },
		createOrGet: true,
		createOrGetField: 'orderNo',
		...extra,
	};
}

const withOrderNo = (orderNo: string) => records(env.sb, 'purchase-orders').filter((po) => po.orderNo === orderNo);

async function failure(parameters: INodeParameters) {
	return await env.run(parameters).then(
		() => undefined,
		(error: unknown) => error,
	);
}

describe('Create or Get: purchase order on orderNo', () => {
	it('creates on the first run and returns the same record, marked found, on the second; the sandbox holds one', async () => {
		const before = records(env.sb, 'purchase-orders').length;
		const first = await env.run(purchaseOrder('PO-COG-1'));
		expect(first.items).toHaveLength(1);
		expect(first.items[0].json._makini).toEqual({ found: false, matchField: 'orderNo', matchValue: 'PO-COG-1' });

		env.sb.stats.reset();
		const second = await env.run(purchaseOrder('PO-COG-1'));
		expect(second.items).toHaveLength(1);
		expect(second.items[0].json.key).toBe(first.items[0].json.key);
		expect(second.items[0].json._makini).toEqual({ found: true, matchField: 'orderNo', matchValue: 'PO-COG-1' });
		expect(env.sb.stats.snapshot().requests['POST /api/erp/purchase-orders']).toBeUndefined();

		expect(withOrderNo('PO-COG-1')).toHaveLength(1);
		expect(records(env.sb, 'purchase-orders')).toHaveLength(before + 1);
	});

	it('matches the exact value: a filter hit that differs (here in case) is not the record, so it creates', async () => {
		await env.run(purchaseOrder('PO-COG-CASE'));
		const other = await env.run(purchaseOrder('po-cog-case'));
		expect(other.items[0].json._makini).toMatchObject({ found: false });
		expect(withOrderNo('PO-COG-CASE')).toHaveLength(1);
		expect(withOrderNo('po-cog-case')).toHaveLength(1);
	});

	it('several matching records: an error naming their keys, nothing created', async () => {
		const plain = { createOrGet: false };
		const a = await env.run(purchaseOrder('PO-COG-TWICE', plain));
		const b = await env.run(purchaseOrder('PO-COG-TWICE', plain));
		expect(a.items[0].json._makini).toBeUndefined();
		const error = await failure(purchaseOrder('PO-COG-TWICE'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('found 2 records with orderNo "PO-COG-TWICE"');
		expect((error as Error).message).toContain(String(a.items[0].json.key));
		expect((error as Error).message).toContain(String(b.items[0].json.key));
		expect(withOrderNo('PO-COG-TWICE')).toHaveLength(2);

		const { items } = await env.run(purchaseOrder('PO-COG-TWICE'), { continueOnFail: true });
		expect(items[0].json.error).toContain('found 2 records');
		expect(withOrderNo('PO-COG-TWICE')).toHaveLength(2);
	});

	it('a body without the match value: an error naming the field, no request sent', async () => {
		env.sb.stats.reset();
		const error = await failure(purchaseOrder(undefined));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Create or Get matches on "Order No" (orderNo), but the body sends no value for it');
		expect(env.sb.stats.snapshot().requests).toEqual({});
	});

	it('a failed lookup creates nothing', async () => {
		const before = records(env.sb, 'purchase-orders').length;
		env.sb.admin.injectFailure({ status: 503, times: 100, retryAfter: 0, method: 'GET', path: '/api/erp/purchase-orders' });
		const error = await failure(purchaseOrder('PO-COG-BLIND'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(records(env.sb, 'purchase-orders')).toHaveLength(before);
	});

	it('works from the JSON body too, and per input item', async () => {
		const vendorKey = firstKey(env.sb, 'vendors');
		const siteKey = firstKey(env.sb, 'sites');
		const parameters: INodeParameters = {
			system: 'erp',
			resource: 'purchaseOrder',
			operation: 'create',
			bodyMode: 'json',
			jsonBody: '={{ JSON.stringify({ vendorKey: "' + vendorKey + '", siteKey: "' + siteKey + '", orderNo: $json.orderNo }) }}',
			createOrGet: true,
			createOrGetField: 'orderNo',
		};
		const { items } = await env.run(parameters, {
			items: [{ json: { orderNo: 'PO-COG-J1' } }, { json: { orderNo: 'PO-COG-J2' } }, { json: { orderNo: 'PO-COG-J1' } }],
		});
		expect(items.map((item) => item.json._makini)).toEqual([
			{ found: false, matchField: 'orderNo', matchValue: 'PO-COG-J1' },
			{ found: false, matchField: 'orderNo', matchValue: 'PO-COG-J2' },
			{ found: true, matchField: 'orderNo', matchValue: 'PO-COG-J1' },
		]);
		expect(items[2].json.key).toBe(items[0].json.key);
		expect(withOrderNo('PO-COG-J1')).toHaveLength(1);
	});

	it('an EAM work order on its code', async () => {
		const parameters: INodeParameters = {
			system: 'eam',
			resource: 'workOrder',
			operation: 'create',
			title: 'Replace belt',
			siteKey: firstKey(env.sb, 'sites'),
			additionalFields: { code: 'WO-COG-7' },
			createOrGet: true,
		};
		const first = await env.run(parameters);
		const second = await env.run(parameters);
		expect([first.items[0].json._makini, second.items[0].json._makini]).toMatchObject([{ found: false }, { found: true, matchField: 'code' }]);
		expect(records(env.sb, 'work-orders').filter((wo) => wo.code === 'WO-COG-7')).toHaveLength(1);
	});
});

describe('Create or Get: which creates offer it', () => {
	const creates = OPERATIONS.filter((op) => op.operation === 'create' && !op.multipart && op.system !== 'platform');

	it('every create with a documented filterable list offers it, matching on fields both document', () => {
		for (const op of creates) {
			const list = findOperation(op.system, op.resource, 'getMany');
			expect([op.resource, Boolean(createOrGetList(op))]).toEqual([op.resource, Boolean(list?.filterable)]);
			if (!list?.filterable) continue;
			expect([op.resource, matchFields(op).length > 0]).toEqual([op.resource, true]);
		}
		expect(creates.filter((op) => createOrGetList(op)).length).toBeGreaterThanOrEqual(30);
	});

	it.each([
		['erp', 'purchaseOrder', 'orderNo'],
		['erp', 'salesOrder', 'orderNumber'],
		['erp', 'invoice', 'invoiceNumber'],
		['eam', 'workOrder', 'code'],
		['eam', 'asset', 'serialNumber'],
	])('%s %s matches on %s by default', (system, resource, field) => {
		expect(matchFields(findOperation(system, resource, 'create')!)[0]).toBe(field);
	});

	it('the node shows Create or Get and Match On only for those creates, Match On only when it is on', () => {
		// Each family node shows its own family's creates; its display conditions name no system.
		const shownIn = (name: string) =>
			Object.entries(FAMILY_NODES).flatMap(([family, familyNode]) =>
				familyNode.description.properties
					.filter((p) => p.name === name)
					.flatMap((p) =>
						(p.displayOptions!.show!.resource as string[]).flatMap((resource) =>
							((p.displayOptions!.show!.operation as string[] | undefined) ?? ['create']).map((operation) => `${family}.${resource}.${operation}`),
						),
					),
			);
		const expected = creates.filter((op) => createOrGetList(op)).map((op) => `${op.system}.${op.resource}.create`);
		expect(shownIn('createOrGet').sort()).toEqual(expected.sort());
		expect(shownIn('createOrGetField').sort()).toEqual(expected.sort());
		for (const familyNode of Object.values(FAMILY_NODES))
			for (const p of familyNode.description.properties.filter((q) => q.name === 'createOrGetField'))
				expect(p.displayOptions!.show!.createOrGet).toEqual([true]);
	});
});
