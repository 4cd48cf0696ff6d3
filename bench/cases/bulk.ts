/**
 * Case 3, bulk read: the Makini node's Get Many with Return All over N work orders,
 * against n8n's HTTP Request node paginating the same endpoint itself ("Update a
 * Parameter in Each Request": page = $pageCount + 1, done when meta.current_page
 * reaches meta.last_page) with the same page size and the same token in a header
 * credential, in the same n8n. HTTP Request outputs one item per page; the Makini node
 * one item per work order, so HTTP Request → Split Out (data) is measured too: that is
 * what a builder needs for the same items. Reports requests made (sandbox stats), wall
 * time from starting the run to n8n reporting it finished, n8n CPU time and the n8n
 * process's peak memory.
 */
import { createMakiniCredentials, MANUAL_TRIGGER_NAME, type Workflow } from '../../e2e/lib';
import { MAX_PAGE_SIZE } from '../../nodes/shared/transport/paging';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { cpuMs, PeakMemory } from '../lib/memory';
import { loadNow } from '../lib/load';
import { runAndTime, type BenchN8n } from '../lib/n8n';
import { formatSummary, summarize } from '../lib/stats';
import { verdict, type Table } from '../lib/table';
import { HTTP_REQUEST, httpRequestWorkflow, MAKINI_GET_MANY, makiniGetManyWorkflow } from '../lib/workflows';
import type { BenchContext, CaseResult, TargetCheck } from './types';

const TARGET_RATIO = 0.8;
/** At 1,000 records (5 pages) n8n's own per-run cost dominates: the target is parity. */
const TARGET_RATIO_SMALL = 1.0;
const targetRatio = (size: BulkSize) => (size.records <= 1_000 ? TARGET_RATIO_SMALL : TARGET_RATIO);
/** The sandbox's largest page (its default, within the 100–500 Makini documents). */
const SERVER_MAX_PAGE = 200;
const LIST_ROUTE = 'GET /api/eam/work-orders';
/** Latency added per page in the "network" configuration. */
const LATENCY_MS = 30;

export type BulkSide = 'makini' | 'http' | 'httpSplit';
export const BULK_LABELS: Record<BulkSide, string> = {
	makini: 'Makini Get Many (Return All)',
	http: 'HTTP Request, paginated (one item per page)',
	httpSplit: 'HTTP Request → Split Out (one item per record)',
};

export interface BulkRun {
	side: BulkSide;
	records: number;
	latencyMs: number;
	round: number;
	wallMs: number;
	/** stoppedAt − startedAt as n8n recorded it. */
	n8nMs: number;
	cpuMs: number;
	requests: number;
	peakMb: number;
	beforeMb: number;
	status: string;
	/** Items the last node output (checked in the first round). */
	items?: number;
	/** Distinct work order keys among the Makini node's items (first round). */
	distinctKeys?: number;
	/** The read node's own execution time as n8n recorded it (first round). */
	nodeMs?: number;
}

/** One bulk configuration: N records, optionally with latency added to every page the sandbox serves. */
export interface BulkSize {
	records: number;
	/** Added to each answer, as a network between n8n and Makini would. */
	latencyMs?: number;
}

interface SizeSetup {
	records: number;
	latencyMs: number;
	sandbox: SandboxHandle;
	workflows: Record<BulkSide, Workflow>;
}

async function setup(ctx: BenchContext, session: BenchN8n, { records, latencyMs = 0 }: BulkSize, sides: BulkSide[]): Promise<SizeSetup> {
	const sandbox = await startSandbox({ port: ctx.ports.sandbox(), workOrders: records, maxPageSize: SERVER_MAX_PAGE, autoWebhooks: false });
	if (latencyMs > 0) sandbox.admin.injectLatency({ ms: latencyMs, method: 'GET', path: '/api/eam/work-orders' });
	const { api } = await createMakiniCredentials(session.client, sandbox);
	const header = await session.client.createCredential(`Makini token as a header (${records})`, 'httpHeaderAuth', {
		name: 'Authorization',
		value: `Bearer ${sandbox.apiToken}`,
	});
	const json = {
		makini: makiniGetManyWorkflow(api),
		// The page size the node asks for; the server clamps both to its largest.
		http: httpRequestWorkflow(sandbox.url, header, MAX_PAGE_SIZE, false),
		httpSplit: httpRequestWorkflow(sandbox.url, header, MAX_PAGE_SIZE, true),
	};
	const workflows = {} as Record<BulkSide, Workflow>;
	for (const side of sides) workflows[side] = await session.client.createWorkflow(json[side]);
	return { records, latencyMs, sandbox, workflows };
}

const LAST_NODE: Record<BulkSide, string> = { makini: MAKINI_GET_MANY, http: HTTP_REQUEST, httpSplit: 'Split Out' };

async function runOnce(session: BenchN8n, size: SizeSetup, side: BulkSide, round: number, countItems: boolean): Promise<BulkRun> {
	size.sandbox.stats.reset();
	const cpuBefore = cpuMs(session.pid);
	const memory = new PeakMemory(session.pid);
	const { execution, wallMs } = await runAndTime(session, size.workflows[side], MANUAL_TRIGGER_NAME);
	const mem = memory.stop();
	const cpu = cpuMs(session.pid) - cpuBefore;
	const requests = Object.values(size.sandbox.stats.snapshot().requests[LIST_ROUTE] ?? {}).reduce((a, b) => a + b, 0);
	const n8nMs = execution.stoppedAt && execution.startedAt ? Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt) : NaN;
	const run: BulkRun = { side, records: size.records, latencyMs: size.latencyMs, round, wallMs, n8nMs, cpuMs: cpu, requests, peakMb: mem.peakMb, beforeMb: mem.beforeMb, status: execution.status };
	if (countItems) {
		// Outside the timing: the whole execution's data, once.
		const full = await session.client.execution(execution.id, true);
		const runData = full.data?.resultData?.runData?.[LAST_NODE[side]]?.[0];
		// n8n may leave out the data of a very large execution: then there is nothing to count.
		const items = runData?.data?.main?.[0];
		const readNode = full.data?.resultData?.runData?.[side === 'makini' ? MAKINI_GET_MANY : HTTP_REQUEST]?.[0] as { executionTime?: number } | undefined;
		run.nodeMs = readNode?.executionTime;
		if (items && side === 'makini') run.distinctKeys = new Set(items.map((item) => item.json.key)).size;
		if (items) run.items = side === 'http' ? items.reduce((a, item) => a + ((item.json.data as unknown[] | undefined)?.length ?? 0), 0) : items.length;
	}
	if (execution.status !== 'success') throw new Error(`${BULK_LABELS[side]} over ${size.records} records ended ${execution.status}`);
	return run;
}

/** Warms a fresh n8n up (node types loaded, code compiled) on 1,000 records, unmeasured. */
async function warmUp(ctx: BenchContext, session: BenchN8n, sides: BulkSide[]): Promise<void> {
	const small = await setup(ctx, session, { records: 1_000 }, sides);
	try {
		for (const side of sides) await runOnce(session, small, side, -1, false);
	} finally {
		await small.sandbox.close();
	}
}

/** Rounds for a balanced order: at least `rounds`, and a multiple of the number of sides. */
export function balancedRounds(rounds: number, sides: number): number {
	return Math.ceil(Math.max(1, rounds) / sides) * sides;
}

/**
 * The sides' order in a round: rotated by one each round (a Latin square), so over
 * `sides.length` rounds each side runs first, second, … equally often.
 */
export function roundOrder<T>(sides: readonly T[], round: number): T[] {
	return sides.map((_, i) => sides[(i + round) % sides.length]);
}

/**
 * Runs every side over every size, in rounds rotating the order of the sides (rounds
 * are rounded up to a multiple of the number of sides, --quick included, so each side
 * runs first equally often). Each size gets an n8n of its own: V8 keeps the heap a big
 * read grew, so the memory of the next size would otherwise start from wherever the
 * last one left it.
 */
export async function measureBulk(ctx: BenchContext, sizes: BulkSize[], sides: BulkSide[], requestedRounds: number): Promise<BulkRun[]> {
	const runs: BulkRun[] = [];
	const rounds = balancedRounds(requestedRounds, sides.length);
	for (const config of sizes) {
		const label = `${config.records}${config.latencyMs ? ` +${config.latencyMs} ms/page` : ''}`;
		const session = await ctx.ownN8n();
		try {
			await warmUp(ctx, session, sides);
			const size = await setup(ctx, session, config, sides);
			try {
				for (let round = 0; round < rounds; round++) {
					for (const side of roundOrder(sides, round)) {
						const run = await runOnce(session, size, side, round, round === 0);
						runs.push(run);
						const out = run.items !== undefined ? `, ${run.items} records out, read node ${run.nodeMs ?? 'n/a'} ms` : '';
						ctx.log(
							`bulk ${label} round ${round + 1} ${side}: ${(run.wallMs / 1000).toFixed(2)} s (n8n ${(run.n8nMs / 1000).toFixed(2)} s), ` +
								`CPU ${(run.cpuMs / 1000).toFixed(1)} s, ${run.requests} requests, RSS ${run.beforeMb.toFixed(0)} → peak ${run.peakMb.toFixed(0)} MB${out}; load ${loadNow()}`,
						);
					}
				}
			} finally {
				await size.sandbox.close();
			}
		} finally {
			await session.n8n.stop();
		}
	}
	return runs;
}

const sizeLabel = (size: BulkSize) => `${size.records}${size.latencyMs ? ` (+${size.latencyMs} ms per page)` : ''}`;

export async function runBulk(ctx: BenchContext): Promise<CaseResult> {
	const sizes: BulkSize[] = ctx.args.quick
		? [{ records: 1_000 }, { records: 10_000 }]
		: [{ records: 1_000 }, { records: 10_000 }, { records: 50_000 }, { records: 10_000, latencyMs: LATENCY_MS }];
	const sides: BulkSide[] = ['makini', 'http', 'httpSplit'];
	const runs = await measureBulk(ctx, sizes, sides, ctx.args.rounds);
	const rounds = balancedRounds(ctx.args.rounds, sides.length);
	const targets: TargetCheck[] = [];
	const rows: string[][] = [];
	for (const size of sizes) {
		const { records } = size;
		const latencyMs = size.latencyMs ?? 0;
		const label = sizeLabel(size);
		const expectedRequests = Math.ceil(records / SERVER_MAX_PAGE);
		const of = (side: BulkSide) => runs.filter((r) => r.records === records && r.latencyMs === latencyMs && r.side === side);
		const ratioTo = (baseline: BulkSide) =>
			summarize(of('makini').map((m) => m.wallMs / of(baseline).find((b) => b.round === m.round)!.wallMs));
		const requestsExact = of('makini').every((r) => r.requests === expectedRequests);
		const checked = of('makini').filter((r) => r.items !== undefined);
		const itemsOk = checked.length > 0 && checked.every((r) => r.items === records && r.distinctKeys === records);
		for (const side of sides) {
			const r = of(side);
			rows.push([
				label,
				BULK_LABELS[side],
				[...new Set(r.map((x) => x.requests))].join('/'),
				formatSummary(summarize(r.map((x) => x.wallMs / 1000)), 2),
				formatSummary(summarize(r.map((x) => x.cpuMs / 1000)), 1),
				`${formatSummary(summarize(r.map((x) => x.peakMb)), 0)} (+${summarize(r.map((x) => x.peakMb - x.beforeMb)).median.toFixed(0)})`,
				side === 'makini' ? '' : formatSummary(ratioTo(side), 2),
			]);
		}
		const vsHttp = ratioTo('http');
		const vsSplit = ratioTo('httpSplit');
		const target = targetRatio(size);
		targets.push(
			{ name: `${label}: requests made = ceil(N / ${SERVER_MAX_PAGE}) = ${expectedRequests}, every record out once`, value: of('makini')[0]?.requests ?? NaN, target: `= ${expectedRequests}`, met: requestsExact && itemsOk },
			{ name: `${label}: wall time Makini / HTTP Request (pages)`, value: vsHttp.median, range: [vsHttp.min, vsHttp.max], target: `<= ${target}`, met: vsHttp.median <= target },
			{ name: `${label}: wall time Makini / HTTP Request → Split Out`, value: vsSplit.median, range: [vsSplit.min, vsSplit.max], target: `<= ${target}`, met: vsSplit.median <= target },
		);
		if (records >= 50_000 && !latencyMs) {
			// What a read adds to n8n's memory: the peak over the RSS just before the run.
			const over = (side: BulkSide) => summarize(of(side).map((r) => r.peakMb - r.beforeMb));
			const ours = over('makini');
			const theirs = over('http');
			targets.push({
				name: `${label}: n8n peak RSS over its RSS before, Makini − HTTP Request (pages), MB (Makini ${ours.median.toFixed(0)}, HTTP ${theirs.median.toFixed(0)})`,
				value: ours.median - theirs.median,
				range: [ours.min - theirs.max, ours.max - theirs.min],
				target: '<= 0',
				met: ours.median <= theirs.median,
			});
		}
	}
	const table: Table = {
		title: `Bulk read: work orders, Return All, ${rounds} rounds (each side first in ${rounds / sides.length}), server page size ${SERVER_MAX_PAGE}`,
		header: ['records', 'workflow', 'requests', 'wall time (s)', 'n8n CPU (s)', 'n8n peak RSS, MB (+ over its RSS before)', 'Makini / this (wall)'],
		rows,
		notes: [
			`Targets: requests = ceil(N / ${SERVER_MAX_PAGE}); wall-time ratio <= ${TARGET_RATIO} (<= ${TARGET_RATIO_SMALL} at 1,000); at 50,000 the peak over the RSS before no more than HTTP Request's. ` +
				targets.map((t) => `${t.name}: ${Number(t.value.toFixed(3))} ${verdict(t.met)}`).join('; '),
			'wall time: from POST /rest/workflows/:id/run to n8n reporting the execution finished (polled without data); peak RSS: VmHWM of the n8n process, reset before each run (each size in an n8n of its own, warmed up on 1,000 records).',
			`"+${LATENCY_MS} ms per page": the sandbox answers each page ${LATENCY_MS} ms later, as a network between n8n and Makini would.`,
		],
	};
	return { name: 'bulk', tables: [table], targets, data: { sizes, runs, serverMaxPage: SERVER_MAX_PAGE, nodePageSize: MAX_PAGE_SIZE } };
}
