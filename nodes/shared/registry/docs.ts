/**
 * Documentation links and codex categories of the nodes, in one place: the data each
 * node's `.node.json` (its codex) carries, checked by test/package/codex.test.ts.
 *
 * Links: Makini's published OpenAPI files carry no `externalDocs` (document, tag or
 * operation), no tag descriptions and no `info` links, and CONTRACT.md names no page, so
 * Makini publishes no page per node family or per resource to link. Every entry is
 * therefore the documentation root, the most specific page there is; a resource or family
 * that Makini documents on its own page later gets it in RESOURCE_PAGES / FAMILY_PAGES.
 *
 * Categories: those n8n's own app nodes use for the same kind of system (n8n-nodes-base
 * 2.41.1: Odoo "Data & Storage"; Unleashed Software, an inventory system, "Sales" and
 * "Data & Storage"; QuickBooks and Xero "Finance & Accounting"; ServiceNow "Productivity";
 * monitors such as UptimeRobot "Development"). App nodes set no subcategories: n8n uses
 * those keys only inside its Core Nodes, AI and Human in the Loop groups.
 */
import type { MakiniSystem } from './types';

export const MAKINI_DOCS_ROOT = 'https://docs.makini.io';

/** Pages Makini publishes for one family's API (none in the published sources). */
const FAMILY_PAGES: Partial<Record<MakiniSystem, string>> = {};

/** Pages Makini publishes for one resource of a family, `system.resource` → URL (none yet). */
const RESOURCE_PAGES: Record<string, string> = {};

/** The most specific Makini page for a family, or one of its resources. */
export function documentationUrl(system: MakiniSystem, resource?: string): string {
	return (resource && RESOURCE_PAGES[`${system}.${resource}`]) || FAMILY_PAGES[system] || MAKINI_DOCS_ROOT;
}

/** Every Makini page the nodes may link: what a codex file's URLs must come from. */
export function documentedPages(): string[] {
	return [...new Set([MAKINI_DOCS_ROOT, ...Object.values(FAMILY_PAGES), ...Object.values(RESOURCE_PAGES)])];
}

export type CodexCategory =
	| 'Analytics'
	| 'Communication'
	| 'Data & Storage'
	| 'Development'
	| 'Finance & Accounting'
	| 'Marketing'
	| 'Miscellaneous'
	| 'Productivity'
	| 'Sales'
	| 'Utility';

/** The categories of n8n's node panel an app node (not a Core Node) can be listed under. */
export const CODEX_APP_CATEGORIES: readonly CodexCategory[] = [
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

/** Categories of an action node for one family (or the one node covering them all). */
export const FAMILY_CATEGORIES: Record<MakiniSystem, CodexCategory[]> = {
	// Work orders, assets, maintenance: ServiceNow's place; records kept in another system.
	eam: ['Productivity', 'Data & Storage'],
	// Purchase orders, invoices, sales orders: QuickBooks'/Xero's, Unleashed's, Odoo's.
	erp: ['Finance & Accounting', 'Sales', 'Data & Storage'],
	// Stock, transfers, fulfillments: Unleashed Software's.
	wms: ['Sales', 'Data & Storage'],
	// Connections and the API client: administering an API, where n8n lists its developer tools.
	platform: ['Development'],
};

/** Categories of the nodes that are not one family's actions, by node file name. */
export const NODE_CATEGORIES: Record<string, CodexCategory[]> = {
	// The family nodes' files come from FAMILY_CATEGORIES (scripts/codex).
	MakiniCmms: FAMILY_CATEGORIES.eam,
	MakiniErp: FAMILY_CATEGORIES.erp,
	MakiniWms: FAMILY_CATEGORIES.wms,
	MakiniTrigger: ['Productivity', 'Data & Storage'],
	MakiniRecordChangesTrigger: ['Productivity', 'Data & Storage'],
	// A monitor: UptimeRobot's place, next to the Makini nodes.
	MakiniConnectionHealthTrigger: ['Development', 'Productivity'],
};

/** The codex `resources` of a node: its primary page and the credential's. */
export function codexResources(system?: MakiniSystem): {
	credentialDocumentation: Array<{ url: string }>;
	primaryDocumentation: Array<{ url: string }>;
} {
	return {
		credentialDocumentation: [{ url: MAKINI_DOCS_ROOT }],
		primaryDocumentation: [{ url: system ? documentationUrl(system) : MAKINI_DOCS_ROOT }],
	};
}
