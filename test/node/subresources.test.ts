/**
 * Sub-resources through the node against the sandbox: work-order materials (list, list
 * all, add, update), material inventory and children, the materials of assets, asset
 * templates, PM plans and production orders, custom fields, statuses and shipment delivery.
 */
import type { IDataObject } from 'n8n-workflow';

import { firstKey, records, useNodeSandbox } from './helpers';

const env = useNodeSandbox();

const keysOf = (list: Array<{ json: IDataObject }>) => list.map((item) => String(item.json.key)).sort();

describe('work-order materials', () => {
	it('lists the materials of one work order and of all work orders', async () => {
		const lines = records(env.sb, 'work-order-materials');
		const workOrderKey = String(lines[0].workOrderKey);
		const one = await env.run({
			system: 'eam',
			resource: 'workOrder',
			operation: 'getMaterials',
			key: { __rl: true, mode: 'id', value: workOrderKey },
			returnAll: true,
		});
		expect(keysOf(one.items)).toEqual(lines.filter((l) => l.workOrderKey === workOrderKey).map((l) => String(l.key)).sort());
		const all = await env.run({ system: 'eam', resource: 'workOrder', operation: 'getManyMaterials', returnAll: true });
		expect(keysOf(all.items)).toEqual(lines.map((l) => String(l.key)).sort());
	});

	it('adds a material and updates its quantities', async () => {
		const workOrderKey = firstKey(env.sb, 'work-orders');
		const materialKey = firstKey(env.sb, 'materials');
		const added = await env.run({
			system: 'eam',
			resource: 'workOrder',
			operation: 'addMaterial',
			key: { __rl: true, mode: 'id', value: workOrderKey },
			materialKey,
			requiredQuantity: 4,
			usedQuantity: 0,
		});
		expect(added.items[0].json).toMatchObject({ workOrderKey, materialKey, requiredQuantity: '4', usedQuantity: '0' });

		const updated = await env.run({
			system: 'eam',
			resource: 'workOrder',
			operation: 'updateMaterial',
			key: { __rl: true, mode: 'id', value: workOrderKey },
			materialKey,
			requiredQuantity: 4,
			usedQuantity: 3,
		});
		expect(updated.items[0].json).toMatchObject({ key: added.items[0].json.key, usedQuantity: '3' });
	});
});

describe('materials', () => {
	it.each(['eam', 'erp', 'wms'])('%s: updates the inventory of a material at a location', async (system) => {
		const inventory = records(env.sb, 'inventories')[0];
		const { items } = await env.run({
			system,
			resource: 'material',
			operation: 'updateInventory',
			key: { __rl: true, mode: 'id', value: String(inventory.materialKey) },
			quantity: 42,
			locationKey: String(inventory.locationKey),
			additionalFields: { unitCost: 7 },
		});
		const balance = (items[0].json.inventories as IDataObject[]).find((i) => i.locationKey === inventory.locationKey);
		expect([balance?.quantity, balance?.unitCost]).toEqual([42, 7]);
	});

	it('lists the children of an assembly', async () => {
		const items = records(env.sb, 'material-items');
		const assembly = String(items.find((i) => i.assemblyKey)!.assemblyKey);
		const { items: output } = await env.run({
			system: 'erp',
			resource: 'material',
			operation: 'getChildren',
			key: { __rl: true, mode: 'id', value: assembly },
			returnAll: true,
		});
		expect(keysOf(output)).toEqual(items.filter((i) => i.assemblyKey === assembly).map((i) => String(i.key)).sort());
	});

	it.each([
		['eam', 'asset', 'assetKey'],
		['eam', 'assetTemplate', 'assetTemplateKey'],
		['eam', 'preventiveMaintenance', 'pmKey'],
		['erp', 'productionOrder', 'productionOrderKey'],
	])('%s %s: lists its materials', async (system, resource, field) => {
		const items = records(env.sb, 'material-items');
		const owner = String(items.find((i) => i[field])![field]);
		const key = resource === 'asset' ? { __rl: true, mode: 'id', value: owner } : owner;
		const { items: output } = await env.run({ system, resource, operation: 'getMaterials', key, returnAll: true });
		expect(keysOf(output)).toEqual(items.filter((i) => i[field] === owner).map((i) => String(i.key)).sort());
	});
});

describe('lookups', () => {
	it('lists work-order custom fields', async () => {
		const { items } = await env.run({ system: 'eam', resource: 'workOrder', operation: 'getManyCustomFields', returnAll: true });
		expect(keysOf(items)).toEqual(records(env.sb, 'custom-fields/work-orders').map((f) => String(f.key)).sort());
	});

	it.each([
		['eam', 'workOrder', 'work-orders'],
		['erp', 'productionOrder', 'production-orders'],
		['wms', 'shipmentOrder', 'shipment-orders'],
	])('%s: lists the statuses of %s', async (system, resource, collection) => {
		const { items } = await env.run({ system, resource, operation: 'getStatuses', returnAll: true });
		expect(keysOf(items)).toEqual(records(env.sb, `statuses/${collection}`).map((s) => String(s.key)).sort());
	});
});

describe('shipment orders', () => {
	it('marks a shipment order as delivered', async () => {
		const shipment = records(env.sb, 'shipment-orders').find((s) => !s.deliveredAt) ?? records(env.sb, 'shipment-orders')[0];
		const delivered = records(env.sb, 'statuses/shipment-orders').find((s) => s.code === 'DELIVERED');
		const { items } = await env.run({ system: 'wms', resource: 'shipmentOrder', operation: 'markDelivered', key: String(shipment.key) });
		expect(items[0].json.key).toBe(shipment.key);
		expect(items[0].json.statusKey).toBe(delivered?.key);
		expect(items[0].json.deliveredAt).toBeTruthy();
	});
});
