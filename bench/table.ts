/**
 * `npm run bench:table [-- FILE…]`: the README's "Latest run" tables, regenerated from a
 * result of `npm run bench` (the newest in bench/results/ unless files are given; with
 * several, a case is taken from the last file that ran it). Only the text between the
 * README's bench:results markers is replaced.
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
	/** Written while the run went on: the cases it had finished then. */
	partial?: boolean;
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

function machineLine(report: Report): string {
	const m = report.machine;
	const perCase = (m.loadAverages ?? [])
		.filter((l) => l.at === 'start')
		.map((l) => `${l.case} ${l.load[0].toFixed(1)}`)
		.join(', ');
	return (
		`\`npm run bench -- ${report.args.quick ? '--quick ' : ''}--cases ${report.args.cases.join(',')}\`, ${report.args.rounds} round(s), started ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.partial ? `cut short after ${report.durationS} s (cases finished: ${Object.keys(report.cases).join(', ') || 'none'})` : `${report.durationS} s in all`}; ` +
		`load average (1 / 5 / 15 min) ${load(m.loadAverageAtStart)} at the start, ${load(m.loadAverageAtEnd)} at the end${perCase ? `; 1-min load as each case started: ${perCase}` : ''}.`
	);
}

export function renderReport(reports: Report[]): string {
	const m = reports[0].machine;
	// A case comes from the last report that ran it.
	const from = new Map<string, Report>();
	for (const report of reports) for (const name of Object.keys(report.cases)) from.set(name, report);
	const names = [...new Set(reports.flatMap((r) => r.args.cases))].filter((name) => from.has(name));
	const out = [
		`${m.cpus} cores (${m.cpuModel.trim()}), ${m.memoryGb} GB, bench on Node ${m.node.replace(/^v/, '')}, n8n 2.41.1 on Node 24, all on loopback. ` +
			'Figures are medians with min–max over the rounds.',
		'',
		...reports.map((r) => `- ${machineLine(r)}`),
		'',
		'**Targets**',
		'',
		'| case | measure | result (min–max) | target | |',
		'| --- | --- | --- | --- | --- |',
		...names.flatMap((name) =>
			from
				.get(name)!
				.targets.filter((t) => t.case === name)
				.map((t) => `| ${t.case} | ${t.name} | ${formatTarget(t)} | ${t.target} | ${t.met ? 'met' : '**missed**'} |`),
		),
	];
	for (const name of names) {
		for (const table of from.get(name)!.cases[name]?.tables ?? []) out.push('', renderMarkdown(table));
	}
	const failed = reports.flatMap((r) => r.failures.map((f) => f.split(':')[0])).filter((name) => !from.has(name));
	if (failed.length) out.push('', `Cases that failed and have no figures: ${[...new Set(failed)].join(', ')}.`);
	return out.join('\n');
}

function main(): void {
	const files = process.argv.length > 2 ? process.argv.slice(2) : [newestResult()];
	const reports = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Report);
	const readme = readFileSync(README, 'utf8');
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
	const next = `${readme.slice(0, start + START.length)}\n\n${renderReport(reports)}\n\n${readme.slice(end)}`;
	writeFileSync(README, next);
	console.log(`README.md: the benchmark tables from ${files.join(', ')}`);
}

main();
