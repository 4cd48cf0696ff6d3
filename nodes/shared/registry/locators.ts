/**
 * Resources a builder picks from a searchable list (resource locator) rather than
 * typing a key: the main entities. The other resources take a key string.
 */
export interface LocatorSpec {
	/** Fields that make the label shown in the list, joined with " · ". */
	label: string[];
	/** Fields searched with `contains`, any of them matching. */
	search: string[];
}

export const LOCATORS: Record<string, LocatorSpec> = {
	workOrder: { label: ['code', 'title'], search: ['title', 'code'] },
	purchaseOrder: { label: ['orderNo', 'title'], search: ['orderNo', 'title'] },
	asset: { label: ['name', 'serialNumber'], search: ['name', 'serialNumber'] },
	material: { label: ['code', 'name'], search: ['name', 'code', 'partNumber'] },
	vendor: { label: ['code', 'name'], search: ['name', 'code'] },
	site: { label: ['code', 'name'], search: ['name', 'code'] },
	serviceRequest: { label: ['title'], search: ['title'] },
};

export function hasLocator(resource: string): boolean {
	return resource in LOCATORS;
}

/** Fields that say which record it is, as a person knows it: a number or code, then a name. */
const NUMBER_FIELDS = ['code', 'orderNo', 'orderNumber', 'invoiceNumber', 'shipmentNumber', 'adjustmentNumber', 'number', 'serialNumber', 'partNumber'];
const NAME_FIELDS = ['name', 'title', 'email', 'description'];

/**
 * The label and search fields of a list that serves a key picker: the resource's own entry
 * above, or else derived from the fields its records document (first number-like field,
 * first name-like field).
 */
export function locatorFor(resource: string, recordFieldNames: readonly string[]): LocatorSpec {
	if (LOCATORS[resource]) return LOCATORS[resource];
	const number = NUMBER_FIELDS.find((f) => recordFieldNames.includes(f));
	const name = NAME_FIELDS.find((f) => recordFieldNames.includes(f));
	const fields = [number, name].filter((f): f is string => Boolean(f));
	return { label: fields, search: fields.length ? fields : [] };
}
