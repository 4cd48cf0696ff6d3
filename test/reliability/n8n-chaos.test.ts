/**
 * Delivery chaos through a real n8n 2.x: 1,000 signed deliveries, 30% of them copies
 * (a third concurrent with the first, a third shuffled into the stream, a third late
 * retries after the stream), the stream shuffled and some records changing twice.
 *
 * The trigger runs with *Drop Out-of-Order Events* on, as the README recommends when
 * the payload carries a timestamp: an event arriving after a newer one for the same
 * record is acknowledged and dropped. So every unique delivery ends up executed once or
 * dropped as older (and then only if a newer event of its record was executed), never
 * both, never twice; every copy is answered as a duplicate.
 */
import { describeFindings } from './lib/secrets';
import { chaosPlan, type ChaosDelivery } from './n8n/chaos';
import { activeTriggerWorkflow, ExecutionBacklog, n8nWriteFailures, runPool, settledExecutions, startReliabilityN8n, triggerItems, watchHealth, type ReliabilityN8n, type TriggerWorkflow } from './n8n/harness';
import { describeScan, scanN8nForSecrets } from './n8n/scan';

const TOTAL = Number(process.env.RELIABILITY_N8N_CHAOS ?? 1000);
/**
 * Deliveries in flight at once. Each accepted one is an execution n8n writes to SQLite
 * (one writer) after the answer: without backpressure n8n fell behind, timed out on its
 * write lock and lost executions of deliveries already answered 200 (reported below when
 * it happens).
 */
const CONCURRENCY = 8;
/** Accepted deliveries whose execution has not finished, at most (see ExecutionBacklog). */
const BACKLOG = 48;
const SEND_BOUND_MS = 240_000;
/** How long the late retries wait after the stream (the originals' executions are under way or done). */
const LATE_AFTER_MS = 2_000;

const STARTED = JSON.stringify({ message: 'Workflow was started' });
const DUPLICATE = 'duplicate delivery';
const OLDER = 'older than an event already received';

interface Answer {
	delivery: ChaosDelivery;
	status: number;
	body: string;
	phase: 'stream' | 'late';
	at: number;
}

async function deliver(url: string, delivery: ChaosDelivery, phase: Answer['phase'], backlog: ExecutionBacklog): Promise<Answer> {
	const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
	const answer = { delivery, status: response.status, body: await response.text(), phase, at: Date.now() };
	if (answer.body === STARTED) backlog.accept();
	return answer;
}

const ignoredOf = (answer: Answer): string | undefined => {
	try {
		return (JSON.parse(answer.body) as { ignored?: string }).ignored;
	} catch {
		return undefined;
	}
};

describe('n8n 2.x under duplicated, reordered and late deliveries', () => {
	let ctx: ReliabilityN8n;
	let trigger: TriggerWorkflow;

	beforeAll(async () => {
		ctx = await startReliabilityN8n('chaos');
		trigger = await activeTriggerWorkflow(ctx.session.client, ctx.session.n8n.url, ctx.credentials.webhookSecret, 'Makini Trigger in chaos', {
			events: ['work-orders.updated'],
			options: { dropOutOfOrder: true },
		});
	});

	afterAll(async () => {
		await ctx?.stop();
	});

	test('each unique delivery executes exactly once, or is dropped as older than an executed one; copies never execute', async () => {
		const plan = chaosPlan({ total: TOTAL, duplicateShare: 0.3, secret: ctx.secrets.webhookSecret, seed: `chaos-${Date.now()}`, now: Date.now() });
		const health = watchHealth(ctx.session.n8n.url);
		const started = Date.now();
		const deadline = started + SEND_BOUND_MS;
		const backlog = new ExecutionBacklog(ctx.session.client, trigger.workflow.id, BACKLOG);
		const streamed = await runPool(
			plan.stream,
			CONCURRENCY,
			async (send) => {
				await backlog.wait();
				return await Promise.all(Array.from({ length: send.copies }, () => deliver(trigger.url, send.delivery, 'stream', backlog)));
			},
			deadline,
		);
		await new Promise((resolve) => setTimeout(resolve, LATE_AFTER_MS));
		const late = await runPool(plan.late, CONCURRENCY, async (send) => [await deliver(trigger.url, send.delivery, 'late', backlog)], deadline);
		const sendMs = Date.now() - started;
		const answers = [...streamed.flat(), ...late.flat()];
		const during = await health.stop();

		const started200 = answers.filter((a) => a.status === 200 && a.body === STARTED);
		const duplicates = answers.filter((a) => ignoredOf(a) === DUPLICATE);
		const older = answers.filter((a) => ignoredOf(a) === OLDER);
		const other = answers.filter((a) => a.status !== 200 || (a.body !== STARTED && ![DUPLICATE, OLDER].includes(ignoredOf(a) ?? '')));

		const executions = await settledExecutions(ctx.session.client, trigger.workflow.id, started200.length, { timeoutMs: 240_000, settleMs: 5_000 });
		const executedIds = new Map<string, number>();
		const strays: string[] = [];
		const byId = new Map(plan.unique.map((d) => [d.deliveryId, d]));
		for (const execution of executions) {
			for (const item of triggerItems(execution)) {
				const id = String(item.deliveryId);
				const delivery = byId.get(id);
				if (!delivery || JSON.stringify(item.keys) !== JSON.stringify([delivery.record])) strays.push(`${execution.id}: ${id}`);
				executedIds.set(id, (executedIds.get(id) ?? 0) + 1);
			}
		}
		const twice = [...executedIds].filter(([, n]) => n > 1).map(([id]) => id);
		const olderIds = new Set(older.map((a) => a.delivery.deliveryId));
		const both = [...olderIds].filter((id) => executedIds.has(id));
		const neither = plan.unique.filter((d) => !executedIds.has(d.deliveryId) && !olderIds.has(d.deliveryId)).map((d) => d.deliveryId);
		// A drop is legitimate only if an executed event of the same record is newer.
		const unjustified = older.filter(
			(a) => !plan.unique.some((d) => d.record === a.delivery.record && d.timestampMs > a.delivery.timestampMs && executedIds.has(d.deliveryId)),
		);
		const lateExecuted = late.flat().filter((a) => ignoredOf(a) !== DUPLICATE);
		const failedExecutions = executions.filter((e) => e.status !== 'success');
		const n8nFailures = n8nWriteFailures(ctx.session.n8n.logFile);
		const twoEventRecords = new Set(plan.unique.filter((d, i, all) => all.findIndex((o) => o.record === d.record) !== i).map((d) => d.record)).size;

		console.log(
			[
				`chaos (n8n 2.41.1, Drop Out-of-Order Events on): sent ${answers.length} (unique ${plan.unique.length} over ${plan.unique.length - twoEventRecords} records, ${twoEventRecords} of them changing twice; copies ${plan.total - plan.unique.length}: ${plan.duplicates.concurrent} concurrent, ${plan.duplicates.shuffled} shuffled, ${plan.duplicates.late} late) in ${(sendMs / 1000).toFixed(1)} s (sender held back ${backlog.waits} times, ${(backlog.waitedMs / 1000).toFixed(1)} s, while over ${BACKLOG} executions were pending)`,
				`chaos: unique ${plan.unique.length}, executed ${executedIds.size}, dropped as older than an event already received ${olderIds.size} (executed + older = ${executedIds.size + olderIds.size}), duplicates dropped ${duplicates.length} (answers "duplicate delivery"; ${executions.length} executions for ${started200.length} started answers)`,
				`chaos: executed twice ${twice.length}, executed and dropped ${both.length}, neither ${neither.length}, drops without a newer executed event ${unjustified.length}, late retries executed ${lateExecuted.length}, other answers ${other.length}, failed executions ${failedExecutions.length}; n8n could not create ${n8nFailures.executionsNotCreated} executions, not save static data ${n8nFailures.staticDataNotSaved} times (SQLite busy); /healthz during ${during.ok} ok, ${during.failed.length} failed`,
			].join('\n'),
		);

		expect(other.map((a) => `${a.status} ${a.body.slice(0, 120)}`)).toEqual([]);
		expect(answers).toHaveLength(plan.total);
		expect(strays).toEqual([]);
		expect(twice).toEqual([]);
		expect(both).toEqual([]);
		expect(neither).toEqual([]);
		expect(unjustified.map((a) => a.delivery.deliveryId)).toEqual([]);
		expect(lateExecuted).toHaveLength(0);
		expect(executions).toHaveLength(started200.length);
		expect(executedIds.size).toBe(started200.length);
		expect(executedIds.size + olderIds.size).toBe(plan.unique.length);
		expect(duplicates).toHaveLength(plan.total - plan.unique.length);
		expect(failedExecutions.map((e) => e.id)).toEqual([]);
		expect(during.failed).toEqual([]);

		const scan = await scanN8nForSecrets(ctx, { answers: answers.map((a) => a.body) });
		console.log(describeScan('secrets (n8n, chaos run)', scan));
		expect(describeFindings(scan.findings)).toBe('');
	});
});
