#!/usr/bin/env node
// n8n's community-package scanner (@n8n/scan-community-package), run offline on this
// checkout. The published CLI fetches the package, its npm provenance and the attested
// GitHub source from the network; the analysis itself is one exported function,
// analyzePackage(folder, patterns), which this script calls on the same two inputs the
// real scan lints:
//   1. the source checkout (tracked and new, non-ignored files, as GitHub's archive of
//      the commit would hold them) with the scanner's own SOURCE_FILE_PATTERNS;
//   2. the tarball `npm pack` builds, unpacked, with the compiled `.js` and package.json
//      patterns the real scan uses for the published artifact.
// The provenance check needs the registry's record of a published version, so it runs
// only at publish time (.github/workflows/publish.yml publishes with --provenance).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannerPath = path.join(root, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs');
// The scanner makes a download folder with `tmp` on import; have `tmp` remove it on exit.
createRequire(scannerPath)('tmp').setGracefulCleanup();
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scannerPath);
const scannerVersion = JSON.parse(
	fs.readFileSync(path.join(root, 'node_modules/@n8n/scan-community-package/package.json'), 'utf8'),
).version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'makini-scan-'));

function sourceCheckout() {
	const dir = path.join(work, 'source');
	const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
		cwd: root,
		encoding: 'utf8',
	});
	for (const file of listed.split('\0').filter(Boolean)) {
		const from = path.join(root, file);
		if (!fs.existsSync(from)) continue; // deleted in the work tree, not yet committed
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.copyFileSync(from, path.join(dir, file));
	}
	return dir;
}

function packedTarball() {
	// `npm pack` runs no build (ignore-scripts); dist must be built first, as in CI.
	if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
	const tarball = path.join(work, JSON.parse(out)[0].filename);
	const dir = path.join(work, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	return { dir, name: path.basename(tarball) };
}

// What else n8n's verification guidelines and loader ask of the published package, checked
// on the unpacked tarball: no runtime dependencies, MIT licence, metadata the source
// verification compares, every file package.json names present, no type declarations,
// codex categories from n8n's node-creator app categories (n8n's own app nodes set no
// subcategories; those keys belong to its Core Nodes and AI groups). The category list is
// the package's own (nodes/shared/registry/docs.ts, compiled into the tarball), which
// test/package/codex.test.ts checks against n8n-nodes-base.
function packageProblems(dir) {
	const problems = [];
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const files = execFileSync('find', ['.', '-type', 'f'], { cwd: dir, encoding: 'utf8' })
		.split('\n')
		.filter(Boolean)
		.map((file) => file.replace(/^\.\//, ''));
	for (const field of ['dependencies', 'bundleDependencies', 'bundledDependencies', 'optionalDependencies']) {
		if (pkg[field] && Object.keys(pkg[field]).length > 0) problems.push(`package.json has ${field}: n8n verifies no runtime dependencies`);
	}
	if (pkg.license !== 'MIT') problems.push(`licence is ${pkg.license}, n8n verifies MIT packages`);
	if (!files.includes('LICENSE')) problems.push('the tarball has no LICENSE');
	if (!files.includes('README.md')) problems.push('the tarball has no README.md');
	if (!pkg.keywords?.includes('n8n-community-node-package')) problems.push('keywords lack n8n-community-node-package');
	if (!pkg.author?.name) problems.push('package.json has no author');
	if (!/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/.test(pkg.repository?.url ?? '')) {
		problems.push('repository.url is not a public GitHub repository URL (git+https://github.com/OWNER/REPO.git)');
	}
	if (pkg.main !== undefined && !files.includes(path.normalize(pkg.main))) problems.push(`main names ${pkg.main}, which the tarball lacks`);
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!files.includes(path.normalize(file))) problems.push(`package.json's n8n section names ${file}, which the tarball lacks`);
	}
	const declarations = files.filter((file) => file.endsWith('.d.ts'));
	if (declarations.length > 0) problems.push(`${declarations.length} .d.ts files are packed (e.g. ${declarations[0]})`);
	const { CODEX_APP_CATEGORIES } = createRequire(path.join(dir, 'package.json'))('./dist/nodes/shared/registry/docs.js');
	const codexFiles = files.filter((file) => file.endsWith('.node.json'));
	if (codexFiles.length !== (pkg.n8n?.nodes ?? []).length) problems.push(`${codexFiles.length} codex files for ${(pkg.n8n?.nodes ?? []).length} nodes`);
	for (const file of codexFiles) {
		const codex = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		const unknown = (codex.categories ?? []).filter((category) => !CODEX_APP_CATEGORIES.includes(category));
		if (!codex.categories?.length || unknown.length > 0) problems.push(`${file}: categories ${JSON.stringify(codex.categories)} are not n8n app categories`);
		if (codex.subcategories) problems.push(`${file}: subcategories ${JSON.stringify(codex.subcategories)} (n8n's app nodes set none)`);
	}
	return { problems, fileCount: files.length };
}

let failed = false;
try {
	const legs = [
		{ label: 'source', dir: sourceCheckout(), patterns: SOURCE_FILE_PATTERNS },
		(() => {
			const packed = packedTarball();
			const { problems, fileCount } = packageProblems(packed.dir);
			if (problems.length > 0) {
				failed = true;
				console.log(`❌ package checks: ${packed.name} (${fileCount} files): ${problems.length} problems`);
				for (const problem of problems) console.log(`  - ${problem}`);
			} else {
				console.log(`✅ package checks: ${packed.name} (${fileCount} files): no runtime dependencies, MIT, metadata, entry files, no .d.ts, codex categories`);
			}
			return { label: `tarball ${packed.name}`, dir: packed.dir, patterns: ['**/*.js', 'package.json'] };
		})(),
	];
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		if (result.passed) {
			console.log(`✅ scan-community-package ${scannerVersion}: ${leg.label} passed (${result.message ?? 'no violations'})`);
		} else {
			failed = true;
			console.log(`❌ scan-community-package ${scannerVersion}: ${leg.label} failed: ${result.message}`);
			if (result.details) console.log(result.details);
		}
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
