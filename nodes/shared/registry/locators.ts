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
