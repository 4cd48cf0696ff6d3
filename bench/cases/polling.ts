/**
 * Case 5, polling: what one poll of the Makini Record Changes Trigger costs Makini, in
 * requests, inside an active workflow in n8n: one request when nothing changed, and
 * ceil(N / page size) when N records changed (the sandbox serves pages of 200; the node
 * asks for 500, Makini's documented maximum, and follows the size the answer used).
 *
 * Polls are told apart by the requests themselves, not by the clock: the sandbox's
 * request count is sampled every 25 ms and the requests are grouped into polls by the
 * quiet between them (n8n polls every 10 s; one poll's requests follow each other within
 * milliseconds), so a poll that a loaded machine starts late is still counted whole.
 *
 * The N changes are stamped one second apart, as changes arriving one a second since
 * the last poll: Makini stamps whole seconds, and the sandbox's clock (its Date header
 * and its stamps) is moved N + 10 s ahead for them, so the poll finds N changes at N
 * distinct seconds, the way a poll every N seconds would. (N changes in one second make
 * the node read that second on its own, by key: more requests, by design, for no gap.)
 */
import { chain, createMakiniCredentials, MAKINI_RECORD_CHANGES_TRIGGER_TYPE, nodeOutput, pollEvery, pollingTriggerNode, settledExecutions } from '../../e2e/lib';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { verdict, type Table } from '../lib/table';
import type { BenchContext, CaseResult, TargetCheck } from './types';

const POLL_SECONDS = 10;
const SERVER_MAX_PAGE = 200;
const ROUTE = 'GET /api/eam/work-orders';
const NODE = 'Makini Record Changes Trigger';
const SAMPLE_MS = 25;
/** Quiet that ends a poll: far more than between one poll's requests, far less than between polls. */
const GAP_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Poll {
	startMs: number;
	endMs: number;
	requests: number;
}

/** Samples the sandbox's request count for one route and groups the requests into polls. */
class PollRecorder {
	private readonly events: Array<{ atMs: number; requests: number }> = [];
	private last = 0;
	private readonly timer: NodeJS.Timeout;

	constructor(private readonly sandbox: SandboxHandle) {
		this.last = this.count();
		this.timer = setInterval(() => this.sample(), SAMPLE_MS);
	}

	private count(): number {
		return Object.values(this.sandbox.stats.snapshot().requests[ROUTE] ?? {}).reduce((a, b) => a + b, 0);
	}

	private sample(): void {
		const now = this.count();
		if (now > this.last) this.events.push({ atMs: Date.now(), requests: now - this.last });
		this.last = now;
	}

	/** Polls that began at or after `sinceMs` and have ended (GAP_MS of quiet after them). */
	polls(sinceMs = 0): Poll[] {
		this.sample();
		const polls: Poll[] = [];
		for (const e of this.events) {
			const current = polls[polls.length - 1];
			if (current && e.atMs - current.endMs < GAP_MS) {
				current.endMs = e.atMs;
				current.requests += e.requests;
			} else polls.push({ startMs: e.atMs, endMs: e.atMs, requests: e.requests });
		}
		const now = Date.now();
		return polls.filter((p) => p.startMs >= sinceMs && now - p.endMs >= GAP_MS);
	}

	/** Waits for `count` polls that begin at or after `sinceMs`. */
	async waitPolls(count: number, sinceMs: number, timeoutMs: number): Promise<Poll[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const polls = this.polls(sinceMs);
			if (polls.length >= count) return polls.slice(0, count);
			if (Date.now() > deadline) throw new Error(`${count} poll(s) did not happen within ${timeoutMs} ms (saw ${polls.length})`);
			await sleep(100);
		}
	}

	/** Waits until no poll is under way (the last request GAP_MS ago or more, or none yet). */
	async waitBetweenPolls(): Promise<void> {
		for (;;) {
			this.sample();
			const last = this.events[this.events.length - 1];
			if (!last || Date.now() - last.atMs >= GAP_MS) return;
			await sleep(100);
		}
	}

	stop(): void {
		clearInterval(this.timer);
	}
}

/** ceil(N / page size): what a read of N changed records needs at least. */
const expectedRequests = (n: number) => Math.max(1, Math.ceil(n / SERVER_MAX_PAGE));

export async function runPolling(ctx: BenchContext): Promise<CaseResult> {
	const session = await ctx.n8n();
	const sandbox = await startSandbox({ port: ctx.ports.sandbox(), workOrders: 300, maxPageSize: SERVER_MAX_PAGE, autoWebhooks: false });
	const quietPolls = ctx.args.quick ? 2 : 4;
	const changeCounts = ctx.args.quick ? [1, 450] : [1, 200, 450, 1000];
	const recorder = new PollRecorder(sandbox);
	const pollTimeoutMs = 6 * POLL_SECONDS * 1000;
	try {
		const { api } = await createMakiniCredentials(session.client, sandbox);
		const workflow = await session.client.createWorkflow(
			chain('bench: Record Changes Trigger', [
				pollingTriggerNode(NODE, MAKINI_RECORD_CHANGES_TRIGGER_TYPE, { system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} }, { makiniApi: api }, pollEvery(POLL_SECONDS)),
			]),
		);
		const activated = Date.now();
		await session.client.activateWorkflow(workflow.id);
		// Activation's poll sets the cursor; one more poll before measuring.
		await recorder.waitPolls(2, activated, pollTimeoutMs);
		const siteKey = String(sandbox.admin.listRecords({ collection: 'sites' })[0].key);
		const quietFrom = Date.now();
		const quiet = (await recorder.waitPolls(quietPolls, quietFrom, quietPolls * pollTimeoutMs)).map((p) => p.requests);
		ctx.log(`polling: requests per poll with no change: ${quiet.join(', ')}`);

		const changed: Array<{ n: number; requests: number; expected: number; items: number; polls: number[] }> = [];
		let afterId = '0';
		for (const existing of await session.client.allExecutions({ workflowId: workflow.id, includeData: false })) {
			if (Number(existing.id) > Number(afterId)) afterId = existing.id;
		}
		let offsetMs = 0;
		for (const n of changeCounts) {
			await recorder.waitBetweenPolls();
			// N changes one a second since the last poll: Makini's clock moves on by N + 10 s, the stamps fill it.
			const base = Math.floor((Date.now() + offsetMs) / 1000) * 1000;
			offsetMs += (n + 10) * 1000;
			sandbox.admin.setClockOffset({ ms: offsetMs });
			const stamp = (i: number) => new Date(base + (i + 1) * 1000).toISOString().slice(0, 19) + 'Z';
			sandbox.admin.upsertRecords({
				collection: 'work-orders',
				records: Array.from({ length: n }, (_, i) => ({ title: `Bench change ${n}-${i}`, siteKey, createdAt: stamp(i), updatedAt: stamp(i) })),
			});
			const changedAt = Date.now();
			const executions = await settledExecutions(session.client, workflow.id, { count: 1, afterId, quietMs: 0, timeoutMs: pollTimeoutMs });
			// The poll that found them, and the one after it (which finds nothing new: 1 request).
			const polls = (await recorder.waitPolls(2, changedAt, 2 * pollTimeoutMs)).map((p) => p.requests);
			const items = (await Promise.all(executions.map((e) => session.client.execution(e.id, true)))).flatMap((e) => nodeOutput(e, NODE)).length;
			afterId = executions.reduce((max, e) => (Number(e.id) > Number(max) ? e.id : max), afterId);
			changed.push({ n, requests: polls[0], expected: expectedRequests(n), items, polls });
			ctx.log(`polling: ${n} changed → ${polls[0]} request(s) in the poll that found them (expected ${expectedRequests(n)}), ${items} items out; the next poll ${polls[1]} request(s)`);
		}
		await session.client.deactivateWorkflow(workflow.id);
		const quietAfter = changed.map((c) => c.polls[1]);
		const quietMet = [...quiet, ...quietAfter].every((r) => r === 1);
		const changedOk = (c: (typeof changed)[number]) => c.requests === c.expected && c.items === c.n;
		const changedMet = changed.every(changedOk);
		const table: Table = {
			title: `Polling: Makini Record Changes Trigger (work orders, new or updated) active in n8n, a poll every ${POLL_SECONDS} s, server page size ${SERVER_MAX_PAGE}`,
			header: ['changes since the last poll', 'requests in that poll', 'target', 'records out'],
			rows: [
				[`none (${quietPolls} polls; and the poll after each change)`, `${quiet.join(', ')}; ${quietAfter.join(', ')}`, `1 each: ${verdict(quietMet)}`, '0'],
				...changed.map((c) => [`${c.n}, one a second`, String(c.requests), `ceil(${c.n} / ${SERVER_MAX_PAGE}) = ${c.expected}: ${verdict(c.requests === c.expected)}`, `${c.items}${c.items === c.n ? '' : ` (expected ${c.n})`}`]),
			],
			notes: [
				`requests: the sandbox's count of ${ROUTE}, sampled every ${SAMPLE_MS} ms and grouped into polls by ${GAP_MS / 1000} s of quiet.`,
				'each request asks for updatedAt ≥ the last second read (keyset paging), so every page after the first starts with the record(s) of the second the one before ended on: a read of N one-a-second changes needs ceil((N + 1 − 200) / 199) + 1 requests, one more than ceil(N / 200) when N is a multiple of the page size or near one.',
			],
		};
		const allQuiet = [...quiet, ...quietAfter];
		const targets: TargetCheck[] = [
			{ name: 'requests per poll with no change', value: Math.max(...allQuiet), range: [Math.min(...allQuiet), Math.max(...allQuiet)], target: '= 1', met: quietMet },
			{
				name: `requests per poll with N changes = ceil(N / page size), every change out once (N = ${changed.map((c) => `${c.n}: ${c.requests} of ${c.expected}`).join(', ')})`,
				value: changed.filter(changedOk).length,
				target: `= ${changed.length} of ${changed.length}`,
				met: changedMet,
			},
		];
		return { name: 'polling', tables: [table], targets, data: { quiet, quietAfter, changed, pollSeconds: POLL_SECONDS, serverMaxPage: SERVER_MAX_PAGE } };
	} finally {
		recorder.stop();
		await sandbox.close();
	}
}
