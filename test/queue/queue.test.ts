/**
 * The triggers' guarantees with n8n 2.x in queue mode (scripts/queue-mode.sh): Postgres,
 * Redis, main + 2 webhook processes + 2 workers, nginx in front of the webhook processes.
 * Deliveries are sent through nginx the way Makini's sender sends them (retrying every
 * answer but 2xx) and every execution is counted in Postgres, n8n's own database.
 *
 * - 2,000 signed deliveries (1,400 unique, 600 byte-identical copies: concurrent, shuffled,
 *   some sent late) through nginx routing by a consistent hash of the signature header:
 *   each unique delivery executed once, none twice, none lost.
 * - half that through round-robin (all of it with QUEUE_FULL=1): none lost; how many ran
 *   twice is printed (no guarantee).
 * - half that with hash routing and a webhook process crashed (SIGKILL) and restarted
 *   mid-run: none lost (n8n 2.41.1 answers only once the execution is queued, so what
 *   the crashed process held unanswered is retried); how many ran twice is printed.
 * - Record Changes Trigger over 500 changes (polled by main, executed by the workers): each once.
 * - Connection Health Trigger: one alert per transition.
 * - a 50,000-record Return All run by a worker: completes; the workers' peak RSS printed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox, type SandboxHandle } from '../../sandbox';
import {
	chain,
	createMakiniCredentials,
	entityPayload,
	inParallel,
	makiniNode,
	makiniTriggerNode,
	makiniTriggerPath,
	MANUAL_TRIGGER_NAME,
	MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
	MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
	N8nClient,
	newOwner,
	nodeOutput,
	pollEvery,
	pollingTriggerNode,
	sendLikeMakini,
	signedDelivery,
	startNode,
	startQueueMode,
	type Delivery,
	type Execution,
	type MakiniCredentials,
	type QueueMode,
	type SendOutcome,
} from '../../e2e/lib';

const TRIGGER = 'Makini Trigger';
const RECORDS = 'Makini Record Changes Trigger';
const HEALTH = 'Makini Connection Health Trigger';
const UNIQUE = Number(process.env.QUEUE_UNIQUE ?? 1400);
const COPIES = Number(process.env.QUEUE_COPIES ?? 600);
const IN_FLIGHT = Number(process.env.QUEUE_IN_FLIGHT ?? 32);
const RETURN_ALL = Number(process.env.QUEUE_RETURN_ALL ?? 50_000);
const CHANGES = 500;
/**
 * Round-robin and the crash run at half the size, to keep CI's time: the guarantee (hash
 * routing) runs at full size. QUEUE_FULL=1 runs every case at full size.
 */
const HALF_SIZE = process.env.QUEUE_FULL ? { unique: UNIQUE, copies: COPIES } : { unique: Math.round(UNIQUE / 2), copies: Math.round(COPIES / 2) };
/** The trigger's Deduplication Window here: longer than a spray takes on a loaded machine. */
const DEDUPLICATION_MINUTES = 30;
const POLL_SECONDS = 2;
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const print = (line: string) => process.stdout.write(`queue: ${line}\n`);

/** A small seeded PRNG (mulberry32), so a run's order can be repeated. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function shuffle<T>(items: T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

interface Plan {
	uniques: Map<string, Delivery>;
	burst: Delivery[];
	late: Delivery[];
}

/** `unique` deliveries (1,400), each with one key named `<tag>-<n>`, and `copies` (600) copies of random ones. */
function plan(tag: string, secret: string, seed: number, unique = UNIQUE, copiesCount = COPIES): Plan {
	const random = prng(seed);
	const uniques = new Map<string, Delivery>();
	for (let i = 0; i < unique; i++) {
		const key = `${tag}-${String(i).padStart(5, '0')}`;
		uniques.set(key, signedDelivery(entityPayload('work-orders.updated', [key]), { secret }));
	}
	const originals = [...uniques.values()];
	const copies = Array.from({ length: copiesCount }, () => originals[Math.floor(random() * originals.length)]);
	const late = Math.round(copiesCount / 5);
	return { uniques, burst: shuffle([...originals, ...copies.slice(late)], random), late: copies.slice(0, late) };
}

interface Figures {
	executions: number;
	once: number;
	twice: number;
	more: number;
	lost: number;
	failed: number;
	answers: Record<string, number>;
	perProcess: Record<string, number>;
	/** Deliveries whose copies nginx sent to more than one webhook process. */
	split: number;
	/** Lost deliveries by the process that answered them 200 ('none': never answered 200). */
	lostBy: Record<string, number>;
}

function describeFigures(label: string, f: Figures, unique: number, copies: number): string {
	return (
		`${label}: ${unique} unique + ${copies} copies → ${f.executions} executions; once ${f.once}, twice ${f.twice}, ` +
		`more ${f.more}, lost ${f.lost} ${JSON.stringify(f.lostBy)}, failed executions ${f.failed}; final answers ${JSON.stringify(f.answers)}; ` +
		`requests per webhook process ${JSON.stringify(f.perProcess)}; deliveries split across processes ${f.split}`
	);
}

describe('the Makini triggers with n8n 2.x in queue mode (main + 2 webhook processes + 2 workers, Postgres, Redis, nginx)', () => {
	let queue: QueueMode;
	let sandbox: SandboxHandle;
	let client: N8nClient;
	let credentials: MakiniCredentials;
	const started = Date.now();

	beforeAll(async () => {
		queue = startQueueMode();
		try {
			sandbox = await startSandbox({ port: queue.freePort, workOrders: RETURN_ALL, autoWebhooks: false, rateLimitPerMinute: 1_000_000 });
			client = new N8nClient(queue.mainUrl);
			// A second run on the same environment (queue-mode.sh start, then jest twice) logs in as the first run's owner.
			const ownerFile = join(queue.runDir, 'owner.json');
			let owner: ReturnType<typeof newOwner>;
			if (existsSync(ownerFile)) {
				owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as ReturnType<typeof newOwner>;
			} else {
				owner = newOwner();
				await client.setupOwner(owner);
				writeFileSync(ownerFile, JSON.stringify(owner), { mode: 0o600 });
			}
			await client.login(owner.email, owner.password);
			await client.createApiKey(`queue ${Date.now()}`);
			credentials = await createMakiniCredentials(client, sandbox);
		} catch (error) {
			await sandbox?.close();
			queue.stop();
			throw error;
		}
	});

	afterAll(async () => {
		await sandbox?.close();
		queue?.stop();
		print(`suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
	});

	/** Waits until `count` of the workflow's executions (after `afterId`) finished in Postgres, then watches `quietMs` more. */
	async function settle(workflowId: string, count: number, options: { afterId?: string; quietMs?: number; timeoutMs?: number } = {}) {
		const { afterId = '0', quietMs = 5000, timeoutMs = 300_000 } = options;
		const finished = async () =>
			Number(
				(await queue.query(
					`select count(*) from execution_entity where "workflowId" = '${workflowId}' and id > ${afterId} and status in ('success','error','crashed','canceled')`,
				))[0][0],
			);
		const deadline = Date.now() + timeoutMs;
		while ((await finished()) < count) {
			if (Date.now() > deadline) break;
			await sleep(500);
		}
		await sleep(quietMs);
		const unfinished = async () =>
			Number((await queue.query(`select count(*) from execution_entity where "workflowId" = '${workflowId}' and id > ${afterId} and status not in ('success','error','crashed','canceled')`))[0][0]);
		const finishBy = Date.now() + 60_000;
		while ((await unfinished()) > 0 && Date.now() < finishBy) await sleep(500);
		return await queue.executions(workflowId, afterId);
	}

	async function activeTriggerWorkflow(name: string): Promise<{ id: string; path: string }> {
		// Entity events carry no timestamp: a copy is recognised within the Deduplication
		// Window only. A run this size sends copies minutes after their first (as Makini's
		// retries after a timed-out answer come 30 s, 90 s, 210 s… later), so the window is
		// set to cover the run, as the README's "Running at scale" tells a builder to.
		const trigger = makiniTriggerNode(TRIGGER, { events: ['work-orders.updated'], options: { deduplicationWindow: DEDUPLICATION_MINUTES } }, credentials.webhookSecret!);
		const path = makiniTriggerPath(trigger);
		const workflow = await client.createWorkflow(chain(name, [trigger]));
		expect((await client.activateWorkflow(workflow.id)).active).toBe(true);
		// Registered in both webhook processes: an unsigned request is refused (401), not unknown (404).
		for (const url of queue.webhookUrls) {
			const deadline = Date.now() + 60_000;
			for (;;) {
				const response = await fetch(`${url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				await response.text();
				if (response.status === 401) break;
				if (Date.now() > deadline) throw new Error(`${url}/webhook/${path} answered ${response.status}, not 401, after 60 s`);
				await sleep(500);
			}
		}
		return { id: workflow.id, path };
	}

	const accessLogLines = () => readFileSync(queue.nginxAccessLog, 'utf8').split('\n').filter(Boolean);

	/** Sends a plan through nginx (`url`), optionally doing something mid-run, and counts what executed. */
	async function spray(
		label: string,
		url: string,
		tag: string,
		seed: number,
		/** Done while the burst is sent, each when that fraction of it has been started. */
		midRun: Array<{ at: number; run: () => Promise<void> }> = [],
		size: { unique: number; copies: number } = { unique: UNIQUE, copies: COPIES },
	): Promise<{ figures: Figures; executions: Execution[] }> {
		const { id, path } = await activeTriggerWorkflow(`Queue mode: ${label}`);
		const { uniques, burst, late } = plan(tag, sandbox.webhookSecret, seed, size.unique, size.copies);
		const logFrom = accessLogLines().length;
		const target = `${url}/webhook/${path}`;
		const sentAt = Date.now();
		const send = (delivery: Delivery) => () => sendLikeMakini(target, delivery);
		const midRunDone: Array<Promise<void>> = [];
		const tasks = burst.map((delivery, index) => async () => {
			for (const step of midRun) if (index === Math.floor(burst.length * step.at)) midRunDone.push(step.run());
			return await send(delivery)();
		});
		const outcomes: SendOutcome[] = await inParallel(IN_FLIGHT, tasks);
		await Promise.all(midRunDone);
		// Late copies: after the burst was answered (as Makini's retries of a timed-out answer).
		await sleep(2000);
		outcomes.push(...(await inParallel(IN_FLIGHT, late.map(send))));
		const sendMs = Date.now() - sentAt;

		const executions = await settle(id, uniques.size);
		const runs = new Map<string, number>([...uniques.keys()].map((key) => [key, 0]));
		for (const execution of executions) {
			for (const item of nodeOutput(execution, TRIGGER)) {
				for (const key of (item.keys as string[] | undefined) ?? []) runs.set(key, (runs.get(key) ?? 0) + 1);
			}
		}
		const counts = [...runs.values()];
		const answers: Record<string, number> = {};
		for (const outcome of outcomes) {
			const status = outcome.statuses.at(-1) ?? 0;
			const kind = status === 200 && /duplicate/i.test(outcome.body) ? '200 duplicate' : String(status);
			answers[kind] = (answers[kind] ?? 0) + 1;
		}
		const perProcess: Record<string, number> = {};
		const processesOf = new Map<string, Set<string>>();
		/** Delivery ID → the processes that answered it 200 (accepted or duplicate). */
		const answeredBy = new Map<string, Set<string>>();
		const port = new URL(url).port;
		for (const line of accessLogLines().slice(logFrom)) {
			// "port|upstream[, next upstream tried]|status|delivery id": the last upstream answered.
			const [serverPort, upstreams, status, deliveryId] = line.split('|');
			if (serverPort !== port || !deliveryId || deliveryId === '-') continue;
			const upstream = upstreams.split(', ').at(-1)!;
			if (status === '200') {
				if (!answeredBy.has(deliveryId)) answeredBy.set(deliveryId, new Set());
				answeredBy.get(deliveryId)!.add(upstream);
			}
			perProcess[upstream] = (perProcess[upstream] ?? 0) + 1;
			if (!processesOf.has(deliveryId)) processesOf.set(deliveryId, new Set());
			processesOf.get(deliveryId)!.add(upstream);
		}
		const figures: Figures = {
			executions: executions.length,
			once: counts.filter((n) => n === 1).length,
			twice: counts.filter((n) => n === 2).length,
			more: counts.filter((n) => n > 2).length,
			lost: counts.filter((n) => n === 0).length,
			failed: executions.filter((e) => e.status !== 'success').length,
			answers,
			perProcess,
			split: [...processesOf.values()].filter((set) => set.size > 1).length,
			lostBy: {},
		};
		for (const [key, n] of runs) {
			if (n !== 0) continue;
			for (const upstream of answeredBy.get(uniques.get(key)!.deliveryId ?? '') ?? ['none']) {
				figures.lostBy[upstream] = (figures.lostBy[upstream] ?? 0) + 1;
			}
		}
		print(`${describeFigures(label, figures, size.unique, size.copies)}; sent in ${(sendMs / 1000).toFixed(1)} s at ${IN_FLIGHT} in flight`);
		return { figures, executions };
	}

	test('hash of the signature header: every unique delivery executed exactly once', async () => {
		const { figures } = await spray('consistent hash', queue.hashUrl, 'H', 1);
		// Every copy of a delivery reached the process that saw the first one.
		expect(figures.split).toBe(0);
		expect(figures.lost).toBe(0);
		expect(figures.twice + figures.more).toBe(0);
		expect(figures.once).toBe(UNIQUE);
		expect(figures.executions).toBe(UNIQUE);
		expect(figures.failed).toBe(0);
		// Both processes took part.
		expect(Object.keys(figures.perProcess)).toHaveLength(2);
	});

	test(`round-robin, ${HALF_SIZE.unique} + ${HALF_SIZE.copies}: none lost; how many ran twice is measured, not guaranteed`, async () => {
		const { figures } = await spray('round-robin', queue.roundRobinUrl, 'R', 2, [], HALF_SIZE);
		expect(figures.lost).toBe(0);
		expect(figures.failed).toBe(0);
		expect(Object.keys(figures.perProcess)).toHaveLength(2);
	});

	test(`hash routing, ${HALF_SIZE.unique} + ${HALF_SIZE.copies}: a webhook process crashed (SIGKILL) and restarted mid-run`, async () => {
		let downMs = 0;
		const { figures } = await spray(
			'consistent hash, webhook-1 crashed and restarted',
			queue.hashUrl,
			'K',
			3,
			[
				{
					at: 1 / 3,
					run: async () => {
						const killedAt = Date.now();
						await queue.kill('webhook-1');
						await sleep(2000);
						await queue.revive('webhook-1');
						downMs = Date.now() - killedAt;
					},
				},
			],
			HALF_SIZE,
		);
		print(`webhook-1 was down ${(downMs / 1000).toFixed(1)} s (SIGKILL, restarted, ready again)`);
		expect(downMs).toBeGreaterThan(0);
		// n8n answers only once the execution is in Postgres and Redis: what the crashed process
		// held unanswered is retried, so nothing is lost. A delivery it had queued but whose
		// ledger it had not yet saved can run again (the failover process does not know it),
		// at most what it held in flight.
		expect(figures.lost).toBe(0);
		expect(figures.twice + figures.more).toBeLessThanOrEqual(IN_FLIGHT);
		// A row inserted and never queued when the process died is left unfinished: its
		// delivery was not answered, and its retry ran.
		expect(figures.failed).toBeLessThanOrEqual(IN_FLIGHT);
	});

	test(`Record Changes Trigger over ${CHANGES} changes (polled by main, run by workers): each emitted once`, async () => {
		const workflow = await client.createWorkflow(
			chain('Queue mode: work order changes', [
				pollingTriggerNode(
					RECORDS,
					MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
					{ system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} },
					{ makiniApi: credentials.api },
					pollEvery(POLL_SECONDS),
				),
			]),
		);
		expect((await client.activateWorkflow(workflow.id)).active).toBe(true);
		// The activation poll sets the cursor and emits nothing; give it two intervals.
		await sleep(3 * POLL_SECONDS * 1000);
		expect(await queue.executions(workflow.id)).toHaveLength(0);

		const records = sandbox.admin.listRecords({ collection: 'work-orders' }).slice(0, CHANGES);
		// Five batches, spread over several polls.
		for (let batch = 0; batch < 5; batch++) {
			const part = records.slice((batch * CHANGES) / 5, ((batch + 1) * CHANGES) / 5);
			sandbox.admin.upsertRecords({ collection: 'work-orders', records: part.map((r) => ({ key: r.key, title: `${String(r.title)} (queue change ${batch})` })) });
			await sleep(1300);
		}
		const deadline = Date.now() + 120_000;
		let emitted: string[] = [];
		let executions: Execution[] = [];
		while (Date.now() < deadline) {
			executions = (await queue.executions(workflow.id)).filter((e) => FINISHED.has(e.status));
			emitted = executions.flatMap((e) => nodeOutput(e, RECORDS).map((i) => String(i.key)));
			if (new Set(emitted).size >= CHANGES) break;
			await sleep(1000);
		}
		// Three more polls: nothing again.
		await sleep(3 * POLL_SECONDS * 1000);
		executions = await settle(workflow.id, executions.length, { quietMs: 0 });
		await client.deactivateWorkflow(workflow.id);
		emitted = executions.flatMap((e) => nodeOutput(e, RECORDS).map((i) => String(i.key)));
		const distinct = new Set(emitted);
		print(
			`Record Changes Trigger: ${CHANGES} changes → ${emitted.length} items (${distinct.size} distinct) in ${executions.length} executions, ` +
				`modes ${[...new Set(executions.map((e) => e.mode))].join(',')}`,
		);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		expect(distinct.size).toBe(CHANGES);
		expect(emitted).toHaveLength(CHANGES);
		expect([...distinct].sort()).toEqual(records.map((r) => String(r.key)).sort());
	});

	test('Connection Health Trigger: one alert per transition', async () => {
		sandbox.admin.setSyncStatus({ syncStatus: 'done' });
		const workflow = await client.createWorkflow(
			chain('Queue mode: connection health', [
				pollingTriggerNode(
					HEALTH,
					MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
					{ authentication: 'apiToken', overdueHours: 0, options: {} },
					{ makiniApi: credentials.api },
					pollEvery(POLL_SECONDS),
				),
			]),
		);
		expect((await client.activateWorkflow(workflow.id)).active).toBe(true);
		await sleep(3 * POLL_SECONDS * 1000);
		let lastId = '0';
		const kinds: string[] = [];
		async function alertsAfter(change: () => void, expected: string[]) {
			change();
			const executions = await settle(workflow.id, expected.length, { afterId: lastId, quietMs: 4 * POLL_SECONDS * 1000, timeoutMs: 60_000 });
			lastId = executions.at(-1)?.id ?? lastId;
			const got = executions.flatMap((e) => nodeOutput(e, HEALTH).map((i) => String(i.kind)));
			kinds.push(...got);
			expect(executions.every((e) => e.status === 'success')).toBe(true);
			expect(got).toEqual(expected);
		}
		try {
			expect(await queue.executions(workflow.id)).toHaveLength(0);
			await alertsAfter(() => sandbox.admin.setSyncStatus({ syncStatus: 'error' }), ['sync_failed']);
			await alertsAfter(() => sandbox.admin.setSyncStatus({ syncStatus: 'inprogress' }), []);
			await alertsAfter(() => sandbox.admin.setSyncStatus({ syncStatus: 'error' }), []);
			await alertsAfter(() => sandbox.admin.setSyncStatus({ syncStatus: 'done' }), ['recovered']);
			await alertsAfter(() => sandbox.admin.requireReauthorization(), ['reauthorization_required']);
			await alertsAfter(() => sandbox.admin.requireReauthorization({ required: false }), ['recovered']);
		} finally {
			print(`Connection Health Trigger: 6 changes, 4 transitions → alerts ${JSON.stringify(kinds)}`);
			await client.deactivateWorkflow(workflow.id);
			sandbox.admin.resetScenarios();
		}
	});

	test(`a ${RETURN_ALL.toLocaleString('en')}-record Return All runs to the end in a worker`, async () => {
		const workers = ['worker-1', 'worker-2'] as const;
		const peakRss = () => workers.map((name) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${queue.pidOf(name)}/status`, 'utf8'))?.[1] ?? 0) * 1024);
		const before = peakRss();
		const workflow = await client.createWorkflow(
			chain('Queue mode: Return All', [
				startNode({ kind: 'manual' }),
				makiniNode('All work orders', { system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true, simple: false }, { type: 'makiniApi', ...credentials.api }),
			]),
		);
		const startedAt = Date.now();
		await client.runManually(workflow, MANUAL_TRIGGER_NAME);
		const [execution] = await settle(workflow.id, 1, { quietMs: 0, timeoutMs: 480_000 });
		const tookMs = Date.now() - startedAt;
		const after = peakRss();
		const items = nodeOutput(execution, 'All work orders');
		const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
		print(
			`Return All: ${items.length} work orders in ${(tookMs / 1000).toFixed(1)} s (${execution.status}); workers' peak RSS ` +
				workers.map((name, i) => `${name} ${mib(before[i])} → ${mib(after[i])}`).join(', '),
		);
		expect(execution.status).toBe('success');
		expect(items).toHaveLength(RETURN_ALL);
		expect(new Set(items.map((i) => String(i.key))).size).toBe(RETURN_ALL);
	});
});
