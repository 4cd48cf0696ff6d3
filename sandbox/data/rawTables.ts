/**
 * Raw source tables, as /api/raw/tables exposes a connected system's own tables (here
 * shaped like Maximo's: WORKORDER, ASSET, PO...). Rows are derived from the records and
 * rebuilt only when the underlying collection changes.
 */
import { ViewCache, type RowSource, type SandboxRecord, type Store } from './store';

type Lookup = (collection: string, key: unknown, field: string) => unknown;
type Column = (row: SandboxRecord, lookup: Lookup) => unknown;

interface RawTableDefinition {
	name: string;
	description: string;
	collection: string;
	columns: Record<string, Column>;
}

const WORK_TYPES: Record<string, string> = { Corrective: 'CM', Preventive: 'PM', Predictive: 'PDM', Inspection: 'INSP', Safety: 'SAFE', Project: 'PROJ' };
const PRIORITIES: Record<string, number> = { Critical: 1, High: 2, Medium: 3, Low: 4 };

const statusCode = (scope: string) => (row: SandboxRecord, lookup: Lookup) => lookup(`statuses/${scope}`, row.statusKey, 'code');
const siteCode = (row: SandboxRecord, lookup: Lookup) => lookup('sites', row.siteKey, 'code');

const TABLES: RawTableDefinition[] = [
	{
		name: 'WORKORDER',
		description: 'Work orders',
		collection: 'work-orders',
		columns: {
			WORKORDERID: (r) => r.key,
			WONUM: (r) => r.code,
			DESCRIPTION: (r) => r.title,
			STATUS: statusCode('work-orders'),
			SITEID: siteCode,
			ASSETNUM: (r, l) => l('assets', r.assetKey, 'serialNumber') ?? r.assetKey,
			LOCATION: (r, l) => l('locations', r.locationKey, 'code'),
			WORKTYPE: (r) => WORK_TYPES[String(r.categoryName)] ?? null,
			WOPRIORITY: (r) => PRIORITIES[String(r.severity)] ?? null,
			TARGSTARTDATE: (r) => r.scheduledAt,
			ACTFINISH: (r) => r.completedAt,
			REPORTDATE: (r) => r.createdAt,
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
	{
		name: 'ASSET',
		description: 'Assets',
		collection: 'assets',
		columns: {
			ASSETID: (r) => r.key,
			ASSETNUM: (r) => r.serialNumber ?? r.key,
			DESCRIPTION: (r) => r.name,
			SITEID: siteCode,
			LOCATION: (r, l) => l('locations', r.locationKey, 'code'),
			PARENT: (r) => r.parentKey,
			MANUFACTURER: (r) => r.makeName,
			STATUS: (r) => (r.isActive === false ? 'DECOMMISSIONED' : 'OPERATING'),
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
	{
		name: 'LOCATIONS',
		description: 'Operating and storage locations',
		collection: 'locations',
		columns: {
			LOCATION: (r) => r.code,
			DESCRIPTION: (r) => r.name,
			SITEID: siteCode,
			TYPE: (r) => String(r.type ?? '').toUpperCase(),
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
	{
		name: 'PO',
		description: 'Purchase orders',
		collection: 'purchase-orders',
		columns: {
			PONUM: (r) => r.orderNo,
			DESCRIPTION: (r) => r.title,
			VENDOR: (r, l) => l('vendors', r.vendorKey, 'code'),
			STATUS: statusCode('purchase-orders'),
			SITEID: siteCode,
			ORDERDATE: (r) => r.orderDate,
			TOTALCOST: (r) => Number(r.totalNetValue ?? 0),
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
	{
		name: 'POLINE',
		description: 'Purchase order lines',
		collection: 'purchase-orders.line-items',
		columns: {
			PONUM: (r, l) => l('purchase-orders', r.purchaseOrderKey, 'orderNo'),
			POLINENUM: (r) => Number(r.lineNo ?? 0),
			ITEMNUM: (r) => r.code,
			ORDERQTY: (r) => Number(r.quantity ?? 0),
			RECEIVEDQTY: (r) => Number(r.receivedQuantity ?? 0),
			UNITCOST: (r) => Number(r.price ?? 0),
			LINECOST: (r) => Number(r.lineTotalValue ?? 0),
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
	{
		name: 'ITEM',
		description: 'Item master',
		collection: 'materials',
		columns: {
			ITEMNUM: (r) => r.code,
			DESCRIPTION: (r) => r.name,
			ORDERUNIT: (r, l) => l('uom', r.uomKey, 'code'),
			MANUFACTURER: (r) => r.manufacturerName,
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
	{
		name: 'INVENTORY',
		description: 'Inventory balances per storeroom',
		collection: 'inventories',
		columns: {
			ITEMNUM: (r) => r.code,
			LOCATION: (r, l) => l('storerooms', r.storeroomKey, 'code'),
			CURBAL: (r) => r.quantity,
			AVGCOST: (r) => r.unitCost,
			CHANGEDATE: (r) => r.updatedAt,
		},
	},
];

class RawTable implements RowSource {
	readonly views = new ViewCache(16);
	readonly fields: ReadonlySet<string>;
	private builtFor = -1;
	private built: Record<string, unknown>[] = [];

	constructor(
		private readonly definition: RawTableDefinition,
		private readonly store: Store,
	) {
		this.fields = new Set(Object.keys(definition.columns));
	}

	get name(): string {
		return this.definition.name;
	}

	get version(): number {
		return this.store.collection(this.definition.collection).version;
	}

	get rows(): readonly Record<string, unknown>[] {
		const collection = this.store.collection(this.definition.collection);
		if (this.builtFor !== collection.version) {
			const lookup: Lookup = (name, key, field) => (typeof key === 'string' ? (this.store.collection(name).get(key)?.[field] ?? null) : null);
			const columns = Object.entries(this.definition.columns);
			this.built = collection.rows.map((row) => {
				const raw: Record<string, unknown> = {};
				for (const [name, column] of columns) raw[name] = column(row, lookup) ?? null;
				return raw;
			});
			this.builtFor = collection.version;
		}
		return this.built;
	}
}

export class RawTables {
	private readonly tables: Map<string, RawTable>;

	constructor(private readonly store: Store) {
		this.tables = new Map(TABLES.map((definition) => [definition.name, new RawTable(definition, store)]));
	}

	source(name: string): RowSource | undefined {
		return this.tables.get(name.toUpperCase());
	}

	list(): Array<Record<string, unknown>> {
		return TABLES.map((t) => ({
			name: t.name,
			description: t.description,
			columns: Object.keys(t.columns),
			rows: this.store.collection(t.collection).size,
		}));
	}
}
