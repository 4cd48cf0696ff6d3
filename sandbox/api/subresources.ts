/**
 * Sub-resources: materials of a work order (list, add, update), of an asset, asset
 * template, PM or production order, children of an assembly, inventory of a material,
 * statuses, custom fields and a shipment's delivery.
 */
import { materialOwnerField, MATERIAL_ITEMS, ownerCollectionOf, WORK_ORDER_MATERIALS } from '../data/collections';
import type { SandboxRecord } from '../data/store';
import { ApiError, validationError } from '../http/errors';
import { isoNow } from '../state';
import { listBody } from './listing';
import { createRecord, findRecord, productFor, updateRecord } from './records';
import type { ApiCall, ApiResult } from './types';
import { validateBody } from './validate';

/** /assets/{key}/materials, /asset-templates/{key}/materials, /pm/{key}/materials, /production-orders/{key}/materials, /materials/{key}/children. */
export function materialItems(call: ApiCall): ApiResult {
	const field = materialOwnerField(call.op);
	if (!field) throw new Error(`No owner field for ${call.op.path}`);
	findRecord(call.state, ownerCollectionOf(call.op), call.params.key, call.op.resource);
	const source = call.state.store.collection(MATERIAL_ITEMS);
	return { body: listBody(call.state, call.path, call.query, source, { scope: { field, value: call.params.key } }) };
}

/** GET /work-orders/materials (every work order) and /work-orders/{key}/materials. */
export function workOrderMaterials(call: ApiCall): ApiResult {
	const source = call.state.store.collection(WORK_ORDER_MATERIALS);
	if (!call.params.key) return { body: listBody(call.state, call.path, call.query, source) };
	findRecord(call.state, 'work-orders', call.params.key, 'workOrder');
	return { body: listBody(call.state, call.path, call.query, source, { scope: { field: 'workOrderKey', value: call.params.key } }) };
}

function touchWorkOrder(call: ApiCall, workOrder: SandboxRecord): void {
	const count = call.state.store.collection(WORK_ORDER_MATERIALS).rows.filter((m) => m.workOrderKey === workOrder.key).length;
	updateRecord(call.state, 'work-orders', workOrder, { materialCount: String(count) });
}

export function addWorkOrderMaterial(call: ApiCall): ApiResult {
	const workOrder = findRecord(call.state, 'work-orders', call.params.key, 'workOrder');
	const body = validateBody(call.op, call.body, { store: call.state.store, product: productFor(call), creating: true });
	if (!body.materialKey) throw validationError({ materialKey: ['The materialKey field is required.'] });
	const material = call.state.store.collection('materials').get(String(body.materialKey))!;
	const line = createRecord(call.state, WORK_ORDER_MATERIALS, {
		materialKey: material.key,
		storeroomKey: body.storeroomKey ?? workOrder.storeroomKey ?? null,
		requiredQuantity: String(body.requiredQuantity),
		usedQuantity: String(body.usedQuantity),
	}, {
		workOrderKey: workOrder.key,
		name: material.name,
		code: material.code,
		partNumber: material.partNumber,
		uomKey: material.uomKey,
		unitCost: material.cost,
	});
	touchWorkOrder(call, workOrder);
	return { body: { data: line }, write: { kind: 'create', key: line.key } };
}

/** PUT /work-orders/{key}/materials/{materialKey}: the line by its material's key (or its own key). */
export function updateWorkOrderMaterial(call: ApiCall): ApiResult {
	const workOrder = findRecord(call.state, 'work-orders', call.params.key, 'workOrder');
	const wanted = call.params.materialKey;
	const line = call.state.store
		.collection(WORK_ORDER_MATERIALS)
		.rows.find((m) => m.workOrderKey === workOrder.key && (m.materialKey === wanted || m.key === wanted));
	if (!line) throw new ApiError(404, `Work order "${workOrder.key}" has no material "${wanted}".`);
	const body = validateBody(call.op, call.body, { store: call.state.store, product: productFor(call), creating: false });
	const changes: Record<string, unknown> = {};
	for (const field of ['storeroomKey', 'requiredQuantity', 'usedQuantity'] as const) {
		if (body[field] !== undefined) changes[field] = field === 'storeroomKey' ? body[field] : String(body[field]);
	}
	const updated = updateRecord(call.state, WORK_ORDER_MATERIALS, line, changes);
	touchWorkOrder(call, workOrder);
	return { body: { data: updated }, write: { kind: 'update', key: updated.key } };
}

/** PUT /materials/{key}/inventory: sets the balance at a location (the first one when none is named). */
export function updateInventory(call: ApiCall): ApiResult {
	const material = findRecord(call.state, 'materials', call.params.key, 'material');
	const body = validateBody(call.op, call.body, { store: call.state.store, product: productFor(call), creating: false });
	const inventories = call.state.store.collection('inventories');
	const own = inventories.rows.filter((i) => i.materialKey === material.key);
	const locationKey = body.locationKey ?? own[0]?.locationKey ?? null;
	const existing = own.find((i) => i.locationKey === locationKey);
	const changes: Record<string, unknown> = {};
	if (body.quantity !== undefined && body.quantity !== null) changes.quantity = Number(body.quantity);
	if (body.unitCost !== undefined && body.unitCost !== null) changes.unitCost = Number(body.unitCost);
	if (typeof body.code === 'string') changes.code = body.code;
	if (typeof body.name === 'string') changes.name = body.name;
	if (existing) updateRecord(call.state, 'inventories', existing, changes);
	else createRecord(call.state, 'inventories', { code: material.code, name: material.name, quantity: 0, unitCost: 0, ...changes, locationKey }, { materialKey: material.key });
	const balances = inventories.rows.filter((i) => i.materialKey === material.key);
	const total = balances.reduce((sum, i) => sum + Number(i.quantity ?? 0), 0);
	const updated = updateRecord(call.state, 'materials', material, {
		inventory: { ...(material.inventory as object | null), quantity: total },
	});
	return { body: { data: { ...updated, inventories: balances } }, write: { kind: 'update', key: material.key } };
}

/** /statuses/<entity> and /work-orders/custom-fields: plain lists of their collection. */
export function lookupList(collection: string) {
	return (call: ApiCall): ApiResult => ({ body: listBody(call.state, call.path, call.query, call.state.store.collection(collection)) });
}

/** POST /shipment-orders/{key}/delivered. */
export function markDelivered(call: ApiCall): ApiResult {
	const shipment = findRecord(call.state, 'shipment-orders', call.params.key, 'shipmentOrder');
	const delivered = call.state.store.collection('statuses/shipment-orders').rows.find((s) => s.code === 'DELIVERED');
	const updated = updateRecord(call.state, 'shipment-orders', shipment, {
		statusKey: delivered?.key ?? shipment.statusKey,
		deliveredAt: shipment.deliveredAt ?? isoNow(call.state),
	});
	return { body: { data: updated }, write: { kind: 'update', key: shipment.key } };
}
