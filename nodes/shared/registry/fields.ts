/**
 * How the documented body fields of an operation become node parameters: which ones a
 * builder almost always sets (top-level), which go into Additional Fields, and the
 * input each field needs. Used by the descriptions and by execution alike, so what the
 * node shows is exactly what it sends.
 */
import { findOperation } from './index';
import type { ContractField, ContractOperation } from './types';

/** Fields a builder almost always sets on create and update, per resource. */
const PRIMARY_BY_RESOURCE: Record<string, string[]> = {
	workOrder: ['title', 'siteKey', 'assetKey', 'scheduledAt'],
	purchaseOrder: ['vendorKey', 'siteKey', 'orderDate'],
	asset: ['name', 'siteKey', 'locationKey'],
	material: ['name', 'code'],
	serviceRequest: ['title', 'assetKey', 'description'],
	customer: ['name', 'code'],
	stock: ['materialKey', 'storeroomKey', 'quantity'],
	returnOrder: ['vendorKey', 'locationKey'],
	product: ['name', 'code', 'uomKey'],
	salesOrder: ['customerKey', 'date'],
	invoice: ['invoiceNumber', 'vendorKey', 'invoiceDate'],
	receiving: ['poKey', 'siteKey'],
	requestForQuotation: ['siteKey'],
	stockTransfer: ['fromLocationKey', 'toLocationKey'],
	fulfillment: ['salesOrderKey'],
	stockAdjustment: ['locationKey', 'reason'],
	connection: ['name', 'email', 'provider'],
};

/** Sub-resource operations whose point is one or two fields. */
const PRIMARY_BY_OPERATION: Record<string, string[]> = {
	updateInventory: ['quantity', 'locationKey'],
	addMaterial: ['materialKey', 'requiredQuantity', 'usedQuantity'],
	updateMaterial: ['requiredQuantity', 'usedQuantity'],
};

/**
 * One order for the top-level fields of every operation: what the record is (name, number),
 * whom it concerns, where, then when and how much. The same field sits at the same place in
 * every system and resource, so switching System never reorders a form (and the merged
 * description has one order that suits every operation). Other fields follow by name;
 * the nested lines come last, just before Additional Fields.
 */
const PRIMARY_ORDER = [
	'name',
	'title',
	'invoiceNumber',
	'email',
	'provider',
	'code',
	'customerKey',
	'vendorKey',
	'salesOrderKey',
	'poKey',
	'materialKey',
	'siteKey',
	'assetKey',
	'storeroomKey',
	'requiredQuantity',
	'usedQuantity',
	'quantity',
	'locationKey',
	'fromLocationKey',
	'toLocationKey',
	'uomKey',
	'description',
	'reason',
	'date',
	'orderDate',
	'invoiceDate',
	'scheduledAt',
];

/** Compares two top-level fields by the one order above. */
export function comparePrimary(a: ContractField, b: ContractField): number {
	const rank = (field: ContractField) => {
		if (fieldInput(field) === 'lines') return PRIMARY_ORDER.length + 1;
		const index = PRIMARY_ORDER.indexOf(field.name);
		return index === -1 ? PRIMARY_ORDER.length : index;
	};
	return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

/**
 * Fields the connected system sets: the record's identity and its timestamps. The spec
 * marks none `readOnly` today (the derivation keeps the flag where it does); it documents
 * them in create bodies, so the rule also goes by name. Never offered for writing.
 */
const SYSTEM_MANAGED = new Set(['key', 'id', 'createdAt', 'updatedAt', 'deletedAt']);

export function isSystemManaged(field: Pick<ContractField, 'name' | 'readOnly'>): boolean {
	return field.readOnly === true || SYSTEM_MANAGED.has(field.name);
}

/** A nested list a builder fills with the record: its lines (line items, sales-order lines). */
function isLineList(field: ContractField): boolean {
	return fieldInput(field) === 'lines' && /^line/.test(field.name);
}

/** Operations whose body the node builds from fields (Fields / JSON modes, custom fields). */
export function hasFieldBody(op: ContractOperation): boolean {
	if (op.multipart || op.bodyIsArray) return false;
	if (op.system === 'platform') return op.resource === 'connection' && op.operation === 'create';
	return ['create', 'update', 'addMaterial', 'updateMaterial', 'updateInventory'].includes(op.operation);
}

/** Custom fields go with the entity's own create and update, not with sub-resources. */
export function takesCustomFields(op: ContractOperation): boolean {
	return op.system !== 'platform' && (op.operation === 'create' || op.operation === 'update');
}

/**
 * The documented body fields. Some updates document no body (sales orders, return
 * orders): the same entity's create fields are then the best documented guess.
 */
export function bodyFields(op: ContractOperation): ContractField[] {
	const documented = op.body?.length
		? op.body
		: op.operation === 'update'
			? (findOperation(op.system, op.resource, 'create')?.body ?? [])
			: [];
	return documented.filter((field) => !isSystemManaged(field));
}

/**
 * The fields of one line of a nested list a builder may set: not the system's, and not
 * the key of the record the line belongs to (a purchase order's line names no
 * purchaseOrderKey: the order does not exist yet, or the path names it).
 */
export function lineFields(op: Pick<ContractOperation, 'resource'>, field: ContractField): ContractField[] {
	return (field.fields ?? []).filter((sub) => !isSystemManaged(sub) && sub.name !== `${op.resource}Key`);
}

/**
 * The fields shown on each line itself: what the line is (the keys it names, its name, code,
 * title or description) and how many. n8n fills every value of a row with its default, so a
 * number there is always sent: only the quantity, which every line has, is; the line's other
 * fields (prices, received quantities, dates, flags, ...) go in the row's own Additional Fields.
 */
export function isMainLineField(field: ContractField): boolean {
	if (field.required || field.name === 'quantity') return true;
	if (fieldInput(field) !== 'string') return false;
	return /Key$/.test(field.name) || ['name', 'code', 'title', 'description'].includes(field.name);
}

export type FieldInput = 'string' | 'number' | 'integer' | 'boolean' | 'dateTime' | 'keyList' | 'lines' | 'json';

export function isDateTimeName(name: string): boolean {
	return /[a-z](At|Date)$/.test(name) || name === 'date';
}

/** The input a field needs; nested lists are sent as arrays even where the spec says object. */
export function fieldInput(field: ContractField): FieldInput {
	if (field.fields?.length && (field.list || field.type === 'array')) return 'lines';
	if (/Keys$/.test(field.name) && ['string', 'array', 'json'].includes(field.type)) return 'keyList';
	switch (field.type) {
		case 'number':
			return 'number';
		case 'integer':
			return 'integer';
		case 'boolean':
			return 'boolean';
		case 'date':
			return 'dateTime';
		case 'string':
		case 'binary':
			return isDateTimeName(field.name) ? 'dateTime' : 'string';
		default:
			return 'json';
	}
}

/** Placeholders of a documented path, e.g. ['key', 'materialKey']. */
export function pathPlaceholders(op: Pick<ContractOperation, 'path'>): string[] {
	return [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

export interface BodyLayout {
	/** Top-level parameters. Numbers and booleans here are always sent. */
	primary: ContractField[];
	/** Everything else, in the Additional Fields (create) or Update Fields (update) collection. */
	additional: ContractField[];
	/** Body fields filled from the path parameter of the same name (e.g. materialKey). */
	fromPath: string[];
	/** Name of the collection parameter. */
	collection: 'additionalFields' | 'updateFields';
}

const isScalarText = (input: FieldInput) => input === 'string' || input === 'dateTime' || input === 'keyList';

export function bodyLayout(op: ContractOperation): BodyLayout {
	const fields = bodyFields(op);
	const placeholders = pathPlaceholders(op);
	const fromPath = fields.filter((f) => placeholders.includes(f.name)).map((f) => f.name);
	const wanted = PRIMARY_BY_OPERATION[op.operation] ?? PRIMARY_BY_RESOURCE[op.resource] ?? [];
	const isUpdate = op.operation === 'update';
	const primary: ContractField[] = [];
	const additional: ContractField[] = [];
	for (const field of fields) {
		if (fromPath.includes(field.name)) continue;
		const input = fieldInput(field);
		// An update must not send a number nobody set: only text goes top-level there.
		const top =
			field.required || isLineList(field) || (wanted.includes(field.name) && (!isUpdate || isScalarText(input)));
		(top ? primary : additional).push(field);
	}
	primary.sort(comparePrimary);
	return { primary, additional, fromPath, collection: isUpdate ? 'updateFields' : 'additionalFields' };
}
