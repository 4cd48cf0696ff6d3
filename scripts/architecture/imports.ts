/**
 * The import rules of nodes/: nodes meet only in nodes/shared/, nodes/shared/ imports no
 * node, and execution (a node's actions/, the transport, the registry) imports no
 * description (UI) code. `npm run check:imports` prints each broken rule and exits 1;
 * `--graph` prints the folder-level import graph of nodes/; `--root DIR` checks another tree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportEdge {
	/** Importing file, relative to the project root, with forward slashes. */
	from: string;
	/** Imported file or folder, the same way. */
	to: string;
}

export interface Violation extends ImportEdge {
	rule: string;
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
	});
}

const posix = (path: string) => path.split(sep).join('/');

/** The file an import names: `./x` is x.ts, or x/index.ts for a folder. */
function moduleFile(target: string): string {
	if (existsSync(`${target}.ts`)) return `${target}.ts`;
	if (existsSync(target) && statSync(target).isDirectory()) return join(target, 'index.ts');
	return target;
}

/** Every relative import of the TypeScript files under `root`/nodes. */
export function importEdges(root: string): ImportEdge[] {
	const nodesDir = join(root, 'nodes');
	return sourceFiles(nodesDir).flatMap((file) => {
		const text = readFileSync(file, 'utf8');
		return [...text.matchAll(SPECIFIER)].map((match) => ({
			from: posix(relative(root, file)),
			to: posix(relative(root, moduleFile(resolve(dirname(file), match[1] ?? match[2])))),
		}));
	});
}

/** `nodes/<Folder>/...` → `<Folder>` ('shared' for nodes/shared). */
function nodeFolder(path: string): string | undefined {
	const parts = path.split('/');
	return parts[0] === 'nodes' && parts.length > 2 ? parts[1] : undefined;
}

/** Execution code: what runs a workflow step, as opposed to describing the editor's form. */
function isExecution(path: string): boolean {
	return /^nodes\/[^/]+\/actions\//.test(path) || /^nodes\/shared\/(transport|registry)\//.test(path);
}

function isDescription(path: string): boolean {
	return /^nodes\/[^/]+\/descriptions(\/|$)/.test(path);
}

export function violations(edges: ImportEdge[]): Violation[] {
	const found: Violation[] = [];
	for (const edge of edges) {
		const from = nodeFolder(edge.from);
		const to = nodeFolder(edge.to);
		if (to === undefined && edge.to.startsWith('nodes/')) continue;
		if (!edge.to.startsWith('nodes/')) {
			found.push({ ...edge, rule: 'nodes/ imports nothing outside nodes/ but packages' });
			continue;
		}
		if (from === 'shared' && to !== 'shared') found.push({ ...edge, rule: 'nodes/shared/ imports no node folder' });
		else if (from !== 'shared' && to !== 'shared' && from !== to) {
			found.push({ ...edge, rule: 'a node folder imports only itself and nodes/shared/' });
		}
		if (isExecution(edge.from) && isDescription(edge.to)) found.push({ ...edge, rule: 'execution imports no descriptions (UI)' });
	}
	return found;
}

/** Folder-level edges: `nodes/Makini/actions → nodes/shared/transport`, each once, sorted. */
export function folderGraph(edges: ImportEdge[]): string[] {
	const folder = (path: string) => {
		const parts = path.split('/');
		return parts.slice(0, Math.min(3, parts.length - 1)).join('/') || path;
	};
	const lines = new Set<string>();
	for (const edge of edges) {
		const a = folder(edge.from);
		const b = folder(edge.to);
		if (a !== b) lines.add(`${a} → ${b}`);
	}
	return [...lines].sort();
}

if (require.main === module) {
	const rootAt = process.argv.indexOf('--root');
	const root = rootAt > 0 ? resolve(process.argv[rootAt + 1]) : resolve(__dirname, '..', '..');
	const edges = importEdges(root);
	if (process.argv.includes('--graph')) {
		for (const line of folderGraph(edges)) console.log(line);
	}
	const broken = violations(edges);
	for (const v of broken) console.log(`${v.from} → ${v.to}: ${v.rule}`);
	console.log(`imports: ${edges.length} relative imports in nodes/, ${broken.length} breaking the rules`);
	process.exitCode = broken.length ? 1 : 0;
}
