/**
 * The codex files (`MakiniCmms.node.json`, ...) of the three family nodes, from the
 * registry: n8n's node panel searches a node's display name and its codex aliases only
 * (a fuzzy match of the typed letters, in order), never its actions, so an action phrase
 * such as "create purchase order" finds a node only through an alias that holds it. The
 * aliases are the family's own words plus every action label of the node.
 * `npm run codex` writes the files; test/contract/panel.test.ts checks they are current.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { codexResources, FAMILY_CATEGORIES } from '../../nodes/shared/registry/docs';
import { FAMILIES, familyOperations, type FamilyNaming } from '../../nodes/shared/registry/families';
import { operationNaming } from '../../nodes/shared/registry/naming';

export const PACKAGE_NAME = 'n8n-nodes-makini';

/** The node's file stem: makiniErp → MakiniErp. */
export function className(family: FamilyNaming): string {
	return family.name.charAt(0).toUpperCase() + family.name.slice(1);
}

export function codexPath(root: string, family: FamilyNaming): string {
	return join(root, 'nodes', 'Makini', `${className(family)}.node.json`);
}

/** The node's action labels, as the panel lists them: its family's, then the platform's. */
export function actionAliases(family: FamilyNaming): string[] {
	return familyOperations(family.family).map((op) => operationNaming(op).action);
}

export function codexFor(family: FamilyNaming): object {
	return {
		node: `${PACKAGE_NAME}.${family.name}`,
		nodeVersion: '1.0',
		codexVersion: '1.0',
		categories: FAMILY_CATEGORIES[family.family],
		alias: [...new Set([...family.aliases, ...actionAliases(family)])],
		resources: codexResources(family.family),
	};
}

export function codexText(family: FamilyNaming): string {
	return `${JSON.stringify(codexFor(family), null, '\t')}\n`;
}

if (require.main === module) {
	const root = join(__dirname, '..', '..');
	for (const family of FAMILIES) {
		writeFileSync(codexPath(root, family), codexText(family));
		console.log(`codex: ${codexPath(root, family).slice(root.length + 1)} (${actionAliases(family).length} action aliases)`);
	}
}
