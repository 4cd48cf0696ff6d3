/**
 * A burst through a real n8n 2.x on its default database (SQLite): 2,000 signed
 * deliveries, each its own event, sent by the sandbox's sender 32 at a time and retried
 * the way Makini retries (every answer but 2xx, with exponential backoff; the first
 * delay compressed from Makini's 30 s). When the trigger answered before n8n stored the
 * execution, n8n fell behind on SQLite's one write lock and dropped executions of
 * deliveries already answered 200 (107 of 700 at 8 in flight; 85 of 2,000 at 32 with
 * backpressure). Now n8n answers once the execution row is written, and a 500 when it
 * could not write it, which the sender retries. Every delivery must end executed exactly
 * once, none answered 2xx lost.
 *
 * Executions are counted from n8n's API (every execution of the workflow, with its data:
 * the event's key in the trigger's item says which delivery it ran).
 */
import { activeTriggerWorkflow, n8nWriteFailures, runPool, settledExecutions, startReliabilityN8n, triggerItems, watchHealth, type ReliabilityN8n, type TriggerWorkflow } from './n8n/harness';

const TOTAL = Number(process.env.RELIABILITY_N8N_BURST ?? 2000);
const CONCURRENCY = Number(process.env.RELIABILITY_N8N_BURST_IN_FLIGHT ?? 32);
/** The sender's first retry delay, doubled each attempt (Makini: 30 s, for 24 h). */
const RETRY_BASE_MS = 2_000;
/** 2 + 4 + … + 256 s: far more than the run needs, so only a delivery n8n never takes is reported missing. */
const MAX_ATTEMPTS = 8;
/** First attempts end within this (about 150 s on a quiet 2-core machine; a loaded one doubles it). */
const SEND_BOUND_MS = 420_000;

describe('n8n 2.x (SQLite) under a burst of deliveries', () => {
	let ctx: ReliabilityN8n;
	let trigger: TriggerWorkflow;

	beforeAll(async () => {
		ctx = await startReliabilityN8n('burst', { retryBaseMs: RETRY_BASE_MS, maxDeliveryAttempts: MAX_ATTEMPTS, autoWebhooks: false });
		trigger = await activeTriggerWorkflow(ctx.session.client, ctx.session.n8n.url, ctx.credentials.webhookSecret, 'Makini Trigger in a burst', {
			events: ['work-orders.updated'],
		});
		ctx.sandbox.webhooks.register({ url: trigger.url });
	});

	afterAll(async () => {
		await ctx?.stop();
	});

	test(`${TOTAL} deliveries at ${CONCURRENCY} in flight: every one executed exactly once, none answered 2xx lost`, async () => {
		const run = Date.now().toString(36);
		const keys = Array.from({ length: TOTAL }, (_, i) => `WO-BURST-${run}-${i}`);
		const health = watchHealth(ctx.session.n8n.url);
		const started = Date.now();
		// Each send resolves with its first attempt; the sender's retries go on in the background.
		await runPool(
			keys,
			CONCURRENCY,
			async (key) => await ctx.sandbox.webhooks.send({ event: 'work-orders.updated', keys: [key], includeTimestamp: true }),
			started + SEND_BOUND_MS,
		);
		const firstAttemptsMs = Date.now() - started;
		await ctx.sandbox.webhooks.idle();
		const sendMs = Date.now() - started;
		const during = await health.stop();

		const log = ctx.sandbox.webhooks.log();
		const keyOf = (body: string) => ((JSON.parse(body) as { body: string[] }).body ?? [])[0];
		const accepted = new Map<string, number>();
		const statuses = new Map<string, number>();
		for (const attempt of log) {
			const label = attempt.status === undefined ? `network ${attempt.error ?? ''}` : String(attempt.status);
			statuses.set(label, (statuses.get(label) ?? 0) + 1);
			if (attempt.ok) accepted.set(keyOf(attempt.body), (accepted.get(keyOf(attempt.body)) ?? 0) + 1);
		}

		console.log(
			`RELIABILITY burst: sent; ${accepted.size} of ${TOTAL} deliveries answered 2xx after ${log.length} attempts in ${((Date.now() - started) / 1000).toFixed(1)} s (${[...statuses].map(([s, n]) => `${s} ×${n}`).join(', ')})`,
		);
		const executions = await settledExecutions(ctx.session.client, trigger.workflow.id, accepted.size, { timeoutMs: 180_000, settleMs: 5_000 });
		const executed = new Map<string, number>();
		for (const execution of executions) {
			for (const item of triggerItems(execution)) {
				const key = (item.keys as string[] | undefined)?.[0] ?? '';
				executed.set(key, (executed.get(key) ?? 0) + 1);
			}
		}
		const once = keys.filter((k) => executed.get(k) === 1).length;
		const twice = keys.filter((k) => (executed.get(k) ?? 0) > 1);
		const lost = keys.filter((k) => accepted.has(k) && !executed.has(k));
		const neverAccepted = keys.filter((k) => !accepted.has(k));
		const acceptedTwice = [...accepted].filter(([, n]) => n > 1).map(([k]) => k);
		const strays = [...executed.keys()].filter((k) => !keys.includes(k));
		const failed = executions.filter((e) => e.status !== 'success');
		const n8nFailures = n8nWriteFailures(ctx.session.n8n.logFile);
		const retried = log.length - TOTAL;

		console.log(
			[
				`RELIABILITY burst (n8n 2.41.1, SQLite, default settings): ${TOTAL} deliveries at ${CONCURRENCY} in flight, retried like Makini (first retry after ${RETRY_BASE_MS / 1000} s, doubling, ${MAX_ATTEMPTS} attempts)`,
				`RELIABILITY burst: executed once ${once} of ${TOTAL} (${((100 * once) / TOTAL).toFixed(1)} %), twice ${twice.length}, lost ${lost.length} (answered 2xx, no execution), never accepted ${neverAccepted.length}`,
				`RELIABILITY burst: ${log.length} attempts (${retried} retries); answers ${[...statuses].map(([s, n]) => `${s} ×${n}`).join(', ')}; first attempts in ${(firstAttemptsMs / 1000).toFixed(1)} s, all accepted in ${(sendMs / 1000).toFixed(1)} s; failed executions ${failed.length}; n8n could not create ${n8nFailures.executionsNotCreated} executions, not save static data ${n8nFailures.staticDataNotSaved} times; /healthz during ${during.ok} ok, ${during.failed.length} failed`,
			].join('\n'),
		);

		expect(lost).toEqual([]);
		expect(twice).toEqual([]);
		expect(neverAccepted).toEqual([]);
		expect(acceptedTwice).toEqual([]);
		expect(strays).toEqual([]);
		expect(once).toBe(TOTAL);
		expect(executions).toHaveLength(TOTAL);
		expect(failed.map((e) => e.id)).toEqual([]);
	});
});
