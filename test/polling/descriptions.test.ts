/**
 * How builders find and configure the two polling triggers: names, codex aliases,
 * descriptions, package registration, and the field picker of the record filters.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { WATCHED_RESOURCES } from '../../nodes/MakiniRecordChangesTrigger/resources';
import { OPERATIONS } from '../../nodes/shared/registry';
import { loadOptions } from '../harness/execute';

const root = join(__dirname, '..', '..');
const codex = (dir: string, name: string) =>
	JSON.parse(readFileSync(join(root, 'nodes', dir, `${name}.node.json`), 'utf8')) as { node: string; alias: string[]; categories: string[] };

describe('polling triggers: how builders find them', () => {
	const nodes = [
		{ type: new MakiniRecordChangesTrigger(), dir: 'MakiniRecordChangesTrigger' },
		{ type: new MakiniConnectionHealthTrigger(), dir: 'MakiniConnectionHealthTrigger' },
	];

	test.each(nodes)('$dir is a polling trigger registered in package.json with its codex and icons', ({ type, dir }) => {
		const { description } = type;
		expect(description.polling).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(description.name).toMatch(/Trigger$/);
		expect(description.displayName).toMatch(/Trigger/);
		expect(description.group).toEqual(['trigger']);
		const file = codex(dir, dir);
		expect(file.node).toBe(`n8n-nodes-makini.${description.name}`);
		expect(file.categories.length).toBeGreaterThan(0);
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
		expect(pkg.n8n.nodes).toContain(`dist/nodes/${dir}/${dir}.node.js`);
		for (const icon of ['makini.svg', 'makini.dark.svg']) {
			expect(readFileSync(join(root, 'nodes', dir, icon), 'utf8')).toBe(readFileSync(join(root, 'nodes', 'MakiniTrigger', icon), 'utf8'));
		}
	});

	test('the health trigger is found by "sync failed" and "reauthorization"', () => {
		const { description } = new MakiniConnectionHealthTrigger();
		const aliases = codex('MakiniConnectionHealthTrigger', 'MakiniConnectionHealthTrigger').alias.map((a) => a.toLowerCase());
		for (const words of ['sync failed', 'reauthorization']) {
			expect(aliases).toContain(words);
			expect(description.description.toLowerCase()).toContain(words);
			expect(String(description.subtitle).toLowerCase()).toContain(words);
		}
	});

	test('the record trigger watches every entity list of the registry', () => {
		const lists = OPERATIONS.filter((op) => op.operation === 'getMany' && op.system !== 'platform');
		expect(WATCHED_RESOURCES.map((w) => `${w.system}.${w.resource}`).sort()).toEqual(lists.map((op) => `${op.system}.${op.resource}`).sort());
		const aliases = codex('MakiniRecordChangesTrigger', 'MakiniRecordChangesTrigger').alias;
		expect(aliases).toEqual(expect.arrayContaining(['polling', 'new record', 'updated record']));
	});

	test('the filter field picker offers the fields of the chosen resource', async () => {
		const options = await loadOptions(new MakiniRecordChangesTrigger(), 'getFilterFields', {
			parameters: { system: 'erp', resource: 'salesOrder' },
		});
		const names = options.map((o) => o.value);
		expect(names).toEqual(expect.arrayContaining(['orderNumber', 'customerKey', 'updatedAt']));
		expect(names).not.toContain('title');
	});
});
