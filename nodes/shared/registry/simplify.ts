/**
 * Simplify (Get, Get Many): the fields a builder maps most, picked from the record's
 * documented schema: its key, its number or code, its name or title, its status, its main
 * links to other records, its quantity or total and when it changed. A short item is what
 * a workflow maps and what an AI agent using the node as a tool can read.
 */
import { recordFields } from './index';
import type { ContractOperation } from './types';

const SIMPLE_FIELD = [
	/^key$/,
	/^(code|orderNo|orderNumber|invoiceNumber|serialNumber|partNumber|number|sku)$/,
	/^(name|title)$/,
	/^(status|statusKey|priority)$/,
	/^(siteKey|vendorKey|customerKey|assetKey|locationKey|materialKey|workOrderKey|storeroomKey)$/,
	/^(quantity|total|totalAmount|currencyKey|dueDate|dueAt|scheduledAt|orderDate)$/,
	/^updatedAt$/,
];

/** The documented fields Simplify keeps for an operation's records, in schema order. */
export function simplifiedFields(op: ContractOperation): string[] {
	return recordFields(op)
		.map((field) => field.name)
		.filter((name) => SIMPLE_FIELD.some((rule) => rule.test(name)));
}

/** Get and Get Many of a connected system's records, where Simplify leaves out some fields. */
export function offersSimplify(op: ContractOperation): boolean {
	if (op.system === 'platform' || (op.operation !== 'get' && op.operation !== 'getMany')) return false;
	const kept = simplifiedFields(op).length;
	return kept >= 2 && kept < recordFields(op).length;
}

/** The record with only the kept fields it has (a field the system left out stays out). */
export function simplifyRecord<T extends Record<string, unknown>>(record: T, fields: readonly string[]): Partial<T> {
	const simple: Record<string, unknown> = {};
	for (const field of fields) if (field in record) simple[field] = record[field];
	return simple as Partial<T>;
}
