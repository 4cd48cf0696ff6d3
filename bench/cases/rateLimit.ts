/**
 * Case 4, under a rate limit: N work orders created by one Makini Create node (N items
 * in one execution) while the sandbox allows R requests per minute per token (a sliding
 * window answering 429 with Retry-After). Failed items (target 0), the achieved rate
 * against R (target >= 0.9) and the sandbox's count of creates (exactly N: a create is
 * retried only when the answer proves it was not applied, so none is doubled).
 */
import { createMakiniCredentials, MANUAL_TRIGGER_NAME, nodeOutput } from '../../e2e/lib';
import { startSandbox } from '../../sandbox';
import { cpuMs } from '../lib/memory';
import { runAndTime } from '../lib/n8n';
import { verdict, type Table } from '../lib/table';
import { makiniCreateWorkflow } from '../lib/workflows';
import type { BenchContext, CaseResult } from './types';

const TARGET_RATE = 0.9;
const CREATE_NODE = 'Makini: Create work order';

export async function runRateLimit(ctx: BenchContext): Promise<CaseResult> {
	// R chosen so the case needs one full window of waiting: about a minute in all.
	const count = ctx.args.quick ? 200 : 1000;
	const perMinute = ctx.args.quick ? 150 : 600;
	const session = await ctx.n8n();
	const sandbox = await startSandbox({ port: 0, workOrders: 100, rateLimitPerMinute: perMinute, autoWebhooks: false });
	try {
		const { api } = await createMakiniCredentials(session.client, sandbox);
		const siteKey = String(sandbox.admin.listRecords({ collection: 'sites' })[0].key);
		const workflow = await session.client.createWorkflow(makiniCreateWorkflow(api, count, siteKey));
		sandbox.stats.reset();
		const cpuBefore = cpuMs(session.pid);
		const { execution, wallMs } = await runAndTime(session, workflow, MANUAL_TRIGGER_NAME);
		const cpu = cpuMs(session.pid) - cpuBefore;
		const stats = sandbox.stats.snapshot();
		const full = await session.client.execution(execution.id, true);
		const items = nodeOutput(full, CREATE_NODE);
		const failed = count - items.filter((item) => typeof item.key === 'string' && !('error' in item)).length;
		const creates = stats.writes.creates;
		const distinctKeys = new Set(stats.createdKeys).size;
		const achievedPerMinute = (creates / wallMs) * 60_000;
		const rateRatio = achievedPerMinute / perMinute;
		// A sliding window lets R through at once, then R per minute: N needs at least this long.
		const floorS = (Math.ceil(count / perMinute) - 1) * 60;
		const met = { failed: failed === 0 && execution.status === 'success', rate: rateRatio >= TARGET_RATE, creates: creates === count && distinctKeys === count };
		ctx.log(
			`ratelimit: ${count} creates at ${perMinute}/min in ${(wallMs / 1000).toFixed(1)} s (${execution.status}), failed ${failed}, ` +
				`sandbox creates ${creates} (${distinctKeys} keys), 429s ${stats.rateLimited}, achieved ${achievedPerMinute.toFixed(0)}/min`,
		);
		const table: Table = {
			title: `Under a rate limit: ${count} creates (one Makini Create node, ${count} items) with the sandbox at ${perMinute} requests/min`,
			header: ['measure', 'value', 'target'],
			rows: [
				['execution', execution.status, 'success'],
				['failed items', String(failed), `0: ${verdict(met.failed)}`],
				['creates the sandbox applied (distinct keys)', `${creates} (${distinctKeys})`, `exactly ${count}: ${verdict(met.creates)}`],
				['429 answers (each waited out per Retry-After)', String(stats.rateLimited), ''],
				['requests in all', String(stats.totalRequests), ''],
				['wall time (s)', (wallMs / 1000).toFixed(1), `>= ${floorS} s (the window's floor)`],
				['achieved rate (creates/min) / R', `${achievedPerMinute.toFixed(0)} / ${perMinute} = ${rateRatio.toFixed(2)}`, `>= ${TARGET_RATE}: ${verdict(met.rate)}`],
				['n8n CPU (s)', (cpu / 1000).toFixed(1), ''],
			],
			notes: ['One run: the limit is a one-minute sliding window, so rounds would wait for it to empty.'],
		};
		return {
			name: 'ratelimit',
			tables: [table],
			targets: [
				{ name: 'failed items', value: failed, target: '= 0', met: met.failed },
				{ name: 'achieved rate / R', value: rateRatio, target: `>= ${TARGET_RATE}`, met: met.rate },
				{ name: 'creates applied by the sandbox', value: creates, target: `= ${count}`, met: met.creates },
			],
			data: { count, perMinute, wallMs, cpuMs: cpu, status: execution.status, failed, creates, distinctKeys, rateLimited: stats.rateLimited, totalRequests: stats.totalRequests, achievedPerMinute, rateRatio, floorS },
		};
	} finally {
		await sandbox.close();
	}
}
