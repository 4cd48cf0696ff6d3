/**
 * The three family nodes as n8n 2.x's node panel shows them. The panel's rules, read in
 * n8n's editor source (see docs/architecture.md, "The node panel"), are restated here:
 * - a resource's actions are the options of the first Operation parameter whose
 *   `resource` condition names that resource, filed under "<Resource> Actions";
 * - an added action sets each display condition of that Operation to its first value;
 * - a trigger named `<name>Trigger` is merged into the action node `<name>`, which then
 *   shows the trigger's description;
 * - the search matches the typed letters, in order, in a node's display name or in one
 *   of its codex aliases (never in its actions).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { operationsOf } from '../../nodes/shared/registry';
import { FAMILIES, familyOperations, familyResources, type FamilyNaming } from '../../nodes/shared/registry/families';
import { resourceNaming } from '../../nodes/shared/registry/naming';
import { codexPath, codexText } from '../../scripts/codex/families';
import { FAMILY_NODES } from '../node/helpers';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[] } };

interface PanelAction {
	heading: string;
	label: string;
	/** The parameters the panel sets when the action is added. */
	sets: Record<string, unknown>;
}

/** The actions n8n's panel builds from a node's Resource and Operation parameters. */
function panelActions(description: INodeTypeDescription): PanelAction[] {
	const actions: PanelAction[] = [];
	for (const resourceProperty of description.properties.filter((p) => p.name === 'resource')) {
		const options = (resourceProperty.options ?? []) as INodePropertyOptions[];
		for (const resource of options) {
			const operation = description.properties.find(
				(p) => p.name === 'operation' && ((p.displayOptions?.show?.resource as string[] | undefined)?.includes(String(resource.value)) ?? options.length === 1),
			);
			for (const option of (operation?.options ?? []) as INodePropertyOptions[]) {
				const conditions = Object.fromEntries(
					Object.entries(operation!.displayOptions?.show ?? {}).map(([name, values]) => [name, (values as unknown[])[0]]),
				);
				actions.push({ heading: `${resource.name} Actions`, label: option.action ?? option.name, sets: { operation: option.value, ...conditions } });
			}
		}
	}
	return actions;
}

/** n8n's node-panel match: every typed letter, in order, somewhere in the text (case-insensitive). */
function letterMatch(pattern: string, target: string): boolean {
	let p = 0;
	const a = pattern.toLowerCase();
	const b = target.toLowerCase();
	for (let t = 0; p < a.length && t < b.length; t++) if (a[p] === b[t]) p++;
	return a.length > 0 && b.length > 0 && p === a.length;
}

function codexOf(family: FamilyNaming): { node: string; alias: string[] } {
	return JSON.parse(readFileSync(codexPath(root, family), 'utf8')) as { node: string; alias: string[] };
}

/** The family nodes a search finds, by display name or alias. */
function found(search: string): string[] {
	return FAMILIES.filter((family) => {
		const { displayName } = FAMILY_NODES[family.family].description;
		return [displayName, ...codexOf(family).alias].some((text) => letterMatch(search, text));
	}).map((family) => family.displayName);
}

describe.each(FAMILIES.map((f) => [f.displayName, f] as const))('%s in the node panel', (_name, family) => {
	const node: INodeType = FAMILY_NODES[family.family];
	const { description } = node;
	const actions = panelActions(description);

	it('is the node its codex file, package.json and family naming say', () => {
		expect(description.name).toBe(family.name);
		expect(description.displayName).toBe(family.displayName);
		expect(description.description).toBe(family.description);
		expect(codexOf(family).node).toBe(`${pkg.name}.${family.name}`);
		const file = codexPath(root, family).slice(root.length + 1).replace(/\.json$/, '.js');
		expect(pkg.n8n.nodes).toContain(`dist/${file}`);
	});

	it('lists every operation of its family and of the platform once, each under its own resource', () => {
		expect(actions.length).toBe(familyOperations(family.family).length);
		for (const action of actions) {
			expect([action.label, action.heading]).toEqual([action.label, `${resourceNaming(String(action.sets.resource)).name} Actions`]);
		}
		const headings = [...new Set(actions.map((a) => a.heading))];
		expect(headings.length).toBe(familyResources(family.family).length);
	});

	it('has unique action labels', () => {
		const labels = actions.map((a) => a.label);
		expect(labels.filter((label, i) => labels.indexOf(label) !== i)).toEqual([]);
	});

	it('shows each Operation parameter for exactly one resource, and no System picker', () => {
		const operations = description.properties.filter((p) => p.name === 'operation');
		expect(operations.length).toBe(familyResources(family.family).length);
		for (const operation of operations) {
			expect(Object.keys(operation.displayOptions?.show ?? {})).toEqual(['resource']);
			expect(operation.displayOptions?.show?.resource).toHaveLength(1);
			const [resource] = operation.displayOptions!.show!.resource as string[];
			const system = familyOperations(family.family).find((op) => op.resource === resource)!.system;
			expect(((operation.options ?? []) as INodePropertyOptions[]).length).toBe(operationsOf(system, resource).length);
		}
		expect(description.properties.filter((p) => p.name === 'resource')).toHaveLength(1);
		const system = description.properties.filter((p) => p.name === 'system');
		expect(system.map((p) => [p.type, p.default])).toEqual([['hidden', family.family]]);
		// No parameter still depends on a System the builder cannot set.
		expect(description.properties.filter((p) => p.displayOptions?.show?.system || p.displayOptions?.hide?.system)).toEqual([]);
	});

	it('is found by each of its action labels, with or without the article', () => {
		const missed = actions
			.map((a) => a.label.replace(/\b(an?|the)\s/g, ''))
			.filter((phrase) => !found(phrase).includes(family.displayName));
		expect(missed).toEqual([]);
	});

	it('has a codex file current with the registry (npm run codex)', () => {
		expect(readFileSync(codexPath(root, family), 'utf8')).toBe(codexText(family));
	});
});

describe('searches a builder types', () => {
	it.each([
		['Makini', ['Makini CMMS', 'Makini ERP', 'Makini WMS']],
		['purchase order', ['Makini CMMS', 'Makini ERP', 'Makini WMS']],
		['create purchase order', ['Makini CMMS', 'Makini ERP', 'Makini WMS']],
		['get many work orders', ['Makini CMMS']],
		['work order status', ['Makini CMMS']],
		['update work order status', ['Makini CMMS']],
		['stock transfer', ['Makini ERP', 'Makini WMS']],
		['maximo', ['Makini CMMS']],
		['netsuite', ['Makini ERP']],
	])('"%s" finds %j', (search, nodes) => {
		expect(found(search)).toEqual(nodes);
	});

	it('the match is strict enough to fail: letters out of order find nothing', () => {
		expect(found('order purchase create')).toEqual([]);
		expect(letterMatch('work order status', 'Update a work order')).toBe(false);
	});
});

describe('no trigger lends its description to an action node', () => {
	it('no trigger is named after an action node plus "Trigger" (n8n merges those by name)', () => {
		const triggers = [new MakiniTrigger(), new MakiniRecordChangesTrigger(), new MakiniConnectionHealthTrigger()];
		const actionNames = FAMILIES.map((f) => FAMILY_NODES[f.family].description.name);
		for (const trigger of triggers) {
			expect(actionNames).not.toContain(trigger.description.name.replace('Trigger', ''));
		}
	});
});
