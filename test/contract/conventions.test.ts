/**
 * n8n's lint rules read node descriptions in source, so they cannot see the parameters
 * the registry generates. This writes each node's generated description out as an
 * object literal in a `*.node.ts` file and lints it with the project's own ESLint config
 * (eslint-plugin-n8n-nodes-base's node rules, as the scanner applies them): display
 * names, defaults, descriptions, option ordering, noDataExpression, Limit and Return All.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { INodeType } from 'n8n-workflow';

import { MakiniCmms } from '../../nodes/Makini/MakiniCmms.node';
import { MakiniErp } from '../../nodes/Makini/MakiniErp.node';
import { MakiniWms } from '../../nodes/Makini/MakiniWms.node';
import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { DEFAULT_LIMIT } from '../../nodes/shared/registry/lists';

const root = join(__dirname, '..', '..');
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as TypeScript source, keys bare where they can be (the rules match identifier keys). */
function literal(value: unknown, indent = ''): string {
	if (Array.isArray(value)) {
		if (!value.length) return '[]';
		const inner = indent + '\t';
		return `[\n${value.map((v) => inner + literal(v, inner)).join(',\n')},\n${indent}]`;
	}
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
		if (!entries.length) return '{}';
		const inner = indent + '\t';
		const lines = entries.map(([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${literal(v, inner)}`);
		return `{\n${lines.join(',\n')},\n${indent}}`;
	}
	return JSON.stringify(value);
}

function nodeSource(className: string, node: INodeType): string {
	return [
		"import type { INodeType, INodeTypeDescription } from 'n8n-workflow';",
		'',
		`export class ${className} implements INodeType {`,
		`\tdescription: INodeTypeDescription = ${literal(node.description, '\t')};`,
		'}',
		'',
	].join('\n');
}

interface LintMessage {
	ruleId: string | null;
	message: string;
	line: number;
}

/** Lints the generated files with the project's config; the problems as "Node:line rule message". */
function lintGenerated(nodes: Record<string, INodeType>, dir: string): string[] {
	const files = Object.entries(nodes).map(([name, node]) => {
		const file = join('nodes', name, `${name}.node.ts`);
		mkdirSync(join(dir, 'nodes', name), { recursive: true });
		writeFileSync(join(dir, file), nodeSource(name, node));
		return file;
	});
	const eslint = join(root, 'node_modules', '.bin', 'eslint');
	const result = spawnSync(eslint, ['--config', join(root, 'eslint.config.mjs'), '--format', 'json', ...files], {
		cwd: dir,
		// Under NODE_ENV=test (jest's) the plugin treats every file as a trigger node file.
		env: { ...process.env, NODE_ENV: 'production' },
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
	});
	if (!result.stdout.trim().startsWith('[')) throw new Error(`ESLint did not run: ${result.stderr || result.stdout}`);
	const reports = JSON.parse(result.stdout) as Array<{ filePath: string; messages: LintMessage[] }>;
	return reports.flatMap((report) =>
		report.messages
			// Only n8n's conventions: the generated file is data, not code worth the general rules.
			.filter((m) => m.ruleId?.startsWith('n8n-nodes-base/') || m.ruleId === null)
			.map((m) => `${report.filePath.split('/').slice(-2, -1)[0]}:${m.line} ${m.ruleId ?? 'parse'} ${m.message}`),
	);
}

describe("n8n's description conventions on every generated parameter", () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'makini-conventions-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('the six nodes as n8n loads them break none of the node rules', () => {
		const problems = lintGenerated(
			{
				MakiniCmms: new MakiniCmms(),
				MakiniErp: new MakiniErp(),
				MakiniWms: new MakiniWms(),
				MakiniTrigger: new MakiniTrigger(),
				MakiniRecordChangesTrigger: new MakiniRecordChangesTrigger(),
				MakiniConnectionHealthTrigger: new MakiniConnectionHealthTrigger(),
			},
			dir,
		);
		expect(problems).toEqual([]);
	}, 120_000);

	it('the check finds a broken convention (so a pass means something)', () => {
		const broken = new MakiniTrigger();
		broken.description = {
			...broken.description,
			properties: [
				...broken.description.properties,
				{ displayName: 'lower case name', name: 'limit', type: 'number', default: 10, description: 'Max number of results to return' },
				{ displayName: 'Flag', name: 'flag', type: 'boolean', default: false, description: 'A flag.' },
			],
		};
		const problems = lintGenerated({ Broken: broken }, join(dir, 'broken'));
		expect(problems.some((p) => p.includes('node-param-display-name-miscased'))).toBe(true);
		expect(problems.some((p) => p.includes('node-param-default-wrong-for-limit'))).toBe(true);
		expect(problems.some((p) => p.includes('node-param-description-boolean-without-whether'))).toBe(true);
	}, 120_000);
});

describe('the Limit default', () => {
	it("is the registry's DEFAULT_LIMIT on every list (n8n's linter wants the literal in the description)", () => {
		for (const node of [new MakiniCmms(), new MakiniErp(), new MakiniWms()]) {
			const limits = node.description.properties.filter((p) => p.name === 'limit');
			expect(limits.length).toBeGreaterThan(0);
			for (const limit of limits) expect(limit.default).toBe(DEFAULT_LIMIT);
		}
	});
});
