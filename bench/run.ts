/**
 * `npm run bench`: the package's nodes against n8n's own, side by side, in one run on
 * one machine. Starts the sandbox(es) and n8n 2.x, runs each case against its baseline
 * alternating over several rounds, prints the tables and writes bench/results/*.json.
 *
 *   npm run bench                         # every case, 3 rounds
 *   npm run bench -- --quick              # a short run: 1 round, smaller counts
 *   npm run bench -- --rounds 5 --cases trigger,bulk
 *   npm run bench -- --sandbox-port 7710 --n8n-port 7720   # keep to given ports
 *   npm run bench:table                   # the README's tables from the newest result
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { runBulk } from './cases/bulk';
import { runPolling } from './cases/polling';
import { runRateLimit } from './cases/rateLimit';
import { runScaling } from './cases/scaling';
import { runTrigger } from './cases/trigger';
import type { BenchContext, CaseResult } from './cases/types';
import { runVerify } from './cases/verify';
import { parseArgs, type CaseName } from './lib/args';
import { loadNow } from './lib/load';
import { startBenchN8n, type BenchN8n } from './lib/n8n';
import { portsFrom } from './lib/ports';
import { formatTarget, renderMarkdown, renderText } from './lib/table';

const CASES: Record<CaseName, (ctx: BenchContext) => Promise<CaseResult>> = {
	verify: runVerify,
	trigger: runTrigger,
	bulk: runBulk,
	ratelimit: runRateLimit,
	polling: runPolling,
	scaling: runScaling,
};

function machine() {
	return {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGb: Math.round(totalmem() / 2 ** 30),
		node: process.version,
		loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
		loadAverages: [] as Array<{ case: string; at: 'start' | 'end'; load: number[] }>,
	};
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const log = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
	const atStart = machine();
	log(`cases: ${args.cases.join(', ')}; rounds: ${args.rounds}${args.quick ? ' (quick)' : ''}; ${atStart.cpus} cores, load ${atStart.loadAverageAtStart.join(' ')}`);

	let n8n: Promise<BenchN8n> | undefined;
	const ports = portsFrom(args.sandboxPort, args.n8nPort);
	const ctx: BenchContext = {
		args,
		log,
		n8n: () => (n8n ??= startBenchN8n(log, {}, ports.n8n('shared'), args.build)),
		ownN8n: (env = {}) => startBenchN8n(log, env, ports.n8n('own'), args.build),
		ports,
		results: new Map(),
	};
	const stop = async () => {
		if (n8n) await (await n8n.catch(() => undefined))?.n8n.stop();
	};
	process.once('SIGINT', () => void stop().then(() => process.exit(130)));

	const failures: string[] = [];
	const out = args.out ?? join(__dirname, 'results', `bench-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
	// Written after every case (partial until the last), so a run cut short still leaves its figures.
	const write = (done: boolean) => {
		const results = [...ctx.results.values()];
		const report = {
			startedAt: new Date(started).toISOString(),
			finishedAt: new Date().toISOString(),
			durationS: Math.round((Date.now() - started) / 1000),
			partial: !done,
			args,
			machine: { ...atStart, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))) },
			targets: results.flatMap((r) => r.targets.map((t) => ({ case: r.name, ...t }))),
			cases: Object.fromEntries(results.map((r) => [r.name, { tables: r.tables, data: r.data }])),
			markdown: results.flatMap((r) => r.tables.map(renderMarkdown)).join('\n\n'),
			failures,
		};
		mkdirSync(join(out, '..'), { recursive: true });
		writeFileSync(out, JSON.stringify(report, null, '\t') + '\n');
		return report;
	};
	try {
		for (const name of args.cases) {
			atStart.loadAverages.push({ case: name, at: 'start', load: loadavg() });
			log(`case ${name}… (load ${loadNow()})`);
			try {
				const result = await CASES[name](ctx);
				ctx.results.set(name, result);
				for (const table of result.tables) console.log(`\n${renderText(table)}\n`);
			} catch (error) {
				failures.push(`${name}: ${(error as Error).stack ?? String(error)}`);
				log(`case ${name} failed: ${(error as Error).message}`);
			}
			atStart.loadAverages.push({ case: name, at: 'end', load: loadavg() });
			write(false);
		}
	} finally {
		await stop();
	}

	const report = write(true);
	console.log('\nTargets');
	for (const t of report.targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.case}: ${t.name} = ${formatTarget(t)} (target ${t.target})`);
	console.log(`load average (1, 5, 15 min): at the start ${atStart.loadAverageAtStart.join(' ')}, at the end ${loadNow()}`);
	log(`wrote ${out}; ${report.durationS} s in all`);
	if (failures.length) {
		console.error(`\n${failures.length} case(s) failed:\n${failures.join('\n\n')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
