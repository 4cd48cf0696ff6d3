/**
 * Case 1, trigger throughput and latency: N signed, unique deliveries at a fixed
 * concurrency to an active workflow Makini Trigger → No Op, against the same workflow
 * started by n8n's core Webhook node (Respond: Immediately). The same requests (body,
 * signature, delivery ID header) go to both; the Makini Trigger verifies and
 * deduplicates every one. Sides alternate within each round (ABBA over rounds), and
 * each side's executions are drained before the other side starts, so neither pays
 * for the other's background work. Execution counts prove none was dropped.
 *
 * Run twice: in n8n as configured by default, and with the expression engine's
 * lazy isolate acquisition (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true), because n8n
 * 2.x's default creates an expression isolate per webhook request for every start
 * node except its own Webhook node, and another to resolve a credential in the
 * webhook phase (see the README): the second run shows what the node itself costs.
 */
import { createMakiniCredentials } from '../../e2e/lib';
import { startSandbox } from '../../sandbox';
import { runLoad, type LoadResult } from '../lib/load';
import { cpuMs } from '../lib/memory';
import { countExecutions, startBenchN8n, waitIdle, type BenchN8n } from '../lib/n8n';
import { uniqueDelivery } from '../lib/payloads';
import { formatSummary, percentile, summarize } from '../lib/stats';
import { verdict, type Table } from '../lib/table';
import { coreWebhookWorkflow, makiniTriggerWorkflow } from '../lib/workflows';
import type { BenchContext, CaseResult, TargetCheck } from './types';

const TARGET_RATIO = 0.95;
const CONCURRENCY = 10;
const WARMUP = 50;

type Side = 'makini' | 'webhook';
const SIDES: Side[] = ['makini', 'webhook'];

interface SideRun {
	side: Side;
	round: number;
	perSecond: number;
	p50Ms: number;
	p99Ms: number;
	non200: number;
	errors: number;
	/** n8n's CPU time per delivery (ms), answer and execution included: robust to other load on the machine. */
	cpuMsPerDelivery: number;
}

interface ConfigResult {
	label: string;
	env: Record<string, string>;
	table: Table;
	target: TargetCheck;
	data: unknown;
}

async function measure(ctx: BenchContext, session: BenchN8n, label: string, env: Record<string, string>, deliveries: number): Promise<ConfigResult> {
	// The sandbox only hands out the webhook secret here; the deliveries are signed by the bench.
	const sandbox = await startSandbox({ port: 0, workOrders: 10 });
	try {
		const { webhookSecret } = await createMakiniCredentials(session.client, sandbox);
		const secret = sandbox.webhookSecret;
		const makini = makiniTriggerWorkflow(webhookSecret!);
		const webhook = coreWebhookWorkflow();
		const paths: Record<Side, string> = { makini: makini.path, webhook: webhook.path };
		const ids: Record<Side, string> = {
			makini: (await session.client.createWorkflow(makini.workflow)).id,
			webhook: (await session.client.createWorkflow(webhook.workflow)).id,
		};
		const sent: Record<Side, number> = { makini: 0, webhook: 0 };
		for (const side of SIDES) {
			await session.client.activateWorkflow(ids[side]);
			// Activation registers the webhook in the background: wait for it with one real delivery.
			const probe = uniqueDelivery(secret, -1 - sent[side]);
			const answer = await session.client.callWebhook(paths[side], { method: 'POST', body: JSON.parse(probe.body.toString()), headers: probe.headers });
			if (answer.status !== 200) throw new Error(`${side}: the first delivery answered ${answer.status}: ${JSON.stringify(answer.body)}`);
			sent[side] += 1;
		}

		let sequence = 0;
		const fire = async (side: Side, count: number): Promise<LoadResult & { cpuMs: number }> => {
			const cpuBefore = cpuMs(session.pid);
			const first = sequence;
			sequence += count;
			const result = await runLoad(`${session.n8n.url}/webhook/${paths[side]}`, count, CONCURRENCY, (i) => uniqueDelivery(secret, first + i));
			sent[side] += count;
			// Drain: the executions started by the 200s run after the answer.
			await waitIdle(session, ids[side]);
			return { ...result, cpuMs: cpuMs(session.pid) - cpuBefore };
		};
		for (const side of SIDES) await fire(side, WARMUP);

		const runs: SideRun[] = [];
		for (let round = 0; round < ctx.args.rounds; round++) {
			const order: Side[] = round % 2 === 0 ? ['makini', 'webhook'] : ['webhook', 'makini'];
			for (const side of order) {
				const result = await fire(side, deliveries);
				const run: SideRun = {
					side,
					round,
					perSecond: result.perSecond,
					p50Ms: percentile(result.latenciesMs, 50),
					p99Ms: percentile(result.latenciesMs, 99),
					non200: result.count - (result.statuses['200'] ?? 0) - result.errors,
					errors: result.errors,
					cpuMsPerDelivery: result.cpuMs / deliveries,
				};
				runs.push(run);
				ctx.log(
					`trigger [${label}] round ${round + 1} ${side}: ${run.perSecond.toFixed(0)}/s, p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, ` +
						`non-200 ${run.non200}, errors ${run.errors}, n8n CPU ${run.cpuMsPerDelivery.toFixed(1)} ms/delivery`,
				);
			}
		}

		const executions: Record<Side, Record<string, number>> = {
			makini: await countExecutions(session, ids.makini),
			webhook: await countExecutions(session, ids.webhook),
		};
		const of = (side: Side) => runs.filter((r) => r.side === side);
		const pair = (value: (r: SideRun) => number) =>
			of('makini').map((m) => value(m) / value(of('webhook').find((w) => w.round === m.round)!));
		const ratio = summarize(pair((r) => r.perSecond));
		const cpuRatio = summarize(pair((r) => r.cpuMsPerDelivery));
		const complete = (side: Side) => (executions[side].success ?? 0) === sent[side] && of(side).every((r) => r.non200 === 0 && r.errors === 0);
		const met = ratio.median >= TARGET_RATIO && complete('makini');

		const row = (side: Side, name: string) => {
			const r = of(side);
			return [
				name,
				formatSummary(summarize(r.map((x) => x.perSecond)), 0),
				formatSummary(summarize(r.map((x) => x.p50Ms)), 0),
				formatSummary(summarize(r.map((x) => x.p99Ms)), 0),
				formatSummary(summarize(r.map((x) => x.cpuMsPerDelivery)), 1),
				String(r.reduce((a, x) => a + x.non200 + x.errors, 0)),
				`${executions[side].success ?? 0} / ${sent[side]}`,
			];
		};
		const table: Table = {
			title: `Trigger [${label}]: ${deliveries} signed unique deliveries × ${ctx.args.rounds} round(s), concurrency ${CONCURRENCY}`,
			header: ['workflow', 'deliveries/s', 'p50 to 200 (ms)', 'p99 to 200 (ms)', 'n8n CPU ms / delivery', 'non-200', 'successful executions / sent'],
			rows: [
				row('makini', 'Makini Trigger → No Op'),
				row('webhook', 'Webhook (Respond Immediately) → No Op'),
				['ratio Makini / Webhook', formatSummary(ratio, 2), '', '', formatSummary(cpuRatio, 2), '', `deliveries/s target >= ${TARGET_RATIO}: ${verdict(met)}`],
			],
			notes: [`median (min–max) over rounds; each side drains its executions before the other starts; sent includes the registration probe and a warm-up of ${WARMUP}.`],
		};
		return {
			label,
			env,
			table,
			target: { name: `[${label}] deliveries/s ratio Makini Trigger / Webhook (verification + dedup on, none dropped)`, value: ratio.median, target: `>= ${TARGET_RATIO}`, met },
			data: { label, env, deliveries, concurrency: CONCURRENCY, warmup: WARMUP, runs, ratio, cpuRatio, executions, sent },
		};
	} finally {
		await sandbox.close();
	}
}

export const TRIGGER_CONFIGS: Array<{ label: string; env: Record<string, string> }> = [
	{ label: 'n8n defaults', env: {} },
	{ label: 'lazy isolates', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
];

export async function runTrigger(ctx: BenchContext): Promise<CaseResult> {
	const deliveries = ctx.args.quick ? 200 : 400;
	const results: ConfigResult[] = [];
	for (const config of TRIGGER_CONFIGS) {
		if (Object.keys(config.env).length === 0) {
			results.push(await measure(ctx, await ctx.n8n(), config.label, config.env, deliveries));
			continue;
		}
		// A configuration of its own: a second n8n, stopped when done.
		const session = await startBenchN8n(ctx.log, config.env);
		try {
			results.push(await measure(ctx, session, config.label, config.env, deliveries));
		} finally {
			await session.n8n.stop();
		}
	}
	return {
		name: 'trigger',
		tables: results.map((r) => r.table),
		targets: results.map((r) => r.target),
		data: results.map((r) => r.data),
	};
}
