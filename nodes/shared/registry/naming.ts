/**
 * Names and descriptions of systems, resources and operations, in the words a builder
 * uses. The contract names resources by path segment; this overlay is what the node shows.
 */
import type { ContractOperation, MakiniSystem } from './types';
import { withArticle } from '../article';

export interface SystemNaming {
	value: MakiniSystem;
	name: string;
	description: string;
}

export const SYSTEMS: SystemNaming[] = [
	{
		value: 'eam',
		name: 'EAM / CMMS',
		description: 'Maintenance systems: work orders, assets, preventive maintenance, spare parts',
	},
	{
		value: 'erp',
		name: 'ERP',
		description: 'Purchasing, sales, invoices, production, inventory',
	},
	{
		value: 'wms',
		name: 'WMS',
		description: 'Warehouses: stock, transfers, adjustments, shipments, fulfillments',
	},
	{
		value: 'platform',
		name: 'Makini Platform',
		description:
			'The connection itself (status, disconnect, System API), passthrough to the connected system and its raw tables',
	},
];

export interface ResourceNaming {
	name: string;
	/** Plural for sentences ("Get many work orders"); `name + s` when absent. */
	plural?: string;
	description: string;
}

/** Builder's hint on every entity resource: Makini documents no entity DELETE. */
export const NO_DELETE_HINT =
	'Makini documents no Delete for records of the connected systems (they prefer soft deletes): close or cancel with Update Status, or deactivate with Update.';

export const RESOURCES: Record<string, ResourceNaming> = {
	organization: { name: 'Organization', description: 'Companies or legal entities the connected system is split into' },
	site: { name: 'Site', description: 'Plants, facilities and sites' },
	location: { name: 'Location', description: 'Places within a site (building, area, line) where assets and stock are' },
	storeroom: { name: 'Storeroom', description: 'Stores and warehouse rooms holding spare parts and stock' },
	account: { name: 'Account', description: 'General-ledger and cost accounts' },
	team: { name: 'Team', description: 'Crews and work groups' },
	labor: { name: 'Labor', plural: 'labor records', description: 'Technicians and crafts that work is assigned to' },
	user: { name: 'User', description: 'Users of the connected system' },
	unitOfMeasure: { name: 'Unit of Measure', plural: 'units of measure', description: 'Units such as EA, KG, H' },
	company: { name: 'Company', plural: 'companies', description: 'Manufacturers, suppliers and other companies' },
	vendor: { name: 'Vendor', description: 'Suppliers you buy from' },
	customer: { name: 'Customer', description: 'Customers you sell or provide service to' },
	stock: { name: 'Stock', plural: 'stock records', description: 'Stock of a material or product at a location or storeroom' },
	purchaseOrder: { name: 'Purchase Order', description: 'Orders to vendors' },
	purchaseOrderLineItem: { name: 'Purchase Order Line Item', description: 'The lines of purchase orders' },
	material: {
		name: 'Material',
		description: 'Spare parts and materials (part, item or article in some systems)',
	},
	asset: { name: 'Asset', description: 'Equipment and machines that are maintained' },
	assetDowntime: { name: 'Asset Downtime', plural: 'asset downtime records', description: 'Periods an asset was down' },
	assetTemplate: { name: 'Asset Template', description: 'Asset models and templates' },
	meter: { name: 'Meter', description: 'Counters on assets, such as run hours or cycles' },
	meterReading: { name: 'Meter Reading', description: 'Readings of meters' },
	preventiveMaintenance: {
		name: 'Preventive Maintenance',
		plural: 'preventive maintenance plans',
		description: 'PM plans that generate recurring work orders',
	},
	workOrder: { name: 'Work Order', description: 'Maintenance jobs: corrective, preventive, inspections' },
	serviceRequest: { name: 'Service Request', description: 'Requests for work (work requests, notifications)' },
	document: { name: 'Document', description: 'Files attached to records' },
	inventory: { name: 'Inventory', plural: 'inventories', description: 'Inventory balances of materials at locations' },
	returnOrder: { name: 'Return Order', description: 'Returns of goods to vendors' },
	tax: { name: 'Tax', plural: 'taxes', description: 'Tax codes and rates' },
	currency: { name: 'Currency', plural: 'currencies', description: 'Currencies' },
	exchangeRate: { name: 'Exchange Rate', description: 'Currency exchange rates' },
	product: { name: 'Product', description: 'Items you sell or stock' },
	salesOrder: { name: 'Sales Order', description: 'Orders from customers' },
	project: { name: 'Project', description: 'Projects' },
	invoice: { name: 'Invoice', description: 'Vendor and customer invoices' },
	receipt: { name: 'Receipt', description: 'Receipts' },
	billOfMaterial: { name: 'Bill of Material', plural: 'bills of material', description: 'Bills of material (BOM)' },
	productionOrder: { name: 'Production Order', description: 'Manufacturing orders' },
	receiving: { name: 'Receiving', plural: 'receivings', description: 'Goods receipts against purchase orders' },
	requestForQuotation: {
		name: 'Request for Quotation',
		plural: 'requests for quotation',
		description: 'Requests for quotation (RFQ) to vendors',
	},
	purchaseRequisition: { name: 'Purchase Requisition', description: 'Internal requests to buy' },
	fulfillment: { name: 'Fulfillment', description: 'Picking and shipping of sales orders' },
	stockTransfer: { name: 'Stock Transfer', description: 'Moves of stock between locations or storerooms' },
	productGroup: { name: 'Product Group', description: 'Groups of products' },
	stockAdjustment: { name: 'Stock Adjustment', description: 'Corrections of stock quantities' },
	shipmentOrder: { name: 'Shipment Order', description: 'Outbound shipments' },
	connection: {
		name: 'Connection',
		description:
			'The connection behind the token: status and health, disconnect; with the Makini System API credential, all of your connections',
	},
	platform: { name: 'Platform', description: 'The systems Makini can connect to (System API)' },
	client: { name: 'Client', description: 'Your Makini API client (System API)' },
	passthrough: { name: 'Passthrough', description: "Call the connected system's own API through Makini" },
	rawData: { name: 'Raw Data', plural: 'raw tables', description: "Read the connected system's raw source tables" },
};

/** "workOrder" → "Work Order"; for resources a newer contract adds before they are named here. */
export function humanize(id: string): string {
	const words = id
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/_/g, ' ')
		.split(' ')
		.filter(Boolean);
	return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

export function resourceNaming(resource: string): ResourceNaming {
	return RESOURCES[resource] ?? { name: humanize(resource), description: humanize(resource) };
}

function lower(text: string): string {
	return text.toLowerCase();
}

function singular(resource: string): string {
	return lower(resourceNaming(resource).name);
}

/** The resource's plural for sentences ("work orders", "units of measure"). */
export function pluralOf(resource: string): string {
	const naming = resourceNaming(resource);
	if (naming.plural) return naming.plural;
	const name = lower(naming.name);
	return name.endsWith('y') ? `${name.slice(0, -1)}ies` : `${name}s`;
}

export interface OperationNaming {
	name: string;
	/** n8n's action text, shown in the node picker and to AI agents. */
	action: string;
	description: string;
}

/** Platform operations are named one by one; entity operations by their shape. */
const PLATFORM_OPERATIONS: Record<string, OperationNaming> = {
	'connection.getStatus': {
		name: 'Get Status',
		action: 'Get the connection status',
		description:
			'Get the connection behind the API token with its sync status and a health verdict: healthy, syncing, sync failed or reauthorization required',
	},
	'connection.disconnect': {
		name: 'Disconnect',
		action: 'Disconnect the connection',
		description:
			'Disconnect the connection behind the API token: the token stops working at once and scheduled syncs stop; synced data stays',
	},
	'connection.getMany': {
		name: 'Get Many',
		action: 'Get many connections',
		description: 'List all connections of your Makini client with their status (System API)',
	},
	'connection.create': {
		name: 'Create',
		action: 'Create a connection',
		description: 'Create a connection to a customer system (System API)',
	},
	'connection.delete': {
		name: 'Delete',
		action: 'Delete a connection',
		description: 'Delete a connection by its ID (System API)',
	},
	'connection.getMetadata': {
		name: 'Get Metadata',
		action: 'Get connection metadata',
		description: 'Get the metadata stored on a connection (System API)',
	},
	'connection.setMetadata': {
		name: 'Set Metadata',
		action: 'Set connection metadata',
		description: 'Store key/value metadata on a connection (System API)',
	},
	'connection.issueToken': {
		name: 'Issue Token',
		action: 'Issue a connection token',
		description: 'Issue an API token for a connection (System API)',
	},
	'platform.getMany': {
		name: 'Get Many',
		action: 'Get many platforms',
		description: 'List the systems Makini integrates with (System API)',
	},
	'client.get': {
		name: 'Get',
		action: 'Get the API client',
		description: 'Get your Makini API client (System API)',
	},
	'passthrough.call': {
		name: 'Call API',
		action: 'Call the API of the connected system',
		description: "Send a request to the connected system's own API (or SQL) through Makini",
	},
	'rawData.getTables': {
		name: 'Get Tables',
		action: 'Get raw tables',
		description: "List the connected system's raw source tables",
	},
	'rawData.getTableData': {
		name: 'Get Table Data',
		action: 'Get raw table rows',
		description: 'Read the rows of one raw source table, with filters, sorting and paging',
	},
};

export function operationNaming(op: Pick<ContractOperation, 'system' | 'resource' | 'operation'>): OperationNaming {
	const { resource, operation } = op;
	if (op.system === 'platform') {
		const named = PLATFORM_OPERATIONS[`${resource}.${operation}`];
		if (named) return named;
	}
	const one = singular(resource);
	const many = pluralOf(resource);
	switch (operation) {
		case 'getMany':
			return { name: 'Get Many', action: `Get many ${many}`, description: `List ${many}, with filters, sorting and paging` };
		case 'get':
			return { name: 'Get', action: `Get ${withArticle(one)}`, description: `Get one ${one} by its key` };
		case 'create':
			return { name: 'Create', action: `Create ${withArticle(one)}`, description: `Create ${withArticle(one)}` };
		case 'update':
			return { name: 'Update', action: `Update ${withArticle(one)}`, description: `Update ${withArticle(one)} by its key` };
		case 'updateStatus':
			return {
				name: 'Update Status',
				action: `Update ${withArticle(one)} status`,
				description: `Change the status of ${withArticle(one)} (also how a ${one} is closed or cancelled)`,
			};
		case 'getStatuses':
			return {
				name: 'Get Statuses',
				action: `Get ${one} statuses`,
				description: `List the statuses ${withArticle(one)} can have (their keys are what Update Status and filters use)`,
			};
		case 'getMaterials':
			return {
				name: 'Get Materials',
				action: `Get materials of ${withArticle(one)}`,
				description: `List the materials (spare parts) of ${withArticle(one)}`,
			};
		case 'getManyMaterials':
			return {
				name: 'Get Many Materials',
				action: `Get materials of all ${many}`,
				description: `List the materials of all ${many}`,
			};
		case 'getManyCustomFields':
			return {
				name: 'Get Custom Fields',
				action: `Get ${one} custom fields`,
				description: `List the custom fields defined for ${many} in the connected system`,
			};
		case 'addMaterial':
			return {
				name: 'Add Material',
				action: `Add a material to ${withArticle(one)}`,
				description: `Add a material (spare part) with quantities to ${withArticle(one)}`,
			};
		case 'updateMaterial':
			return {
				name: 'Update Material',
				action: `Update a material of ${withArticle(one)}`,
				description: `Update the quantities of a material on ${withArticle(one)}`,
			};
		case 'updateInventory':
			return {
				name: 'Update Inventory',
				action: `Update the inventory of ${withArticle(one)}`,
				description: `Set the inventory balance (quantity, unit cost) of ${withArticle(one)} at a location`,
			};
		case 'getChildren':
			return {
				name: 'Get Children',
				action: `Get child ${many}`,
				description: `List the components of an assembly ${one}`,
			};
		case 'markDelivered':
			return {
				name: 'Mark as Delivered',
				action: `Mark ${withArticle(one)} as delivered`,
				description: `Mark ${withArticle(one)} as delivered`,
			};
		default: {
			const name = humanize(operation);
			return { name, action: `${name} ${withArticle(one)}`, description: `${name} ${withArticle(one)}` };
		}
	}
}
