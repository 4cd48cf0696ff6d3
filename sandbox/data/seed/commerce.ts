/**
 * The purchasing, sales and warehouse side: purchase orders with line items, returns,
 * products, sales orders, invoices, receipts and receivings, RFQs, requisitions, bills
 * of material, production orders, projects, stock transfers and adjustments, shipment
 * orders and fulfillments.
 */
import {
	ADJUSTMENT_REASONS, CARRIERS, PRODUCTS, PROJECTS, SHIPPING_METHODS, TERMS,
} from '../vocabulary';
import { iso, type Seeder } from '../seeder';
import type { SandboxRecord } from '../store';
import { MATERIAL_ITEMS } from '../collections';
import type { Counts } from './maintenance';

// Globals are read once per module: under jest (a vm context) each global lookup in a
// hot loop costs ~100x more than in plain Node, and seeding does millions of them.
const { floor } = Math;
const DAY = 86_400_000;

function statusOf(s: Seeder, scope: string): SandboxRecord {
	return s.prng.pick(s.rows(`statuses/${scope}`));
}

/** Net, tax and gross totals of a list of line totals. */
function totals(lines: ReadonlyArray<Record<string, unknown>>, taxRate = 0.25) {
	const net = lines.reduce((sum, line) => sum + Number(line.lineTotalValue), 0);
	return {
		totalNetValue: net.toFixed(2),
		totalTaxValue: (net * taxRate).toFixed(2),
		totalGrossValue: (net * (1 + taxRate)).toFixed(2),
	};
}

function stockLines(s: Seeder, count: number): Record<string, unknown>[] {
	return Array.from({ length: count }, () => {
		const part = s.pick('materials')!;
		const room = s.pick('storerooms')!;
		return { productKey: s.prng.chance(0.3) ? s.pickKey('products') : null, materialKey: part.key, quantity: String(s.prng.int(1, 40)), locationKey: room.locationKey, storeroomKey: room.key };
	});
}

function documentLines(s: Seeder, count: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
	const p = s.prng;
	return Array.from({ length: count }, (_, i) => {
		const product = s.pick('products')!;
		const quantity = p.int(1, 50);
		const price = Number(product.price);
		return {
			key: s.key(),
			lineNo: String(i + 1),
			productKey: product.key,
			materialKey: null,
			code: product.code,
			name: product.name,
			description: product.description,
			quantity: String(quantity),
			receivedQuantity: '0',
			uomKey: product.uomKey,
			currencyKey: product.currencyKey,
			price: price.toFixed(2),
			discount: '0.00',
			lineTaxValue: (quantity * price * 0.25).toFixed(2),
			lineTotalValue: (quantity * price).toFixed(2),
			notes: null,
			deliveryAt: s.date(1, 30),
			...extra,
		};
	});
}

export function seedPurchasing(s: Seeder, counts: Counts): void {
	const p = s.prng;
	const euro = s.rows('currencies')[0].key;
	const sites = s.rows('sites');
	const lineItems = s.store.collection('purchase-orders.line-items');
	for (let i = 0; i < counts.purchaseOrders; i++) {
		const site = p.pick(sites);
		const vendor = s.pick('vendors')!;
		const status = statusOf(s, 'purchase-orders');
		const stamps = s.stamps();
		const ordered = Date.parse(stamps.createdAt);
		const key = s.key();
		const lines: Record<string, unknown>[] = [];
		for (let l = 0; l < p.int(1, 5); l++) {
			const part = s.pick('materials')!;
			const room = s.pick('storerooms')!;
			const quantity = p.int(1, 40);
			const price = Number(part.cost);
			const received = status.code === 'RECEIVED' || status.code === 'CLOSED' ? quantity : status.code === 'PARTIAL' ? floor(quantity / 2) : 0;
			lines.push(
				lineItems.insert({
					key: s.key(),
					purchaseOrderKey: key,
					locationKey: room.locationKey,
					assetKey: null,
					statusKey: status.key,
					materialKey: part.key,
					storeroomKey: room.key,
					vendorKey: vendor.key,
					productKey: null,
					price: price.toFixed(2),
					discount: '0.00',
					deliveryAt: iso(ordered + p.int(3, 30) * DAY),
					lineNo: String(l + 1),
					code: part.code,
					name: part.name,
					description: part.description,
					lineRef: `${i + 1}/${l + 1}`,
					quantity: String(quantity),
					receivedQuantity: String(received),
					type: 'Material',
					uomKey: part.uomKey,
					cost: price.toFixed(2),
					currencyKey: euro,
					lineTotalValue: (quantity * price).toFixed(2),
					lineTaxValue: (quantity * price * 0.25).toFixed(2),
					notes: null,
					dueAt: iso(ordered + p.int(7, 40) * DAY),
					createdAt: stamps.createdAt,
					updatedAt: stamps.updatedAt,
				}, lineItems.size === 0),
			);
		}
		const sum = totals(lines);
		s.add('purchase-orders', {
			key,
			siteKey: site.key,
			organizationKey: site.organizationKey,
			orderDate: iso(ordered),
			vendorKey: vendor.key,
			userRequestedKey: s.pickKey('users'),
			userApprovedKey: ['DRAFT', 'WAPPR'].includes(String(status.code)) ? null : s.pickKey('users'),
			orderNo: `PO-${24000 + i}`,
			code: `PO-${24000 + i}`,
			statusKey: status.key,
			title: `${lines.length} item${lines.length > 1 ? 's' : ''} from ${vendor.name}`,
			description: `Replenishment order for ${site.name}`,
			dueAt: iso(ordered + 21 * DAY),
			approvedAt: ['DRAFT', 'WAPPR'].includes(String(status.code)) ? null : iso(ordered + DAY),
			completedAt: ['RECEIVED', 'CLOSED'].includes(String(status.code)) ? stamps.updatedAt : null,
			shippingMethod: p.pick(SHIPPING_METHODS),
			shipmentDate: iso(ordered + p.int(2, 14) * DAY),
			shipmentAddress: site.address,
			billingAddress: site.billingAddress,
			terms: p.pick(TERMS),
			notes: null,
			deliveryAddress: site.address,
			currencyKey: euro,
			locationKey: s.rows('storerooms').find((r) => r.siteKey === site.key)?.locationKey ?? null,
			totalNetValue: sum.totalNetValue,
			totalTaxValue: sum.totalTaxValue,
			totalGrossValue: sum.totalGrossValue,
			lineItems: lines,
			createdAt: stamps.createdAt,
			updatedAt: stamps.updatedAt,
		});
	}
	for (let i = 0; i < 20; i++) {
		const po = s.pick('purchase-orders')!;
		const status = statusOf(s, 'return-orders');
		const lines = (po.lineItems as Array<Record<string, unknown>>).slice(0, 1).map((line) => ({ ...line, key: s.key(), quantity: '1' }));
		s.add('return-orders', {
			organizationKey: po.organizationKey,
			siteKey: po.siteKey,
			vendorKey: po.vendorKey,
			statusKey: status.key,
			code: `RMA-${3100 + i}`,
			poKey: po.key,
			orderNo: `RMA-${3100 + i}`,
			orderDate: s.date(-60, -1),
			type: 'Vendor Return',
			title: `Return to vendor for ${po.orderNo}`,
			description: 'Damaged on arrival',
			dueAt: s.date(1, 20),
			approvedAt: s.date(-30, -1),
			completedAt: null,
			shippingMethod: p.pick(SHIPPING_METHODS),
			terms: p.pick(TERMS),
			notes: null,
			currencyKey: po.currencyKey,
			...totals(lines),
			lineItems: lines,
			...s.stamps(),
		});
	}
}

export function seedSales(s: Seeder, counts: Counts): void {
	const p = s.prng;
	const euro = s.rows('currencies')[0].key;
	const documents = Math.max(40, Math.min(2000, Math.round(counts.workOrders / 20)));
	PRODUCTS.forEach((name, i) => {
		for (let variant = 0; variant < 4; variant++) {
			s.add('products', {
				groupKey: s.pickKey('groups'),
				organizationKey: s.rows('organizations')[1]?.key ?? null,
				uomKey: s.rows('uom')[0].key,
				code: `P-${5000 + i * 10 + variant}`,
				name: variant ? `${name} – pack of ${variant * 6}` : name,
				description: `${name}${variant ? `, ${variant * 6} per pack` : ''}`,
				type: i < 10 ? 'Finished Good' : 'Component',
				isTaxable: true,
				taxKeys: [s.rows('taxes')[0].key],
				status: 'Active',
				price: p.amount(0.5, 80),
				currencyKey: euro,
				quantity: String(p.int(0, 5000)),
				sku: `SKU-${p.int(100000, 999999)}`,
				upc: String(p.int(100000, 999999)) + String(p.int(100000, 999999)),
				ean: `57${p.int(10000, 99999)}${p.int(100000, 999999)}`,
				isbn: null,
				partNumber: `PN-${p.int(1000, 9999)}`,
				dimensions: [],
				supplyOptions: [],
				priceLevels: [],
			});
		}
	});
	PROJECTS.forEach((name) =>
		s.add('projects', { siteKey: s.pickKey('sites'), name, accountKey: s.rows('accounts')[8]?.key ?? null, statusKey: statusOf(s, 'projects').key, budget: p.amount(20000, 900000, 0) }),
	);
	for (let i = 0; i < documents; i++) {
		const customer = s.pick('customers')!;
		const lines = documentLines(s, p.int(1, 4)).map((line) => ({
			productKey: line.productKey,
			locationKey: s.pick('storerooms')!.locationKey,
			storeroomKey: s.pickKey('storerooms'),
			quantity: line.quantity,
			quantityRequired: line.quantity,
			price: line.price,
			discount: line.discount,
			lineTaxValue: line.lineTaxValue,
			lineTotalValue: line.lineTotalValue,
			taxKey: s.rows('taxes')[0].key,
		}));
		const date = s.date(-90, 0);
		const order = s.add('sales-orders', {
			organizationKey: customer.organizationKey,
			customerKey: customer.key,
			userKey: s.pickKey('users'),
			code: `SO-${70000 + i}`,
			orderNumber: `SO-${70000 + i}`,
			date,
			statusKey: statusOf(s, 'sales-orders').key,
			shipmentDate: iso(Date.parse(date) + p.int(1, 10) * DAY),
			contactPerson: (customer.name as string).split(' ')[0] + ' purchasing',
			lines,
			currencyKey: euro,
			currencyRate: '1.0000',
			shipmentOrderKey: null,
			shipmentAddress: (customer.addresses as unknown[])[0],
			billingAddress: customer.billingAddress,
		});
		const invoiceLines = documentLines(s, lines.length);
		s.add('invoices', {
			title: `Invoice for ${order.orderNumber}`,
			customerKey: customer.key,
			locationKey: null,
			invoiceNumber: `INV-${880000 + i}`,
			vendorKey: null,
			poKey: null,
			statusKey: statusOf(s, 'invoices').key,
			lineItems: invoiceLines,
			invoiceDate: date,
			dueDate: iso(Date.parse(date) + 30 * DAY),
			receivedDate: null,
			currencyKey: euro,
			...totals(invoiceLines),
			salesOrderKey: order.key,
		});
	}
	for (let i = 0; i < 40; i++) {
		const po = s.pick('purchase-orders')!;
		const lines = documentLines(s, p.int(1, 3));
		const common = {
			siteKey: po.siteKey,
			vendorKey: po.vendorKey,
			poKey: po.key,
			orderNo: po.orderNo,
			orderDate: s.date(-60, 0),
			title: `Goods receipt for ${po.orderNo}`,
			description: null,
			completedAt: s.date(-30, 0),
			shippingMethod: p.pick(SHIPPING_METHODS),
			notes: null,
			currencyKey: po.currencyKey,
			...totals(lines),
			lineItems: lines,
		};
		s.add('receipts', { ...common, code: `GR-${51000 + i}` });
		s.add('receiving', { ...common, organizationKey: po.organizationKey, code: `RCV-${61000 + i}`, statusKey: statusOf(s, 'receiving').key });
	}
	for (let i = 0; i < 30; i++) {
		const lines = documentLines(s, p.int(1, 3));
		s.add('rfq', { siteKey: s.pickKey('sites'), vendorKey: s.pickKey('vendors'), organizationKey: s.pickKey('organizations'), accountKey: s.pickKey('accounts'), code: `RFQ-${9100 + i}`, statusKey: statusOf(s, 'rfq').key, shippingMethod: p.pick(SHIPPING_METHODS), shippingAddress: [s.address()], lineItems: lines, documentKeys: [], ...totals(lines) });
		s.add('purchase-requisitions', { siteKey: s.pickKey('sites'), requesterKey: s.pickKey('users'), accountKey: s.pickKey('accounts'), userRequestedKey: s.pickKey('users'), userApprovedKey: s.pickKey('users'), code: `PR-${4100 + i}`, statusKey: statusOf(s, 'purchase-requisitions').key, shippingMethod: p.pick(SHIPPING_METHODS), shippingAddress: s.address(), lineItems: lines, documentKeys: [], ...totals(lines) });
	}
	for (let i = 0; i < 15; i++) {
		s.add('bom', { siteKey: s.pickKey('sites'), name: `BOM ${s.rows('products')[i * 4].name}`, projectKey: null, type: 'Production', lineItems: documentLines(s, p.int(2, 5)).map(({ key: _key, lineNo: _no, ...line }) => line) });
	}
	for (let i = 0; i < 40; i++) {
		const lines = documentLines(s, p.int(1, 3));
		const order = s.add('production-orders', { siteKey: s.pickKey('sites'), statusKey: statusOf(s, 'production-orders').key, locationKey: s.pickKey('locations'), orderNo: `MO-${30000 + i}`, orderDate: s.date(-45, 5), note: null, ...totals(lines), lineItems: lines });
		for (const part of p.sample(s.rows('materials'), p.int(1, 4))) {
			s.add(MATERIAL_ITEMS, { productionOrderKey: order.key, materialKey: part.key, partNumber: part.partNumber, name: part.name, code: part.code, uomKey: part.uomKey, quantity: String(p.int(1, 20)), requiredQuantity: String(p.int(1, 20)), ...s.stamps() });
		}
	}
}

export function seedWarehouse(s: Seeder): void {
	const p = s.prng;
	for (let i = 0; i < 40; i++) {
		const customer = s.pick('customers')!;
		s.add('shipment-orders', { userKey: s.pickKey('users'), customerKey: customer.key, vendorKey: null, orderNumber: `SO-${70000 + i}`, shipmentNumber: `SH-${120000 + i}`, date: s.date(-30, 5), statusKey: statusOf(s, 'shipment-orders').key, lineItems: stockLines(s, p.int(1, 4)), destinationAddress: customer.addresses, carrierName: p.pick(CARRIERS), shippingMethod: p.pick(SHIPPING_METHODS), notes: null });
	}
	for (let i = 0; i < 30; i++) {
		const [from, to] = p.sample(s.rows('storerooms'), 2);
		s.add('stock-transfers', { organizationKey: s.pickKey('organizations'), shipmentOrderKey: null, fromLocationKey: from.locationKey, toLocationKey: to.locationKey, fromStoreroomKey: from.key, toStoreroomKey: to.key, statusKey: statusOf(s, 'stock-transfers').key, code: `TR-${8800 + i}`, date: s.date(-40, 2), lineItems: stockLines(s, p.int(1, 3)), orderNumber: `TR-${8800 + i}`, shipmentNumber: null, shipmentAddress: null, shipmentRequired: 'false', shippingMethod: 'Internal' });
		const room = p.pick(s.rows('storerooms'));
		s.add('stock-adjustments', { locationKey: room.locationKey, storeroomKey: room.key, userKey: s.pickKey('users'), date: s.date(-40, 0), reason: p.pick(ADJUSTMENT_REASONS), lineItems: stockLines(s, p.int(1, 3)), adjustmentNumber: `ADJ-${5500 + i}`, total: p.amount(-500, 500), type: p.chance(0.5) ? 'Increase' : 'Decrease' });
	}
	for (let i = 0; i < 40; i++) {
		const order = s.pick('sales-orders')!;
		s.add('fulfillments', { organizationKey: order.organizationKey, siteKey: s.pickKey('sites'), vendorKey: null, customerKey: order.customerKey, salesOrderKey: order.key, stockTransferKey: null, statusKey: statusOf(s, 'fulfillments').key, code: `FF-${40000 + i}`, orderNo: order.orderNumber, orderDate: order.date, title: `Fulfillment of ${order.orderNumber}`, description: null, completedAt: null, notes: null, shipmentAddress: order.shipmentAddress, lineItems: stockLines(s, p.int(1, 3)) });
	}
}
