/**
 * Case 1, the trigger against what builders use today: N signed, unique deliveries at
 * a fixed concurrency to an active Makini Trigger → Edit Fields (one expression),
 * against the workflow that verifies Makini's signature with n8n's own nodes: Webhook
 * (raw body) → Crypto (HMAC-SHA256, base64) → If (equal to the header) → Respond to
 * Webhook → Edit Fields (the same one expression); and the same workflow with a Code
 * node doing the check (Node's crypto in n8n's task runner, constant-time compare) in
 * place of Crypto. The same kind of requests (body, signature, delivery ID) go to all.
 * The sides' order rotates round by round (with 3 rounds each side runs first once);
 * each side's executions are drained before the next side starts, so none pays for
 * another's background work; execution counts prove none was dropped.
 *
 * Measured: deliveries/s, time to the answer (p50/p95/p99), n8n CPU per delivery (utime +
 * stime of the n8n process from /proc, the executions included) and each execution's
 * start-to-finish time as n8n recorded it. Run in two n8n configurations: n8n's
 * defaults, and lazy isolates (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: the expression
 * isolate is built on the first evaluation that needs one, not whenever one is acquired).
 * Both runs are profiled (V8's sampling profiler in n8n, every 0.5 ms: all sides pay for
 * it alike) and the samples split by side.
 *
 * The Code-node variant needs n8n's task runner (internal mode, as
 * scripts/n8n-runtime.sh starts n8n 2.x) and NODE_FUNCTION_ALLOW_BUILTIN=crypto; if its
 * first delivery is not answered 200, that side is left out and the tables say so.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createMakiniCredentials, type N8nSession } from '../../e2e/lib';
import { startSandbox } from '../../sandbox';
import { loadNow, runLoad, type LoadResult } from '../lib/load';
import { cpuMs } from '../lib/memory';
import { countExecutions, waitIdle, type BenchN8n } from '../lib/n8n';
import { uniqueDelivery } from '../lib/payloads';
import { collectProfile, keepProfile, monotonicUs, profileSetup, removeProfiles, summariseProfile, type ProfileSummary, type Window } from '../lib/profile';
import { formatSummary, percentile, summarize, type Summary } from '../lib/stats';
import { verdict, type Table } from '../lib/table';
import { codeVerifiedWebhookWorkflow, diyVerifiedWebhookWorkflow, makiniTriggerVerifiedWorkflow } from '../lib/workflows';
import type { BenchContext, CaseResult, TargetCheck } from './types';

const CONCURRENCY = 10;
const WARMUP = 30;
const SIGNATURE_HEADER = 'X-Webhook-Signature';
const DRAIN_TIMEOUT_MS = 900_000;

type Side = 'makini' | 'diy' | 'code';
const ALL_SIDES: Side[] = ['makini', 'diy', 'code'];
const LABELS: Record<Side, string> = {
	makini: 'Makini Trigger → Edit Fields',
	diy: 'Webhook (raw) → Crypto → If → Respond to Webhook → Edit Fields',
	code: 'Webhook (raw) → Code (crypto) → If → Respond to Webhook → Edit Fields',
};
/** What the Code node's require('crypto') needs in n8n's task runner. */
const CODE_NODE_ENV = { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto' };

interface Config {
	label: string;
	env: Record<string, string>;
	/** Targets against the DIY workflow: throughput at least, CPU per delivery at most. */
	throughput: number;
	cpu: number;
	profile: boolean;
}

interface SideRun {
	side: Side;
	round: number;
	/** Deliveries answered 200 per second of the round's wall time. */
	perSecond: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	non200: number;
	/** Answers by status code (a non-200 is told apart: 401, 500, …). */
	statuses: Record<string, number>;
	errors: number;
	/** n8n's CPU time per delivery answered 200 (ms), answer and execution included: robust to other load on the machine. */
	cpuMsPerDelivery: number;
	/** Median of the round's executions' stoppedAt − startedAt (ms). */
	executionMs: number;
	load: string;
}

interface ConfigResult {
	table: Table;
	/** Deliveries answered 200 in each side's measured rounds (what the profile's ms / delivery divides by). */
	accepted: Record<string, number>;
	targets: TargetCheck[];
	profile?: ProfileSummary[];
	data: unknown;
}

/** Executions of a workflow, by id, with their start-to-finish time. */
async function executionTimes(session: N8nSession, workflowId: string): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	for (const e of await session.client.allExecutions({ workflowId, includeData: false })) {
		if (e.startedAt && e.stoppedAt) out.set(e.id, Date.parse(e.stoppedAt) - Date.parse(e.startedAt));
	}
	return out;
}

async function measure(ctx: BenchContext, session: BenchN8n, config: Config, deliveries: number, windows: Window[]): Promise<Omit<ConfigResult, 'profile'>> {
	const { label } = config;
	// The sandbox only hands out the webhook secret here; the deliveries are signed by the bench.
	const sandbox = await startSandbox({ port: ctx.ports.sandbox(), workOrders: 10, autoWebhooks: false });
	const leftOut: string[] = [];
	try {
		const { webhookSecret } = await createMakiniCredentials(session.client, sandbox);
		const secret = sandbox.webhookSecret;
		const built: Record<Side, { workflow: Parameters<typeof session.client.createWorkflow>[0]; path: string }> = {
			makini: makiniTriggerVerifiedWorkflow(webhookSecret!),
			diy: diyVerifiedWebhookWorkflow(secret, SIGNATURE_HEADER),
			code: codeVerifiedWebhookWorkflow(secret, SIGNATURE_HEADER),
		};
		const paths = {} as Record<Side, string>;
		const ids = {} as Record<Side, string>;
		for (const side of ALL_SIDES) {
			paths[side] = built[side].path;
			ids[side] = (await session.client.createWorkflow(built[side].workflow)).id;
		}
		const sent: Record<Side, number> = { makini: 0, diy: 0, code: 0 };
		const sides: Side[] = [];
		for (const side of ALL_SIDES) {
			await session.client.activateWorkflow(ids[side]);
			// Activation registers the webhook in the background: wait for it with one real delivery.
			const probe = uniqueDelivery(secret, -1 - sent[side]);
			const answer = await session.client.callWebhook(paths[side], { method: 'POST', body: JSON.parse(probe.body.toString()), headers: probe.headers });
			sent[side] += 1;
			if (answer.status === 200) sides.push(side);
			else if (side === 'code') {
				// The Code node needs n8n's task runner: without one this side is left out, not the case.
				leftOut.push(`${LABELS.code}: its first delivery answered ${answer.status} (${JSON.stringify(answer.body).slice(0, 200)})`);
				await session.client.deactivateWorkflow(ids[side]);
			} else throw new Error(`${side}: the first delivery answered ${answer.status}: ${JSON.stringify(answer.body)}`);
		}
		// Every side refuses a forged delivery (401): the DIY workflows are a real check.
		for (const side of sides) {
			const forged = uniqueDelivery('not the secret', -100 - sent[side]);
			const answer = await session.client.callWebhook(paths[side], { method: 'POST', body: JSON.parse(forged.body.toString()), headers: forged.headers });
			if (answer.status !== 401) throw new Error(`${side}: a forged delivery answered ${answer.status}, not 401`);
		}
		// The DIY workflows ran for the forged probe too (their false branch answered 401).
		const forgedExecutions: Record<Side, number> = { makini: 0, diy: 0, code: 0 };
		for (const side of sides) {
			if (side === 'makini') continue;
			await waitIdle(session, ids[side]);
			forgedExecutions[side] = ((await countExecutions(session, ids[side])).success ?? 0) - sent[side];
		}

		let sequence = 0;
		const fire = async (side: Side, count: number, measured: boolean): Promise<LoadResult & { cpuMs: number }> => {
			const cpuBefore = cpuMs(session.pid);
			const startUs = monotonicUs();
			const first = sequence;
			sequence += count;
			const result = await runLoad(`${session.n8n.url}/webhook/${paths[side]}`, count, CONCURRENCY, (i) => uniqueDelivery(secret, first + i));
			sent[side] += count;
			// Drain: the executions started by the 200s run after the answer (a loaded machine may take minutes).
			await waitIdle(session, ids[side], DRAIN_TIMEOUT_MS);
			const cpu = cpuMs(session.pid) - cpuBefore;
			if (measured) windows.push({ label: side, startUs, endUs: monotonicUs() });
			return { ...result, cpuMs: cpu };
		};
		for (const side of sides) await fire(side, WARMUP, false);

		const runs: SideRun[] = [];
		for (let round = 0; round < ctx.args.rounds; round++) {
			// Rotated round by round: over as many rounds as sides, each side runs first once.
			const order: Side[] = sides.map((_, i) => sides[(i + round) % sides.length]);
			for (const side of order) {
				const before = await executionTimes(session, ids[side]);
				const result = await fire(side, deliveries, true);
				const times = [...(await executionTimes(session, ids[side])).entries()].filter(([id]) => !before.has(id)).map(([, ms]) => ms);
				// Only deliveries answered 200 count: a 503 (the trigger's backpressure) is a delivery Makini must send again.
				const accepted = result.statuses['200'] ?? 0;
				const run: SideRun = {
					side,
					round,
					perSecond: (accepted / result.wallMs) * 1000,
					p50Ms: percentile(result.latenciesMs, 50),
					p95Ms: percentile(result.latenciesMs, 95),
					p99Ms: percentile(result.latenciesMs, 99),
					non200: result.count - (result.statuses['200'] ?? 0) - result.errors,
					statuses: result.statuses,
					errors: result.errors,
					cpuMsPerDelivery: result.cpuMs / Math.max(1, accepted),
					executionMs: percentile(times, 50),
					load: loadNow(),
				};
				runs.push(run);
				ctx.log(
					`trigger [${label}] round ${round + 1} ${side}: ${run.perSecond.toFixed(1)}/s, p50 ${run.p50Ms.toFixed(0)} / p95 ${run.p95Ms.toFixed(0)} / p99 ${run.p99Ms.toFixed(0)} ms, ` +
						`non-200 ${run.non200} (statuses ${JSON.stringify(run.statuses)}), errors ${run.errors}, n8n CPU ${run.cpuMsPerDelivery.toFixed(1)} ms/delivery, execution ${run.executionMs} ms; load ${run.load}`,
				);
			}
		}

		const executions = {} as Record<Side, Record<string, number>>;
		for (const side of sides) executions[side] = await countExecutions(session, ids[side]);
		const of = (side: Side) => runs.filter((r) => r.side === side);
		const pair = (value: (r: SideRun) => number, baseline: Side = 'diy') => of('makini').map((m) => value(m) / value(of(baseline).find((w) => w.round === m.round)!));
		const ratio = summarize(pair((r) => r.perSecond));
		const cpuRatio = summarize(pair((r) => r.cpuMsPerDelivery));
		const p95Ratio = summarize(pair((r) => r.p95Ms));
		const versusCode = sides.includes('code')
			? { ratio: summarize(pair((r) => r.perSecond, 'code')), cpuRatio: summarize(pair((r) => r.cpuMsPerDelivery, 'code')), p95Ratio: summarize(pair((r) => r.p95Ms, 'code')) }
			: undefined;
		// The DIY workflows' forged probe also ran (and answered 401): it counts as a success there.
		const expected = {} as Record<Side, number>;
		for (const side of sides) expected[side] = sent[side] + forgedExecutions[side];
		const complete = (side: Side) => (executions[side].success ?? 0) === expected[side] && of(side).every((r) => r.non200 === 0 && r.errors === 0);
		const met = { throughput: ratio.median >= config.throughput && complete('makini'), cpu: cpuRatio.median <= config.cpu };

		const row = (side: Side) => {
			const r = of(side);
			const f = (value: (x: SideRun) => number, digits: number) => formatSummary(summarize(r.map(value)), digits);
			return [
				LABELS[side],
				f((x) => x.perSecond, 1),
				`${f((x) => x.p50Ms, 0)} / ${f((x) => x.p95Ms, 0)} / ${f((x) => x.p99Ms, 0)}`,
				f((x) => x.cpuMsPerDelivery, 1),
				f((x) => x.executionMs, 0),
				`${r.reduce((a, x) => a + x.non200 + x.errors, 0)}; ${executions[side].success ?? 0} / ${expected[side]}`,
			];
		};
		const range = (s: Summary): [number, number] => [s.min, s.max];
		const table: Table = {
			title: `Trigger [${label}]: ${deliveries} signed unique deliveries × ${ctx.args.rounds} round(s), concurrency ${CONCURRENCY}`,
			header: ['workflow', 'deliveries/s answered 200', 'p50 / p95 / p99 to the answer (ms)', 'n8n CPU ms / delivery answered 200 (its task runner included)', 'execution start→finish (ms)', 'non-200; executions / expected'],
			rows: [
				...sides.map(row),
				[
					'ratio Makini / DIY (Crypto)',
					`${formatSummary(ratio, 2)}: >= ${config.throughput} ${verdict(met.throughput)}`,
					`p95 ${formatSummary(p95Ratio, 2)}`,
					`${formatSummary(cpuRatio, 2)}: <= ${config.cpu} ${verdict(met.cpu)}`,
					'',
					'',
				],
				...(versusCode
					? [['ratio Makini / DIY (Code)', formatSummary(versusCode.ratio, 2), `p95 ${formatSummary(versusCode.p95Ratio, 2)}`, formatSummary(versusCode.cpuRatio, 2), '', '']]
					: []),
			],
			notes: [
				`median (min–max) over rounds; ratios per round, paired within the round; load average per round: ${runs.map((r) => `${r.side} ${r.round + 1}: ${r.load.split(' ')[0]}`).join(', ')}.`,
				`each side drains its executions before the next starts; expected includes the registration probe and a warm-up of ${WARMUP} (and, for the DIY workflows, the execution that refused a forged probe with 401).`,
				...leftOut.map((l) => `left out: ${l}`),
			],
		};
		const accepted: Record<string, number> = {};
		for (const r of runs) accepted[r.side] = (accepted[r.side] ?? 0) + (r.statuses['200'] ?? 0);
		return {
			table,
			accepted,
			targets: [
				{ name: `[${label}] deliveries/s Makini Trigger / DIY verified webhook (none dropped)`, value: ratio.median, range: range(ratio), target: `>= ${config.throughput}`, met: met.throughput },
				{ name: `[${label}] n8n CPU per delivery Makini Trigger / DIY verified webhook`, value: cpuRatio.median, range: range(cpuRatio), target: `<= ${config.cpu}`, met: met.cpu },
			],
			data: { label, env: config.env, deliveries, concurrency: CONCURRENCY, warmup: WARMUP, sides, leftOut, runs, ratio, cpuRatio, p95Ratio, versusCode, executions, expected },
		};
	} finally {
		await sandbox.close();
	}
}

export const TRIGGER_CONFIGS: Config[] = [
	{ label: 'n8n defaults', env: {}, throughput: 1.2, cpu: 0.8, profile: true },
	{ label: 'lazy isolates', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, throughput: 2, cpu: 0.8, profile: true },
];

/** `accepted`: deliveries answered 200 in each side's measured windows. */
function profileTable(label: string, summaries: ProfileSummary[], accepted: Record<string, number>): Table {
	const rows: string[][] = [];
	for (const s of summaries) {
		const per = (ms: number) => (ms / Math.max(1, accepted[s.label] ?? 0)).toFixed(2);
		rows.push([LABELS[s.label as Side] ?? s.label, 'all samples (main thread, not idle)', s.totalMs.toFixed(0), per(s.totalMs), '100 %']);
		for (const p of s.parts) rows.push(['', `part: ${p.name}`, p.ms.toFixed(0), per(p.ms), `${(p.share * 100).toFixed(1)} %`]);
		for (const f of s.landmarks) rows.push(['', `total: ${f.name}`, f.ms.toFixed(0), per(f.ms), `${(f.share * 100).toFixed(1)} %`]);
		for (const f of s.functions.slice(0, 12)) rows.push(['', `self: ${f.name}`, f.ms.toFixed(0), per(f.ms), `${(f.share * 100).toFixed(1)} %`]);
	}
	return {
		title: `Trigger [${label}]: where n8n's CPU goes (V8 profile of the n8n process during each side's measured rounds; deliveries answered 200: ${summaries.map((s) => `${s.label} ${accepted[s.label] ?? 0}`).join(', ')})`,
		header: ['side', 'part (self time) / total: a call and all it called / self: a function alone (file:line)', 'ms', 'ms / delivery answered 200', 'share'],
		rows,
		notes: [
			'total: every sample with that call on its stack (an async function counts only while it runs, not while it awaits); the totals overlap (the webhook phase includes the node, an execution includes its expressions).',
			"Main-thread samples only (V8's sampling profiler every 0.5 ms): work n8n does on other threads (isolated-vm's isolates, libuv's pool, the GC's helpers) appears in /proc CPU but here only as the time the main thread spent in the call that waited on it.",
		],
	};
}

export async function runTrigger(ctx: BenchContext): Promise<CaseResult> {
	const deliveries = ctx.args.quick ? 100 : 300;
	const tables: Table[] = [];
	const targets: TargetCheck[] = [];
	const data: unknown[] = [];
	const failures: string[] = [];
	for (const config of TRIGGER_CONFIGS) {
		const profiling = ctx.args.profile && config.profile ? profileSetup() : undefined;
		// A configuration of its own: an n8n for it, stopped (and its profile written) when done.
		const session = await ctx.ownN8n({ ...CODE_NODE_ENV, ...config.env, ...(profiling?.env ?? {}) });
		const windows: Window[] = [];
		let result: Omit<ConfigResult, 'profile'> | undefined;
		let collected = false;
		try {
			try {
				result = await measure(ctx, session, config, deliveries, windows);
			} catch (error) {
				// One configuration failing keeps the other's figures; the case still reports the failure.
				failures.push(`[${config.label}] ${(error as Error).message}`);
				ctx.log(`trigger [${config.label}] failed: ${(error as Error).message}`);
				continue;
			}
			if (profiling) {
				await collectProfile(profiling.dir, session.pid).then(
					() => (collected = true),
					(error: Error) => ctx.log(`trigger [${config.label}]: no profile: ${error.message}`),
				);
			}
		} finally {
			await session.n8n.stop();
		}
		tables.push(result.table);
		targets.push(...result.targets);
		let profile: ProfileSummary[] | undefined;
		if (profiling && !collected) removeProfiles(profiling.dir);
		if (profiling && collected) {
			try {
				profile = summariseProfile(profiling.dir, session.pid, windows);
				tables.push(profileTable(config.label, profile, result.accepted));
				if (ctx.args.profileOut) {
					ctx.log(`trigger [${config.label}]: raw profile kept in ${keepProfile(profiling.dir, session.pid, ctx.args.profileOut, `trigger-${config.label.replace(/\W+/g, '-')}`)}`);
					writeFileSync(join(ctx.args.profileOut, `trigger-${config.label.replace(/\W+/g, '-')}.windows.json`), JSON.stringify(windows));
				}
			} catch (error) {
				ctx.log(`trigger [${config.label}]: no profile: ${(error as Error).message}`);
			} finally {
				removeProfiles(profiling.dir);
			}
		}
		data.push({ ...(result.data as object), profile });
	}
	if (failures.length) {
		if (!tables.length) throw new Error(failures.join('; '));
		tables.push({ title: 'Trigger: configurations that failed', header: ['failure'], rows: failures.map((f) => [f]) });
		targets.push(...failures.map((f) => ({ name: `configuration ran: ${f}`, value: 0, target: 'ran', met: false })));
	}
	return { name: 'trigger', tables, targets, data };
}
