/**
 * Create or Get: which documented creates can look for an existing record first, and on
 * which fields. A create qualifies when Makini documents a filterable list of the same
 * resource; the fields it can match on are the top-level text and number fields that the
 * create's body and the list's records both document (no dates or amounts), so the value the builder sends is
 * the value the list can filter on.
 */
import { isDateTimeName } from './fields';
import { findOperation, recordFields } from './index';
import type { ContractField, ContractOperation } from './types';

/** Fields that name a record in its system, most telling first: the default Match On. */
const PREFERRED_MATCH_FIELDS = [
	'orderNo',
	'orderNumber',
	'invoiceNumber',
	'code',
	'partNumber',
	'serialNumber',
	'sku',
	'upc',
	'ean',
	'isbn',
	'name',
	'title',
];

/** Text and whole numbers: values a builder can repeat exactly (no amounts, no dates). */
const MATCHABLE_TYPES: ReadonlySet<ContractField['type']> = new Set(['string', 'integer']);

function matchable(field: ContractField | undefined): field is ContractField {
	return field !== undefined && MATCHABLE_TYPES.has(field.type) && !isDateTimeName(field.name) && !field.name.endsWith('Keys');
}

/** The list a Create or Get reads, when the create has one. */
export function createOrGetList(op: ContractOperation): ContractOperation | undefined {
	if (op.operation !== 'create' || op.multipart || op.bodyIsArray || op.system === 'platform') return undefined;
	const list = findOperation(op.system, op.resource, 'getMany');
	return list?.filterable && !list.path.includes('{') ? list : undefined;
}

/** Fields a Create or Get of this create can match on, the preferred ones first; empty when it has none. */
export function matchFields(op: ContractOperation): string[] {
	const list = createOrGetList(op);
	if (!list) return [];
	const listed = new Map(recordFields(list).map((field) => [field.name, field]));
	const names = (op.body ?? [])
		.filter((field) => matchable(field) && matchable(listed.get(field.name)))
		.map((field) => field.name);
	const rank = (name: string) => {
		const at = PREFERRED_MATCH_FIELDS.indexOf(name);
		return at === -1 ? PREFERRED_MATCH_FIELDS.length : at;
	};
	return [...new Set(names)].sort((a, b) => rank(a) - rank(b));
}

/** Whether the create offers Create or Get. */
export function supportsCreateOrGet(op: ContractOperation): boolean {
	return matchFields(op).length > 0;
}
