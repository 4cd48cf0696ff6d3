/**
 * Which record a key field names, and which list serves it: `vendorKey` → the vendors of
 * the same system, `fromLocationKey` → its locations, `userRequestedKey` → its users,
 * `statusKey` → the statuses of the resource being written. Derived from the registry's
 * resources and their Get Many, so a new entity in the contract gets its picker.
 */
import { findOperation, resourcesOf } from './index';
import type { ContractOperation, MakiniSystem } from './types';

/** Abbreviations Makini's field names use for a resource. */
const ABBREVIATIONS: Record<string, string> = {
	uom: 'unitOfMeasure',
	po: 'purchaseOrder',
	pm: 'preventiveMaintenance',
	rfq: 'requestForQuotation',
	bom: 'billOfMaterial',
	group: 'productGroup',
};

/** `poLineItem` → `purchaseOrderLineItem`: a leading abbreviation spelled out. */
function expanded(stem: string): string {
	const match = /^([a-z]+)([A-Z].*)?$/.exec(stem);
	const full = match ? ABBREVIATIONS[match[1]] : undefined;
	return full ? `${full}${match![2] ?? ''}` : stem;
}

export type KeyTarget =
	/** A record of the resource's Get Many. */
	| { kind: 'record'; resource: string; operation: ContractOperation }
	/** A status from the written resource's status list. */
	| { kind: 'status'; resource: string; operation: ContractOperation };

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The stem of a single-key field name, e.g. `fromLocation` for `fromLocationKey`. */
export function keyStem(name: string): string | undefined {
	return /^([a-z][A-Za-z0-9]*)Key$/.exec(name)?.[1];
}

function listOf(system: MakiniSystem, resource: string): ContractOperation | undefined {
	const op = findOperation(system, resource, 'getMany');
	return op?.list ? op : undefined;
}

/** The list that serves a key field of `resource`'s body in `system`, if the registry has one. */
export function keyTarget(system: MakiniSystem, resource: string, name: string): KeyTarget | undefined {
	const stem = keyStem(name);
	if (!stem || system === 'platform') return undefined;
	if (stem === 'status') {
		const statuses = findOperation(system, resource, 'getStatuses');
		return statuses ? { kind: 'status', resource, operation: statuses } : undefined;
	}
	const listed = resourcesOf(system).filter((r) => listOf(system, r));
	// parentKey names another record of the same resource (a material's parent material).
	const candidates = [stem, expanded(stem), stem === 'parent' ? resource : ''].filter(Boolean);
	// A qualified name: fromLocation, parentAsset (ends with the resource), userRequested (starts with it).
	const bySuffix = listed.filter((r) => stem.endsWith(pascal(r))).sort((a, b) => b.length - a.length);
	const byPrefix = listed.filter((r) => new RegExp(`^${r}[A-Z]`).test(stem)).sort((a, b) => b.length - a.length);
	const found = [...candidates.filter((r) => listed.includes(r)), ...bySuffix, ...byPrefix][0];
	return found ? { kind: 'record', resource: found, operation: listOf(system, found)! } : undefined;
}

/** The list search method of a key field that names a record of `resource` (e.g. searchVendor). */
export function keySearchMethod(resource: string): string {
	return `search${pascal(resource)}`;
}

/** The list search method of a key target: the resource's records, or the written resource's statuses. */
export function targetSearchMethod(target: KeyTarget): string {
	return target.kind === 'status' ? 'searchStatuses' : keySearchMethod(target.resource);
}
