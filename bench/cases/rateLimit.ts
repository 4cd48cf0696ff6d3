/**
 * Case 4, under a rate limit: N work orders created in one execution while the sandbox
 * allows R requests per minute per token, over a sliding window of one second (at most
 * ceil(R / 60) a second, answering 429 with Retry-After), so that R cannot go at once and
 * the time has a floor no client can beat: (ceil(N / (R / 60)) − 1) s. Two workflows,
 * each against a sandbox of its own:
 * - ours: one Makini Create node, N items (it waits out 429s per Retry-After and retries
 *   a create only on an answer that proves it was not applied, so none is doubled);
 * - the user's baseline: HTTP Request POST per item with Retry On Fail (5 tries, 5 s);
 * - for reference, ours again against a sandbox without a limit: n8n's and the node's own
 *   time for N creates, which no limit can make shorter.
 * Reported: the execution's status, failed items, creates applied (exactly N, distinct),
 * 429s, wall time, and floor ÷ wall time (target >= 0.95 for ours).
 */
import { createMakiniCredentials, MANUAL_TRIGGER_NAME, nodeOutput, type Execution } from '../../e2e/lib';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { loadNow } from '../lib/load';
import { cpuMs } from '../lib/memory';
import { runAndTime, type BenchN8n } from '../lib/n8n';
import { verdict, type Table } from '../lib/table';
import { HTTP_CREATE, httpCreateWorkflow, makiniCreateWorkflow } from '../lib/workflows';
import type { BenchContext, CaseResult } from './types';

const TARGET_FLOOR_RATIO = 0.95;
const WINDOW_MS = 1_000;
const CREATE_NODE = 'Makini: Create work order';

type Side = 'makini' | 'http' | 'unlimited';

interface SideResult {
	side: Side;
	status: string;
	wallMs: number;
	cpuMs: number;
	failed: number;
	creates: number;
	distinctKeys: number;
	rateLimited: number;
	totalRequests: number;
	error?: string;
}

async function runSide(ctx: BenchContext, session: BenchN8n, side: Side, count: number, perMinute: number): Promise<SideResult> {
	const sandbox: SandboxHandle = await startSandbox({
		port: ctx.ports.sandbox(),
		workOrders: 100,
		// "unlimited": a limit no run reaches (the sandbox's default window of a minute).
		rateLimitPerMinute: side === 'unlimited' ? 1_000_000 : perMinute,
		rateLimitWindowMs: side === 'unlimited' ? 60_000 : WINDOW_MS,
		autoWebhooks: false,
	});
	try {
		const { api } = await createMakiniCredentials(session.client, sandbox);
		const siteKey = String(sandbox.admin.listRecords({ collection: 'sites' })[0].key);
		let json;
		if (side !== 'http') json = makiniCreateWorkflow(api, count, siteKey);
		else {
			const header = await session.client.createCredential(`Makini token as a header (rate limit)`, 'httpHeaderAuth', { name: 'Authorization', value: `Bearer ${sandbox.apiToken}` });
			json = httpCreateWorkflow(sandbox.url, header, count, siteKey);
		}
		const workflow = await session.client.createWorkflow(json);
		sandbox.stats.reset();
		const cpuBefore = cpuMs(session.pid);
		const { execution, wallMs } = await runAndTime(session, workflow, MANUAL_TRIGGER_NAME);
		const cpu = cpuMs(session.pid) - cpuBefore;
		const stats = sandbox.stats.snapshot();
		const full: Execution = await session.client.execution(execution.id, true);
		const node = side === 'http' ? HTTP_CREATE : CREATE_NODE;
		const items = nodeOutput(full, node);
		const created = items.filter((item) => typeof item.key === 'string' && !('error' in item)).length;
		return {
			side,
			status: execution.status,
			wallMs,
			cpuMs: cpu,
			failed: count - created,
			creates: stats.writes.creates,
			distinctKeys: new Set(stats.createdKeys).size,
			rateLimited: stats.rateLimited,
			totalRequests: stats.totalRequests,
			error: full.data?.resultData?.error?.message,
		};
	} finally {
		await sandbox.close();
	}
}

export async function runRateLimit(ctx: BenchContext): Promise<CaseResult> {
	// R and N chosen so each side needs about a minute (quick: about 20 s).
	const count = ctx.args.quick ? 100 : 600;
	const perMinute = ctx.args.quick ? 300 : 600;
	const perSecond = Math.ceil((perMinute * WINDOW_MS) / 60_000);
	const floorS = Math.ceil(count / perSecond) - 1;
	const session = await ctx.n8n();
	const results: SideResult[] = [];
	// One run each: the baseline after ours, so ours meets no leftover of its retries.
	for (const side of ['makini', 'http', 'unlimited'] as Side[]) {
		const r = await runSide(ctx, session, side, count, perMinute);
		results.push(r);
		ctx.log(
			`ratelimit ${side}: ${count} creates at ${perMinute}/min in ${(r.wallMs / 1000).toFixed(1)} s (${r.status}${r.error ? `: ${r.error}` : ''}), failed ${r.failed}, ` +
				`sandbox creates ${r.creates} (${r.distinctKeys} keys), 429s ${r.rateLimited}, requests ${r.totalRequests}; load ${loadNow()}`,
		);
	}
	const [ours, theirs, unlimited] = results;
	const floorRatio = floorS / (ours.wallMs / 1000);
	const met = {
		failed: ours.failed === 0 && ours.status === 'success',
		floor: floorRatio >= TARGET_FLOOR_RATIO,
		creates: ours.creates === count && ours.distinctKeys === count,
	};
	const col = (f: (r: SideResult) => string) => results.map(f);
	const table: Table = {
		title: `Under a rate limit: ${count} creates in one execution, the sandbox at ${perMinute} requests/min (at most ${perSecond} a second)`,
		header: ['measure', 'Makini Create', 'HTTP Request, Retry On Fail (5 × 5 s)', 'Makini Create, no limit (reference)', 'target (Makini)'],
		rows: [
			['execution', ...col((r) => r.status), 'success'],
			['failed items', ...col((r) => String(r.failed)), `0: ${verdict(met.failed)}`],
			['creates the sandbox applied (distinct keys)', ...col((r) => `${r.creates} (${r.distinctKeys})`), `exactly ${count}: ${verdict(met.creates)}`],
			['429 answers', ...col((r) => String(r.rateLimited)), ''],
			['requests in all', ...col((r) => String(r.totalRequests)), ''],
			['wall time (s)', ...col((r) => (r.wallMs / 1000).toFixed(1)), `floor ${floorS} s`],
			['floor ÷ wall time', ...col((r) => (r.side === 'unlimited' ? '—' : (floorS / (r.wallMs / 1000)).toFixed(2))), `>= ${TARGET_FLOOR_RATIO}: ${verdict(met.floor)}`],
			['n8n CPU (s)', ...col((r) => (r.cpuMs / 1000).toFixed(1)), ''],
		],
		notes: [
			`floor: (ceil(${count} / ${perSecond}) − 1) s = ${floorS} s, the least any client needs at ${perSecond} a second. One run per side (each against a sandbox of its own).`,
			`without a limit the same ${count} creates take ${(unlimited.wallMs / 1000).toFixed(1)} s (n8n's and the node's own time): a client pacing itself perfectly needs about the floor plus the time of its last second's creates.`,
			"the sandbox's Retry-After counts whole seconds (at least 1, as HTTP's delta-seconds do), and the node waits it out after a 429: each 429 costs up to a second beyond the floor.",
			theirs.error ? `HTTP Request's execution ended with: ${theirs.error}` : '',
		].filter(Boolean),
	};
	return {
		name: 'ratelimit',
		tables: [table],
		targets: [
			{ name: 'failed items (Makini Create)', value: ours.failed, target: '= 0', met: met.failed },
			{ name: `time against the floor: ${floorS} s ÷ Makini's wall time (HTTP Request Retry On Fail: ${theirs.status}, ${theirs.failed} failed, ${theirs.creates} creates, ${(theirs.wallMs / 1000).toFixed(1)} s)`, value: floorRatio, target: `>= ${TARGET_FLOOR_RATIO}`, met: met.floor },
			{ name: 'creates applied by the sandbox (Makini Create)', value: ours.creates, target: `= ${count}`, met: met.creates },
		],
		data: { count, perMinute, windowMs: WINDOW_MS, perSecond, floorS, results, floorRatio, unlimitedS: unlimited.wallMs / 1000 },
	};
}
