/**
 * Which sandbox collection serves which documented operation, derived from the
 * operation registry so that every documented path has a home. Entity families share
 * collections (the EAM, ERP and WMS `/sites` read the same plant), as one connected
 * system would.
 */
import { OPERATIONS, recordFields, type ContractOperation } from '../../nodes/shared/registry';

export const WORK_ORDER_MATERIALS = 'work-order-materials';
export const MATERIAL_ITEMS = 'material-items';
export const WORK_ORDER_CUSTOM_FIELDS = 'custom-fields/work-orders';

/** Fields of MaterialItem (the spec's record for the materials of an asset, PM, order...). */
export const MATERIAL_ITEM_FIELDS = [
	'key', 'materialKey', 'assemblyKey', 'assetKey', 'assetTemplateKey', 'workOrderKey', 'pmKey',
	'productionOrderKey', 'storeroomKey', 'partNumber', 'drawingNumber', 'positionNumber', 'documentKey',
	'name', 'code', 'uomKey', 'quantity', 'requiredQuantity', 'usedQuantity', 'unitCost', 'createdAt',
	'updatedAt', 'deletedAt',
];

const MATERIAL_OWNERS: Record<string, string> = {
	asset: 'assetKey',
	assetTemplate: 'assetTemplateKey',
	preventiveMaintenance: 'pmKey',
	productionOrder: 'productionOrderKey',
};

/** The collection an entity operation reads or writes; undefined for platform operations. */
export function collectionOf(op: Pick<ContractOperation, 'system' | 'resource' | 'operation' | 'path'>): string | undefined {
	if (op.system === 'platform') return undefined;
	const [, , , segment, next] = op.path.split('/');
	if (segment === 'statuses') return `statuses/${next}`;
	if (op.operation === 'getManyCustomFields') return WORK_ORDER_CUSTOM_FIELDS;
	if (op.resource === 'workOrder' && /Materials?$/.test(op.operation)) return WORK_ORDER_MATERIALS;
	if (op.operation === 'getChildren' || (op.operation === 'getMaterials' && MATERIAL_OWNERS[op.resource])) {
		return MATERIAL_ITEMS;
	}
	return segment;
}

/** For a material-items sub-list: which field ties an item to its owner. */
export function materialOwnerField(op: Pick<ContractOperation, 'resource' | 'operation'>): string | undefined {
	if (op.operation === 'getChildren') return 'assemblyKey';
	return op.operation === 'getMaterials' ? MATERIAL_OWNERS[op.resource] : undefined;
}

/** The collection that owns a sub-resource path's `{key}` (e.g. assets for /assets/{key}/materials). */
export function ownerCollectionOf(op: Pick<ContractOperation, 'path'>): string {
	return op.path.split('/')[3];
}

/** Schema fields per collection: the union over every family that documents it. */
export function schemaFields(): Map<string, string[]> {
	const fields = new Map<string, Set<string>>();
	const add = (collection: string, names: string[]) => {
		const set = fields.get(collection) ?? new Set<string>();
		for (const name of names) set.add(name);
		fields.set(collection, set);
	};
	for (const op of OPERATIONS) {
		const collection = collectionOf(op);
		if (!collection) continue;
		if (collection === WORK_ORDER_MATERIALS || collection === MATERIAL_ITEMS) {
			add(collection, MATERIAL_ITEM_FIELDS);
		} else if (op.operation === 'get' || op.operation === 'getMany' || op.operation === 'getStatuses' || op.operation === 'getManyCustomFields') {
			add(collection, recordFields(op).map((f) => f.name));
		}
	}
	return new Map([...fields].map(([name, set]) => [name, [...set]]));
}

/**
 * Which collection a reference field points at: `siteKey` → sites, `assetKeys` → assets,
 * `fromLocationKey` → locations... Used by seeding and by create/update validation.
 */
const REFERENCES: Record<string, string> = {
	site: 'sites',
	organization: 'organizations',
	location: 'locations',
	fromLocation: 'locations',
	toLocation: 'locations',
	storeroom: 'storerooms',
	fromStoreroom: 'storerooms',
	toStoreroom: 'storerooms',
	asset: 'assets',
	vendor: 'vendors',
	customer: 'customers',
	team: 'teams',
	account: 'accounts',
	user: 'users',
	userRequested: 'users',
	userApproved: 'users',
	userManager: 'users',
	requester: 'users',
	laborAssigned: 'labors',
	labor: 'labors',
	currency: 'currencies',
	baseCurrency: 'currencies',
	uom: 'uom',
	costUom: 'uom',
	rateBase: 'uom',
	material: 'materials',
	assembly: 'materials',
	product: 'products',
	company: 'companies',
	makeCompany: 'companies',
	assetTemplate: 'asset-templates',
	model: 'asset-templates',
	meter: 'meters',
	pm: 'pm',
	serviceRequest: 'service-requests',
	workOrder: 'work-orders',
	po: 'purchase-orders',
	salesOrder: 'sales-orders',
	shipmentOrder: 'shipment-orders',
	stockTransfer: 'stock-transfers',
	project: 'projects',
	group: 'groups',
	assetDowntime: 'assets-downtime',
	tax: 'taxes',
	document: 'documents',
	productionOrder: 'production-orders',
};

export function referencedCollection(field: string): string | undefined {
	const stem = /^(.+?)Keys?$/.exec(field)?.[1];
	return stem ? REFERENCES[stem] : undefined;
}

/** The statuses list that governs a collection's statusKey, when the spec documents one. */
export function statusScopeOf(collection: string, known: (name: string) => boolean): string | undefined {
	const scope = `statuses/${collection}`;
	return known(scope) ? scope : undefined;
}

/** Accepts a collection name ("work-orders") or a registry resource id ("workOrder"). */
export function resolveCollection(name: string, known: (name: string) => boolean): string | undefined {
	if (known(name)) return name;
	const op = OPERATIONS.find((o) => o.resource === name && (o.operation === 'getMany' || o.operation === 'get'));
	const collection = op ? collectionOf(op) : undefined;
	return collection && known(collection) ? collection : undefined;
}
