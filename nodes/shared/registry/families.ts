/**
 * The Makini families, one action node each: CMMS/EAM, ERP and WMS. A family node offers
 * its own system's operations and the platform's (connection status and disconnect, the
 * System API, passthrough, raw data): those act on the node's connection, which is a
 * connection to a system of that family.
 */
import { findOperation, OPERATIONS, resourcesOf } from './index';
import type { ContractOperation, MakiniSystem } from './types';

export type MakiniFamily = Exclude<MakiniSystem, 'platform'>;

export interface FamilyNaming {
	family: MakiniFamily;
	/** The node's type name (the package name goes before it: `n8n-nodes-makini.makiniErp`). */
	name: string;
	/** The node's display name. */
	displayName: string;
	/** The kind of system, as a builder names it. */
	kind: string;
	description: string;
	/** What a builder may type to find the node, besides its action phrases. */
	aliases: string[];
}

export const FAMILIES: readonly FamilyNaming[] = [
	{
		family: 'eam',
		name: 'makiniCmms',
		displayName: 'Makini CMMS',
		kind: 'CMMS/EAM',
		description:
			'Work orders, assets, preventive maintenance, meters, service requests and spare parts in CMMS/EAM systems (Maximo, SAP PM, MaintainX, UpKeep, Fiix, ...) through Makini',
		aliases: [
			'CMMS',
			'EAM',
			'maintenance',
			'work order',
			'work order status',
			'asset',
			'spare parts',
			'preventive maintenance',
			'meter reading',
			'service request',
			'work request',
			'downtime',
			'Maximo',
			'SAP PM',
			'MaintainX',
			'UpKeep',
			'Fiix',
			'Limble',
			'eMaint',
		],
	},
	{
		family: 'erp',
		name: 'makiniErp',
		displayName: 'Makini ERP',
		kind: 'ERP',
		description:
			'Purchase orders, requisitions, vendors, invoices, sales orders, production and inventory in ERP systems (SAP, NetSuite, Dynamics, Oracle, ...) through Makini',
		aliases: [
			'ERP',
			'purchase order',
			'create purchase order',
			'purchasing',
			'procurement',
			'requisition',
			'vendor',
			'supplier',
			'invoice',
			'sales order',
			'bill of material',
			'production order',
			'goods receipt',
			'SAP',
			'NetSuite',
			'Dynamics',
			'Oracle',
			'Odoo',
		],
	},
	{
		family: 'wms',
		name: 'makiniWms',
		displayName: 'Makini WMS',
		kind: 'WMS',
		description:
			'Stock, stock transfers and adjustments, shipment orders, fulfillments and purchase orders in warehouse management systems (WMS) through Makini',
		aliases: [
			'WMS',
			'warehouse',
			'inventory',
			'stock',
			'stock transfer',
			'stock adjustment',
			'shipment',
			'fulfillment',
			'picking',
			'Manhattan',
			'Blue Yonder',
		],
	},
];

export function familyNaming(family: MakiniFamily): FamilyNaming {
	const naming = FAMILIES.find((f) => f.family === family);
	if (!naming) throw new Error(`No Makini family "${family}"`);
	return naming;
}

/** Resources of the platform, offered by every family node. */
export const PLATFORM_RESOURCES: readonly string[] = resourcesOf('platform');

/** Resource ids of a family node: its system's, then the platform's. */
export function familyResources(family: MakiniFamily): string[] {
	return [...resourcesOf(family), ...PLATFORM_RESOURCES];
}

/** Every operation a family node offers, in registry order. */
export function familyOperations(family: MakiniFamily): ContractOperation[] {
	return OPERATIONS.filter((op) => op.system === family || op.system === 'platform');
}

/**
 * The operation a family node's parameters name. Its hidden `system` parameter holds the
 * family; a platform resource (Connection, Passthrough, Raw Data, ...) is the platform's.
 * An operation of another family is none of this node's.
 */
export function familyOperation(
	family: MakiniFamily,
	system: string,
	resource: string,
	operation: string,
): ContractOperation | undefined {
	const op = findOperation(system, resource, operation) ?? findOperation('platform', resource, operation);
	return op && (op.system === family || op.system === 'platform') ? op : undefined;
}
