/**
 * Case 5, polling: what one poll of the Makini Record Changes Trigger costs Makini, in
 * requests, inside an active workflow in n8n: one request when nothing changed, and
 * ceil(N / page size) when N records changed (the sandbox serves pages of 200; the node
 * asks for 500, Makini's documented maximum, and follows the size the answer used).
 * n8n polls on its own cron (every 10 s here); each measurement is cut between two polls
 * (1.5 s after a tick), so the sandbox's request count covers exactly one poll.
 */
import { chain, createMakiniCredentials, MAKINI_RECORD_CHANGES_TRIGGER_TYPE, nodeOutput, pollEvery, pollingTriggerNode, settledExecutions } from '../../e2e/lib';
import { startSandbox } from '../../sandbox';
import { verdict, type Table } from '../lib/table';
import type { BenchContext, CaseResult, TargetCheck } from './types';

const POLL_SECONDS = 10;
const SERVER_MAX_PAGE = 200;
const ROUTE = 'GET /api/eam/work-orders';
const NODE = 'Makini Record Changes Trigger';
/** How long after a tick a poll is taken to be over (its few requests take ms on loopback). */
const CUT_MS = 1_500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until CUT_MS after n8n's next poll tick. */
async function nextCut(): Promise<void> {
	const period = POLL_SECONDS * 1000;
	const now = Date.now();
	let wait = CUT_MS - (now % period);
	if (wait <= 50) wait += period;
	await sleep(wait);
}

export async function runPolling(ctx: BenchContext): Promise<CaseResult> {
	const session = await ctx.n8n();
	const sandbox = await startSandbox({ port: ctx.ports.sandbox(), workOrders: 300, maxPageSize: SERVER_MAX_PAGE, autoWebhooks: false });
	const quietPolls = ctx.args.quick ? 2 : 4;
	const changeCounts = ctx.args.quick ? [1, 450] : [1, 200, 450, 1000];
	try {
		const { api } = await createMakiniCredentials(session.client, sandbox);
		const workflow = await session.client.createWorkflow(
			chain('bench: Record Changes Trigger', [
				pollingTriggerNode(NODE, MAKINI_RECORD_CHANGES_TRIGGER_TYPE, { system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} }, { makiniApi: api }, pollEvery(POLL_SECONDS)),
			]),
		);
		await session.client.activateWorkflow(workflow.id);
		const requests = () => Object.values(sandbox.stats.snapshot().requests[ROUTE] ?? {}).reduce((a, b) => a + b, 0);
		// Activation's poll sets the cursor; one more quiet poll before measuring.
		await nextCut();
		await nextCut();
		const siteKey = String(sandbox.admin.listRecords({ collection: 'sites' })[0].key);
		const quiet: number[] = [];
		for (let i = 0; i < quietPolls; i++) {
			sandbox.stats.reset();
			await nextCut();
			quiet.push(requests());
		}
		ctx.log(`polling: requests per poll with no change: ${quiet.join(', ')}`);
		const changed: Array<{ n: number; requests: number; expected: number; items: number }> = [];
		let afterId = '0';
		for (const existing of await session.client.allExecutions({ workflowId: workflow.id, includeData: false })) {
			if (Number(existing.id) > Number(afterId)) afterId = existing.id;
		}
		for (const n of changeCounts) {
			sandbox.stats.reset();
			sandbox.admin.upsertRecords({ collection: 'work-orders', records: Array.from({ length: n }, (_, i) => ({ title: `Bench change ${n}-${i}`, siteKey })) });
			const executions = await settledExecutions(session.client, workflow.id, { count: 1, afterId, quietMs: 0, timeoutMs: 3 * POLL_SECONDS * 1000 });
			const made = requests();
			const items = executions.map((e) => e.id).length ? (await Promise.all(executions.map((e) => session.client.execution(e.id, true)))).flatMap((e) => nodeOutput(e, NODE)).length : 0;
			afterId = executions.reduce((max, e) => (Number(e.id) > Number(max) ? e.id : max), afterId);
			changed.push({ n, requests: made, expected: Math.ceil(n / SERVER_MAX_PAGE), items });
			ctx.log(`polling: ${n} changed → ${made} request(s) in the poll that found them (expected ${Math.ceil(n / SERVER_MAX_PAGE)}), ${items} items out`);
			await nextCut();
		}
		await session.client.deactivateWorkflow(workflow.id);
		const quietMet = quiet.every((r) => r === 1);
		const changedMet = changed.every((c) => c.requests === c.expected && c.items === c.n);
		const table: Table = {
			title: `Polling: Makini Record Changes Trigger (work orders, new or updated) active in n8n, a poll every ${POLL_SECONDS} s, server page size ${SERVER_MAX_PAGE}`,
			header: ['changes since the last poll', 'requests in that poll', 'target', 'records out'],
			rows: [
				[`none (${quietPolls} polls)`, quiet.join(', '), `1 each: ${verdict(quietMet)}`, '0'],
				...changed.map((c) => [String(c.n), String(c.requests), `ceil(${c.n} / ${SERVER_MAX_PAGE}) = ${c.expected}: ${verdict(c.requests === c.expected)}`, String(c.items)]),
			],
			notes: ['requests: the sandbox\'s count of GET /api/eam/work-orders between two cuts 1.5 s after n8n\'s poll ticks.'],
		};
		const targets: TargetCheck[] = [
			{ name: 'requests per poll with no change', value: Math.max(...quiet), range: [Math.min(...quiet), Math.max(...quiet)], target: '= 1', met: quietMet },
			{ name: 'requests per poll with N changes = ceil(N / page size), every change out once', value: changed.filter((c) => c.requests === c.expected && c.items === c.n).length, target: `= ${changed.length} of ${changed.length}`, met: changedMet },
		];
		return { name: 'polling', tables: [table], targets, data: { quiet, changed, pollSeconds: POLL_SECONDS, serverMaxPage: SERVER_MAX_PAGE } };
	} finally {
		await sandbox.close();
	}
}
