/**
 * Emulated products behind a connection. Which fields a create or update needs depends
 * on the connected product (CONTRACT.md: a work order needs assetKey, title and
 * scheduledAt on one CMMS, siteKey and title on another); the sandbox answers 422
 * naming them, as Makini passes the product's validation through.
 */

export interface Product {
	id: string;
	/** What Makini shows as integration_name. */
	name: string;
	category: 'CMMS' | 'EAM' | 'ERP' | 'WMS';
	/** Required fields by registry resource id (workOrder, purchaseOrder...). */
	required: Record<string, string[]>;
}

export const PRODUCTS: Record<string, Product> = {
	maximo: {
		id: 'maximo',
		name: 'IBM Maximo',
		category: 'EAM',
		required: {
			workOrder: ['siteKey', 'title'],
			asset: ['siteKey', 'name'],
			purchaseOrder: ['siteKey', 'vendorKey'],
			serviceRequest: ['title'],
			material: ['code', 'name'],
			stock: ['materialKey', 'storeroomKey', 'quantity'],
			customer: ['name'],
			returnOrder: ['vendorKey'],
		},
	},
	maintainx: {
		id: 'maintainx',
		name: 'MaintainX',
		category: 'CMMS',
		required: {
			workOrder: ['title'],
			asset: ['name'],
			purchaseOrder: ['vendorKey'],
			serviceRequest: ['title'],
			material: ['name'],
		},
	},
	upkeep: {
		id: 'upkeep',
		name: 'UpKeep',
		category: 'CMMS',
		required: {
			workOrder: ['assetKey', 'title', 'scheduledAt'],
			asset: ['name', 'locationKey'],
			purchaseOrder: ['vendorKey'],
			serviceRequest: ['title', 'assetKey'],
			material: ['name'],
		},
	},
	sap: {
		id: 'sap',
		name: 'SAP S/4HANA',
		category: 'ERP',
		required: {
			workOrder: ['assetKey', 'siteKey', 'title', 'scheduledAt'],
			asset: ['siteKey', 'name'],
			purchaseOrder: ['vendorKey', 'siteKey', 'currencyKey', 'orderDate'],
			salesOrder: ['customerKey', 'date'],
			product: ['code', 'name', 'uomKey'],
			invoice: ['vendorKey', 'invoiceNumber', 'invoiceDate'],
			material: ['code', 'name'],
			customer: ['name', 'code'],
			stockTransfer: ['fromLocationKey', 'toLocationKey'],
			fulfillment: ['salesOrderKey'],
			receiving: ['poKey'],
			requestForQuotation: ['siteKey'],
		},
	},
	netsuite: {
		id: 'netsuite',
		name: 'Oracle NetSuite',
		category: 'ERP',
		required: {
			workOrder: ['title'],
			purchaseOrder: ['vendorKey', 'orderDate'],
			salesOrder: ['customerKey'],
			invoice: ['customerKey', 'invoiceDate'],
			product: ['name'],
			material: ['name'],
			customer: ['name'],
			fulfillment: ['salesOrderKey'],
			stockTransfer: ['fromLocationKey', 'toLocationKey'],
			stockAdjustment: ['locationKey', 'reason'],
		},
	},
};

export const DEFAULT_PRODUCT = 'maximo';

export function productOf(id: string): Product {
	const product = PRODUCTS[id];
	if (!product) {
		throw new Error(`Unknown product "${id}"; choose one of ${Object.keys(PRODUCTS).join(', ')}`);
	}
	return product;
}
