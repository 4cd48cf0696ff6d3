/**
 * `npm run bench:table [-- FILE]`: the README's "Latest run" tables, regenerated from a
 * result of `npm run bench` (the newest in bench/results/ unless a file is given). Only
 * the text between the README's bench:results markers is replaced.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { formatTarget, renderMarkdown, type Table } from './lib/table';

const START = '<!-- bench:results:start (npm run bench:table writes this part) -->';
const END = '<!-- bench:results:end -->';
const README = join(__dirname, '..', 'README.md');
const RESULTS = join(__dirname, 'results');

interface Report {
	startedAt: string;
	durationS: number;
	args: { quick: boolean; rounds: number; cases: string[] };
	machine: {
		cpus: number;
		cpuModel: string;
		memoryGb: number;
		node: string;
		loadAverageAtStart: number[];
		loadAverageAtEnd: number[];
		loadAverages?: Array<{ case: string; at: string; load: number[] }>;
	};
	targets: Array<{ case: string; name: string; value: number; range?: [number, number]; target: string; met: boolean }>;
	cases: Record<string, { tables: Table[] }>;
	failures: string[];
}

function newestResult(): string {
	const files = readdirSync(RESULTS)
		.filter((name) => /^bench-.*\.json$/.test(name))
		.sort();
	if (!files.length) throw new Error('No result in bench/results/: run `npm run bench` first');
	return join(RESULTS, files[files.length - 1]);
}

const load = (values: number[]) => values.map((x) => x.toFixed(1)).join(' / ');

export function renderReport(report: Report): string {
	const m = report.machine;
	const perCase = (m.loadAverages ?? [])
		.filter((l) => l.at === 'start')
		.map((l) => `${l.case} ${l.load[0].toFixed(1)}`)
		.join(', ');
	const out = [
		`${m.cpus} cores (${m.cpuModel.trim()}), ${m.memoryGb} GB, bench on Node ${m.node.replace(/^v/, '')}, n8n 2.41.1 on Node 24, all on loopback. ` +
			`\`npm run bench\`${report.args.quick ? ' --quick' : ''}, ${report.args.rounds} round(s), started ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.durationS} s in all. ` +
			`Load average (1 / 5 / 15 min): ${load(m.loadAverageAtStart)} at the start, ${load(m.loadAverageAtEnd)} at the end${perCase ? `; 1-min load as each case started: ${perCase}` : ''}. ` +
			'Figures are medians with min–max over the rounds.',
		'',
		'**Targets**',
		'',
		'| case | measure | result (min–max) | target | |',
		'| --- | --- | --- | --- | --- |',
		...report.targets.map((t) => `| ${t.case} | ${t.name} | ${formatTarget(t)} | ${t.target} | ${t.met ? 'met' : '**missed**'} |`),
	];
	for (const name of report.args.cases) {
		for (const table of report.cases[name]?.tables ?? []) out.push('', renderMarkdown(table));
	}
	if (report.failures.length) out.push('', `Cases that failed in this run: ${report.failures.map((f) => f.split(':')[0]).join(', ')}.`);
	return out.join('\n');
}

function main(): void {
	const file = process.argv[2] ?? newestResult();
	const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
	const readme = readFileSync(README, 'utf8');
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
	const next = `${readme.slice(0, start + START.length)}\n\n${renderReport(report)}\n\n${readme.slice(end)}`;
	writeFileSync(README, next);
	console.log(`README.md: the benchmark tables from ${file}`);
}

main();
