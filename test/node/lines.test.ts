/**
 * Nested lines as typed lists: a purchase order's line items from typed rows and from a
 * list an expression gives (what an Aggregate node makes of earlier items), combined,
 * numbers sent as numbers, and the lines stored with the order.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { nodeFor, records, useNodeSandbox } from './helpers';

const env = useNodeSandbox();

const stored = (collection: string, key: unknown) => records(env.sb, collection).find((r) => r.key === key) as IDataObject;
const firstKey = (collection: string) => String(records(env.sb, collection)[0].key);

function poLineItems(system: string): INodeProperties | undefined {
	return nodeFor(system).description.properties.find(
		(p) =>
			p.name === 'lineItems' &&
			(p.displayOptions?.show?.resource ?? []).includes('purchaseOrder') &&
			(p.displayOptions?.show?.operation ?? []).includes('create'),
	);
}

describe('purchase-order line items', () => {
	it.each(['eam', 'erp', 'wms'])('%s: Create offers Line Items, typed, with a From Expression form, and says the body does not document them', (system) => {
		const property = poLineItems(system)!;
		expect(property.type).toBe('fixedCollection');
		expect(property.description).toMatch(/do not document this list/);
		const [typed, fromExpression] = property.options as Array<{ name: string; values: INodeProperties[] }>;
		expect(typed.name).toBe('item');
		const more = typed.values.find((v) => v.name === 'additionalFields')!;
		const all = [...typed.values, ...((more.options ?? []) as INodeProperties[])];
		const byName = Object.fromEntries(all.map((v) => [v.name, v.type]));
		expect(byName).toMatchObject({ quantity: 'number', price: 'number', materialKey: expect.any(String), deliveryAt: 'dateTime' });
		// n8n sends every value of a row: the only number on the row itself is the quantity.
		expect(typed.values.filter((v) => v.type === 'number').map((v) => v.name)).toEqual(['quantity']);
		expect(Object.keys(byName).filter((n) => /^(key|createdAt|updatedAt|deletedAt|purchaseOrderKey)$/.test(n))).toEqual([]);
		expect(fromExpression.name).toBe('fromExpression');
	});

	it('creates an ERP purchase order with two typed lines and a list from an expression; quantities are numbers', async () => {
		const [m1, m2, m3] = records(env.sb, 'materials').slice(0, 3).map((m) => String(m.key));
		const { items } = await env.run({
			system: 'erp',
			resource: 'purchaseOrder',
			operation: 'create',
			vendorKey: firstKey('vendors'),
			siteKey: firstKey('sites'),
			lineItems: {
				item: [
					{ materialKey: m1, quantity: 2, additionalFields: { price: 12.5 } },
					{ materialKey: m2, quantity: 1, additionalFields: { price: 40 } },
				],
				// As an expression such as {{ $json.data }} resolves: a list of objects, numbers as text too.
				fromExpression: [{ list: [{ materialKey: m3, quantity: '4', description: 'From the work order' }] }],
			},
		});
		const record = stored('purchase-orders', items[0].json.key);
		expect(record.lineItems).toEqual([
			{ materialKey: m1, quantity: 2, price: 12.5 },
			{ materialKey: m2, quantity: 1, price: 40 },
			{ materialKey: m3, quantity: 4, description: 'From the work order' },
		]);
		expect(items[0].json.lineItems).toEqual(record.lineItems);
	});

	it('takes the whole list from an expression as JSON text', async () => {
		const m1 = String(records(env.sb, 'materials')[0].key);
		const { items } = await env.run({
			system: 'erp',
			resource: 'purchaseOrder',
			operation: 'create',
			vendorKey: firstKey('vendors'),
			siteKey: firstKey('sites'),
			lineItems: { fromExpression: [{ list: JSON.stringify([{ materialKey: m1, quantity: '3', price: '9.90' }]) }] },
		});
		expect(stored('purchase-orders', items[0].json.key).lineItems).toEqual([{ materialKey: m1, quantity: 3, price: 9.9 }]);
	});

	it('names the field and the entry when an expression gives no list of objects', async () => {
		const run = env.run({
			system: 'erp',
			resource: 'purchaseOrder',
			operation: 'create',
			vendorKey: firstKey('vendors'),
			lineItems: { fromExpression: [{ list: ['not an object'] }] },
		});
		await expect(run).rejects.toThrow(/Each entry of "Line Items" must be an object/);
		const bad = env.run({
			system: 'erp',
			resource: 'purchaseOrder',
			operation: 'create',
			vendorKey: firstKey('vendors'),
			lineItems: { fromExpression: [{ list: [{ quantity: 'two' }] }] },
		});
		await expect(bad).rejects.toThrow(/"Quantity" must be a number/);
	});

	it('starts the JSON body from a template built from the schema', () => {
		const json = nodeFor('erp').description.properties.find(
			(p) => p.name === 'jsonBody' && (p.displayOptions?.show?.resource ?? []).includes('purchaseOrder') && (p.displayOptions?.show?.operation ?? []).includes('create'),
		)!;
		const template = JSON.parse(String(json.default)) as IDataObject;
		expect(Object.keys(template)).toEqual(['vendorKey', 'siteKey', 'orderDate', 'lineItems']);
		expect((template.lineItems as IDataObject[])[0]).toMatchObject({ materialKey: '', quantity: 0 });
	});
});
