/**
 * The nodes' codex files (`nodes/<Node>/<Node>.node.json`): categories from n8n's app
 * categories as n8n's own nodes use them, no subcategories, links only to pages Makini
 * publishes (nodes/shared/registry/docs.ts). Where n8n's own nodes are installed (the e2e
 * runtime's n8n-nodes-base) and Makini's OpenAPI files are beside the repository, the
 * lists are checked against them too.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

import { CONTRACT, resourcesOf, type MakiniSystem } from '../../nodes/shared/registry';
import {
	CODEX_APP_CATEGORIES,
	FAMILY_CATEGORIES,
	NODE_CATEGORIES,
	codexResources,
	documentationUrl,
	documentedPages,
} from '../../nodes/shared/registry/docs';

const root = join(__dirname, '..', '..');

interface Codex {
	node: string;
	nodeVersion?: string;
	codexVersion?: string;
	categories?: string[];
	subcategories?: Record<string, string[]>;
	resources?: Record<string, Array<{ url: string }>>;
}

const codexFiles = readdirSync(join(root, 'nodes'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory())
	.flatMap((dir) =>
		readdirSync(join(root, 'nodes', dir.name))
			.filter((file) => file.endsWith('.node.json'))
			.map((file) => ({ name: file.replace(/\.node\.json$/, ''), path: join(root, 'nodes', dir.name, file) })),
	);

const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('codex files', () => {
	it('every node in package.json has one', () => {
		const pkg = read<{ n8n: { nodes: string[] } }>(join(root, 'package.json'));
		const names = pkg.n8n.nodes.map((file) => file.replace(/^dist\/nodes\/.+\/(.+)\.node\.js$/, '$1'));
		expect(codexFiles.map((file) => file.name).sort()).toEqual(expect.arrayContaining(names.sort()));
	});

	it.each(codexFiles)('$name: n8n app categories, no subcategories, Makini pages only', ({ name, path }) => {
		const codex = read<Codex>(path);
		expect(codex.node).toMatch(/^n8n-nodes-makini\.[a-z][A-Za-z]+$/);
		expect([codex.nodeVersion, codex.codexVersion]).toEqual(['1.0', '1.0']);
		expect(codex.categories?.length).toBeGreaterThan(0);
		expect(CODEX_APP_CATEGORIES).toEqual(expect.arrayContaining(codex.categories!));
		expect(new Set(codex.categories).size).toBe(codex.categories!.length);
		expect(codex.subcategories).toBeUndefined();
		if (NODE_CATEGORIES[name]) expect(codex.categories).toEqual(NODE_CATEGORIES[name]);
		const urls = Object.values(codex.resources ?? {}).flatMap((links) => links.map((link) => link.url));
		expect(urls.length).toBeGreaterThan(0);
		expect(documentedPages()).toEqual(expect.arrayContaining(urls));
		expect(codex.resources?.primaryDocumentation?.length).toBe(1);
	});
});

describe('docs registry', () => {
	it('names a Makini page for every family and resource, and only pages it lists', () => {
		const systems = Object.keys(CONTRACT) as MakiniSystem[];
		for (const system of systems) {
			expect(documentedPages()).toContain(documentationUrl(system));
			for (const resource of resourcesOf(system)) expect(documentedPages()).toContain(documentationUrl(system, resource));
			expect(CODEX_APP_CATEGORIES).toEqual(expect.arrayContaining(FAMILY_CATEGORIES[system]));
			expect(documentedPages()).toEqual(expect.arrayContaining(Object.values(codexResources(system)).flat().map((l) => l.url)));
		}
		for (const url of documentedPages()) expect(url).toMatch(/^https:\/\/[a-z.]*makini\.io(\/|$)/);
	});

	const SHARED = join(root, '..', 'shared', 'makini-api');
	const specs = existsSync(SHARED) ? readdirSync(SHARED).filter((file) => /^oas3_.+\.json$/.test(file)) : [];
	(specs.length ? it : it.skip)("lists every documentation page Makini's OpenAPI files name (today none)", () => {
		const pages: string[] = [];
		const walk = (value: unknown): void => {
			if (Array.isArray(value)) return value.forEach(walk);
			if (!value || typeof value !== 'object') return;
			for (const [key, entry] of Object.entries(value)) {
				if (key === 'externalDocs' && entry && typeof entry === 'object') pages.push(String((entry as { url?: unknown }).url));
				else walk(entry);
			}
		};
		for (const file of specs) {
			const spec = read<{ info?: { termsOfService?: string; contact?: { url?: string } }; tags?: unknown[] }>(join(SHARED, file));
			walk(spec);
			for (const url of [spec.info?.termsOfService, spec.info?.contact?.url]) if (url) pages.push(url);
		}
		expect(specs.length).toBe(4);
		expect(documentedPages()).toEqual(expect.arrayContaining(pages));
	});
});

/** n8n-nodes-base of an installed n8n 2.x runtime (scripts/n8n-runtime.sh), if any. */
function installedNodesBase(): string | undefined {
	const linked = join(root, 'e2e', 'runtime', 'node_modules', 'n8n-nodes-base');
	if (existsSync(join(linked, 'dist', 'nodes'))) return linked;
	const cache = process.env.MAKINI_RUNTIME_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-makini', 'runtimes');
	if (!existsSync(cache)) return undefined;
	for (const dir of readdirSync(cache).filter((d) => /^n8n2-[0-9a-f]+$/.test(d))) {
		const base = join(cache, dir, 'node_modules', 'n8n-nodes-base');
		if (existsSync(join(base, 'dist', 'nodes')) && existsSync(join(cache, dir, 'node_modules', '.makini-runtime-stamp'))) return base;
	}
	return undefined;
}

const nodesBase = installedNodesBase();

(nodesBase ? describe : describe.skip)("against n8n's own nodes (n8n-nodes-base of the installed runtime)", () => {
	const codices: Codex[] = [];
	beforeAll(() => {
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const path = join(dir, entry.name);
				if (entry.isDirectory()) walk(path);
				else if (entry.name.endsWith('.node.json')) codices.push(read<Codex>(path));
			}
		};
		walk(join(nodesBase!, 'dist', 'nodes'));
	});

	// n8n's groups that are not app categories: its own core nodes, AI and Human in the Loop.
	const GROUPS = ['Core Nodes', 'AI', 'HITL'];
	const appNodes = () => codices.filter((codex) => !(codex.categories ?? []).some((c) => GROUPS.includes(c)));

	it('each category the registry uses is one n8n lists app nodes under (by at least 3 of them)', () => {
		expect(codices.length).toBeGreaterThan(300);
		const uses = new Map<string, number>();
		for (const codex of appNodes()) for (const category of codex.categories ?? []) uses.set(category, (uses.get(category) ?? 0) + 1);
		for (const category of CODEX_APP_CATEGORIES) expect([category, (uses.get(category) ?? 0) >= 3]).toEqual([category, true]);
	});

	it('app nodes set no subcategories; n8n keys them only under its groups', () => {
		expect(appNodes().filter((codex) => codex.subcategories).map((codex) => codex.node)).toEqual([]);
		const keys = new Set(codices.flatMap((codex) => Object.keys(codex.subcategories ?? {})).filter((key) => Number.isNaN(Number(key))));
		expect([...keys].every((key) => GROUPS.includes(key))).toBe(true);
	});
});
