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

let failed = false;
try {
	const legs = [
		{ label: 'source', dir: sourceCheckout(), patterns: SOURCE_FILE_PATTERNS },
		(() => {
			const packed = packedTarball();
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
