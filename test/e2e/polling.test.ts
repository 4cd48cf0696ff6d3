/**
 * The polling triggers inside a real n8n 2.x, active and polling on n8n's own schedule
 * against the sandbox:
 * - the shortest poll interval n8n accepts (see e2e/lib/polling.ts): a sub-minute cron is
 *   refused inside activation and never polls, minute-granular entries one per second are
 *   accepted and poll every second (the measured cadence is printed);
 * - Makini Record Changes Trigger: records changed in the sandbox (admin upserts, and a
 *   status written by the Makini node in another workflow) each appear exactly once,
 *   across several polls, none twice, none missing, also across a restart of n8n;
 * - Makini Connection Health Trigger → HTTP Request to the sandbox's alert endpoint: a
 *   sync failure fires the alert workflow within one poll interval, recovery fires once,
 *   reauthorization required fires once, and nothing fires while a state lasts;
 * - real conditions (issue 18), on n8n's one-second schedule: records stamped +45 s and
 *   +10 min by a clock that runs ahead (every later change emitted, the record once, also
 *   after Makini's clock passed it), and polls 3× slower than their interval (each change
 *   once, each alert once, no alert repeated after a poll error, skipped ticks in n8n's log).
 */
import { readFileSync, rmSync } from 'node:fs';

import {
	chain,
	executionError,
	freshUserFolder,
	makiniNode,
	MANUAL_TRIGGER_NAME,
	MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
	MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
	nodeOutput,
	pollCron,
	pollEvery,
	pollingTriggerNode,
	postJsonNode,
	settledExecutions,
	startN8n,
	startNode,
	SUB_MINUTE_POLL_CRON,
	FINISHED_STATUSES,
	listExecutions,
	N8nHttpError,
	type Execution,
	type PollTimes,
	type Workflow,
} from '../../e2e/lib';
import { reportFileTime, startE2e, stopE2e, type E2eContext } from './helpers';
import { waitFor } from '../../e2e/lib/wait';

reportFileTime('polling.test.ts');

/** The poll interval the functional tests use (seconds; a divisor of 60). */
const POLL_SECONDS = Number(process.env.E2E_POLL_SECONDS ?? 2);
const POLL_MS = POLL_SECONDS * 1000;
/** Absence is watched for three polls. */
const QUIET_MS = 3 * POLL_MS;
/** A change must show within one interval, plus the poll's own time and n8n's execution start. */
const WITHIN_ONE_POLL_MS = POLL_MS + 1500;

const RECORDS = 'Makini Record Changes Trigger';
const HEALTH = 'Makini Connection Health Trigger';
const ALERT = 'Send Alert';

describe('the polling triggers inside n8n 2.x', () => {
	let context: E2eContext;
	let userFolder: string;

	beforeAll(async () => {
		// Kept on stop, so that n8n can be restarted on it.
		userFolder = freshUserFolder('n8n2-polling');
		context = await startE2e(2, { userFolder, sandbox: { workOrders: 200, autoWebhooks: false } });
	});

	afterAll(async () => {
		await stopE2e(context);
		if (userFolder && process.env.N8N_E2E_KEEP !== '1') rmSync(userFolder, { recursive: true, force: true });
	});

	const client = () => context.session.client;
	const requests = (name: string) => Object.values(context.sandbox.stats.snapshot().requests[name] ?? {}).reduce((a, b) => a + b, 0);
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

	async function waitForRequests(name: string, atLeast: number, timeoutMs = 20_000): Promise<void> {
		await waitFor(`The sandbox seeing ${atLeast} × ${name}`, timeoutMs, async () => (requests(name) >= atLeast ? true : undefined), 100);
	}

	function healthWorkflow(pollTimes: PollTimes, name = 'Connection health alert (e2e)') {
		return chain(name, [
			pollingTriggerNode(
				HEALTH,
				MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
				{ authentication: 'apiToken', overdueHours: 0, options: {} },
				{ makiniApi: context.credentials.api },
				pollTimes,
			),
			postJsonNode(ALERT, `${context.sandbox.url}/__sandbox/alerts`),
		]);
	}

	describe('the shortest poll interval', () => {
		test('a sub-minute cron never polls; one minute-granular entry per second polls every second', async () => {
			// n8n refuses it inside activation ("The polling interval is too short. It has to be
			// at least a minute."), before the first poll; 2.41.1's public API still says active.
			const refused = await client().createWorkflow(healthWorkflow(pollCron(SUB_MINUTE_POLL_CRON), 'Sub-minute cron (e2e)'));
			context.sandbox.stats.reset();
			await client().activateWorkflow(refused.id);
			await sleep(6000);
			expect(requests('GET /api/integrations/current')).toBe(0);
			await client().deactivateWorkflow(refused.id);

			const fast = await client().createWorkflow(healthWorkflow(pollEvery(1), 'Every second (e2e)'));
			context.sandbox.stats.reset();
			expect((await client().activateWorkflow(fast.id)).active).toBe(true);
			await waitForRequests('GET /api/integrations/current', 2);
			const from = requests('GET /api/integrations/current');
			const windowMs = 8000;
			await sleep(windowMs);
			const polls = requests('GET /api/integrations/current') - from;
			await client().deactivateWorkflow(fast.id);
			process.stdout.write(`e2e: pollEvery(1): ${polls} polls in ${windowMs} ms, one every ${Math.round(windowMs / polls)} ms\n`);
			expect(polls).toBeGreaterThanOrEqual(6);
			expect(polls).toBeLessThanOrEqual(10);
		});
	});

	describe('Makini Record Changes Trigger', () => {
		let workflow: Workflow;
		const seen: Execution[] = [];

		beforeAll(async () => {
			workflow = await client().createWorkflow(
				chain('Work order changes (e2e)', [
					pollingTriggerNode(
						RECORDS,
						MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
						{ system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} },
						{ makiniApi: context.credentials.api },
						pollEvery(POLL_SECONDS),
					),
				]),
			);
			context.sandbox.stats.reset();
			expect((await client().activateWorkflow(workflow.id)).active).toBe(true);
			// The activation poll sets the cursor at the newest record and emits nothing.
			await waitForRequests('GET /api/eam/work-orders', 1);
		});

		afterAll(async () => {
			if (workflow) await client().deactivateWorkflow(workflow.id);
		});

		const workOrders = () => context.sandbox.admin.listRecords({ collection: 'work-orders' }) as unknown as Array<Record<string, unknown>>;
		const siteKey = () => String(workOrders()[0].siteKey);
		/** Every item the trigger emitted so far, as "key makiniChange". */
		const emitted = () => seen.flatMap((e) => nodeOutput(e, RECORDS).map((i) => `${String(i.key)} ${String(i.makiniChange)}`));

		async function changesAfter(change: () => Promise<void> | void, expected: number): Promise<Array<Record<string, unknown>>> {
			const afterId = seen.at(-1)?.id ?? '0';
			await change();
			const executions = await settledExecutions(client(), workflow.id, { count: 1, afterId, quietMs: QUIET_MS, timeoutMs: 30_000 });
			seen.push(...executions);
			expect(executions.every((e) => e.mode === 'trigger' && e.status === 'success')).toBe(true);
			const items = executions.flatMap((e) => nodeOutput(e, RECORDS));
			expect(items).toHaveLength(expected);
			return items;
		}

		test('the first poll after activation emitted nothing', async () => {
			await sleep(POLL_MS + 500);
			const executions = await settledExecutions(client(), workflow.id, { count: 0, quietMs: 0 });
			expect(executions).toHaveLength(0);
			expect(requests('GET /api/eam/work-orders')).toBeGreaterThanOrEqual(2);
		});

		test('records updated and created in the sandbox appear once each, with new or updated', async () => {
			const existing = workOrders().slice(0, 3);
			const items = await changesAfter(() => {
				context.sandbox.admin.upsertRecords({
					collection: 'work-orders',
					records: [
						...existing.map((w) => ({ key: w.key, title: `${String(w.title)} (changed in the CMMS)` })),
						{ title: 'E2E new work order A', siteKey: siteKey() },
						{ title: 'E2E new work order B', siteKey: siteKey() },
					],
				});
			}, 5);
			const created = workOrders().filter((w) => String(w.title).startsWith('E2E new work order'));
			expect(created).toHaveLength(2);
			const expected = [...existing.map((w) => `${String(w.key)} updated`), ...created.map((w) => `${String(w.key)} new`)];
			expect(items.map((i) => `${String(i.key)} ${String(i.makiniChange)}`).sort()).toEqual(expected.sort());
			for (const item of items) {
				const stored = context.sandbox.admin.getRecord({ collection: 'work-orders', key: String(item.key) });
				expect(item).toMatchObject({ title: stored?.title, updatedAt: stored?.updatedAt });
			}
		});

		test('a status written by the Makini node, a new record and a second change to a record appear in the next poll, once', async () => {
			const target = workOrders()[10];
			const status = (context.sandbox.admin.listRecords({ collection: 'statuses/work-orders' }) as unknown as Array<Record<string, unknown>>).find(
				(s) => s.key !== target.statusKey,
			)!;
			const again = workOrders()[0];
			const items = await changesAfter(async () => {
				const writer = await client().createWorkflow(
					chain('Status writer (e2e)', [
						startNode({ kind: 'manual' }),
						makiniNode(
							'Update Status',
							{ system: 'eam', resource: 'workOrder', operation: 'updateStatus', key: { __rl: true, mode: 'id', value: String(target.key) }, status: String(status.key) },
							{ type: 'makiniApi', ...context.credentials.api },
						),
					]),
				);
				const run = await client().waitForExecution(await client().runManually(writer, MANUAL_TRIGGER_NAME));
				expect(run.status).toBe('success');
				context.sandbox.admin.upsertRecords({
					collection: 'work-orders',
					records: [
						{ title: 'E2E new work order C', siteKey: siteKey() },
						{ key: again.key, title: `${String(again.title)} (changed again)` },
					],
				});
			}, 3);
			const created = workOrders().find((w) => w.title === 'E2E new work order C')!;
			expect(items.map((i) => `${String(i.key)} ${String(i.makiniChange)}`).sort()).toEqual(
				[`${String(target.key)} updated`, `${String(created.key)} new`, `${String(again.key)} updated`].sort(),
			);
			expect(items.find((i) => i.key === target.key)?.statusKey).toBe(status.key);
		});

		test('across every poll so far: each change exactly once, over at least two executions, nothing since', async () => {
			const executions = await settledExecutions(client(), workflow.id, { count: seen.length, quietMs: QUIET_MS });
			expect(executions.map((e) => e.id)).toEqual(seen.map((e) => e.id));
			expect(seen.length).toBeGreaterThanOrEqual(2);
			const all = emitted();
			expect(all).toHaveLength(8);
			// Two changes of one record (in different polls) are two items; nothing else repeats.
			const againKey = String(workOrders()[0].key);
			expect(all.filter((entry) => entry.startsWith(`${againKey} `))).toHaveLength(2);
			expect(new Set(all.filter((entry) => !entry.startsWith(`${againKey} `))).size).toBe(6);
			process.stdout.write(`e2e: record changes: ${all.length} items in ${seen.length} executions, polling every ${POLL_SECONDS} s\n`);
		});

		test('changes made while n8n was stopped appear once after it restarts on the same user folder; earlier ones not again', async () => {
			const { n8n } = context.session;
			const port = Number(new URL(n8n.url).port);
			await n8n.stop();
			const changed = workOrders().slice(20, 22);
			context.sandbox.admin.upsertRecords({
				collection: 'work-orders',
				records: [...changed.map((w) => ({ key: w.key, title: `${String(w.title)} (changed while n8n was down)` })), { title: 'E2E new work order D', siteKey: siteKey() }],
			});
			context.session.n8n = await startN8n({ major: 2, userFolder, port });
			process.stdout.write(`e2e: n8n restarted on the same user folder in ${context.session.n8n.startMs} ms\n`);
			const afterId = seen.at(-1)?.id ?? '0';
			const executions = await settledExecutions(client(), workflow.id, { count: 1, afterId, quietMs: QUIET_MS, timeoutMs: 30_000 });
			seen.push(...executions);
			const items = executions.flatMap((e) => nodeOutput(e, RECORDS));
			const created = workOrders().find((w) => w.title === 'E2E new work order D')!;
			expect(items.map((i) => `${String(i.key)} ${String(i.makiniChange)}`).sort()).toEqual(
				[...changed.map((w) => `${String(w.key)} updated`), `${String(created.key)} new`].sort(),
			);
		});
	});

	describe('Makini Connection Health Trigger → alert workflow', () => {
		let workflow: Workflow;
		let lastId = '0';
		const alerts: Array<Record<string, unknown>> = [];

		beforeAll(async () => {
			context.sandbox.admin.setSyncStatus({ syncStatus: 'done' });
			context.sandbox.admin.clearAlerts();
			workflow = await client().createWorkflow(healthWorkflow(pollEvery(POLL_SECONDS)));
			context.sandbox.stats.reset();
			expect((await client().activateWorkflow(workflow.id)).active).toBe(true);
			// The activation poll records "healthy" and alerts nothing.
			await waitForRequests('GET /api/integrations/current', 2);
		});

		afterAll(async () => {
			if (workflow) await client().deactivateWorkflow(workflow.id);
			await context.sandbox.admin.resetScenarios();
		});

		/** Changes the connection, then expects exactly `kinds` alerts from the next polls (and then silence). */
		async function alertsAfter(change: () => void, kinds: string[]): Promise<{ items: Array<Record<string, unknown>>; latencyMs: number }> {
			const changedAt = Date.now();
			change();
			const executions = await settledExecutions(client(), workflow.id, { count: kinds.length, afterId: lastId, quietMs: QUIET_MS, timeoutMs: 30_000 });
			expect(executions).toHaveLength(kinds.length);
			lastId = executions.at(-1)?.id ?? lastId;
			expect(executions.every((e) => e.mode === 'trigger' && e.status === 'success')).toBe(true);
			const items = executions.flatMap((e) => nodeOutput(e, HEALTH));
			expect(items.map((i) => i.kind)).toEqual(kinds);
			// Each alert reached the alert endpoint through n8n's HTTP Request node.
			expect(executions.every((e) => nodeOutput(e, ALERT).length === 1)).toBe(true);
			alerts.push(...items);
			const latencyMs = kinds.length ? Date.parse(String(executions[0].startedAt)) - changedAt : 0;
			return { items, latencyMs };
		}

		test('a sync failure set in the sandbox fires the alert workflow within one poll interval', async () => {
			const { items, latencyMs } = await alertsAfter(() => context.sandbox.admin.setSyncStatus({ syncStatus: 'error' }), ['sync_failed']);
			process.stdout.write(`e2e: sync failure → alert execution started after ${latencyMs} ms (poll interval ${POLL_MS} ms)\n`);
			expect(latencyMs).toBeLessThanOrEqual(WITHIN_ONE_POLL_MS);
			expect(items[0]).toMatchObject({
				previousState: 'healthy',
				currentState: 'sync_failed',
				syncStatus: 'error',
				connectionId: context.sandbox.connections[0].id,
			});
			expect(String(items[0].message)).toMatch(/sync/i);
		});

		test('while the failure lasts (even a retry that fails again) nothing more fires', async () => {
			await alertsAfter(() => {
				context.sandbox.admin.setSyncStatus({ syncStatus: 'inprogress' });
			}, []);
			await alertsAfter(() => {
				context.sandbox.admin.setSyncStatus({ syncStatus: 'error' });
			}, []);
		});

		test('recovery fires exactly once', async () => {
			const { items } = await alertsAfter(() => context.sandbox.admin.setSyncStatus({ syncStatus: 'done' }), ['recovered']);
			expect(items[0]).toMatchObject({ previousState: 'sync_failed', currentState: 'healthy' });
		});

		test('reauthorization required fires once, and its recovery once', async () => {
			const { items } = await alertsAfter(() => context.sandbox.admin.requireReauthorization(), ['reauthorization_required']);
			expect(items[0]).toMatchObject({ previousState: 'healthy', currentState: 'reauthorization_required' });
			expect(String(items[0].nextStep)).toMatch(/reconnect|reauthori/i);
			await alertsAfter(() => context.sandbox.admin.requireReauthorization({ required: false }), ['recovered']);
		});

		test('the sandbox’s alert endpoint received exactly these alerts, in order', () => {
			const received = context.sandbox.admin.alerts().map((a) => (a.body as Record<string, unknown>).kind);
			expect(received).toEqual(['sync_failed', 'recovered', 'reauthorization_required', 'recovered']);
			expect(alerts.map((a) => a.kind)).toEqual(received);
		});
	});

	describe('real conditions: clocks that run ahead, polls slower than their interval', () => {
		/** Three polls of a poll that takes 3 s. */
		const SLOW_QUIET_MS = 10_000;
		let clockOffsetMs = 0;
		const setClock = (ms: number) => {
			clockOffsetMs = ms;
			context.sandbox.admin.setClockOffset({ ms });
		};
		/** The sandbox's (Makini's) time shifted by `ms`, in whole seconds as it stamps. */
		const makiniStamp = (ms: number) => new Date(Date.now() + clockOffsetMs + ms).toISOString().slice(0, 19) + 'Z';
		const skippedInLog = () =>
			readFileSync(context.session.n8n.logFile, 'utf8')
				.split('\n')
				.filter((line) => line.includes('the previous poll is still running')).length;

		afterAll(async () => {
			setClock(0);
			await context.sandbox.admin.resetScenarios();
		});

		/** Activates, waiting out n8n's "Database is not ready" (503) on a loaded machine. */
		async function activate(workflowId: string): Promise<void> {
			const deadline = Date.now() + 120_000;
			for (;;) {
				try {
					expect((await client().activateWorkflow(workflowId)).active).toBe(true);
					return;
				} catch (error) {
					if (!(error instanceof N8nHttpError && error.status === 503) || Date.now() > deadline) throw error;
					await sleep(2000);
				}
			}
		}

		/**
		 * Waits until the workflow's finished executions after `afterId` hold `expected` items
		 * of `node`, watches `quietMs` more, waits for what started meanwhile to finish, and
		 * returns every item (the caller asserts the exact list).
		 */
		async function itemsAfter(workflowId: string, afterId: string, node: string, expected: number, quietMs: number) {
			const deadline = Date.now() + 120_000;
			const read = async () => {
				const executions = await listExecutions(client(), workflowId, afterId);
				const finished = executions.filter((e) => FINISHED_STATUSES.has(e.status));
				return { executions, finished, items: finished.flatMap((e) => nodeOutput(e, node)) };
			};
			let seen = await read();
			while (seen.items.length < expected && Date.now() < deadline) {
				await sleep(250);
				seen = await read();
			}
			await sleep(quietMs);
			seen = await read();
			while (seen.finished.length < seen.executions.length && Date.now() < deadline) {
				await sleep(250);
				seen = await read();
			}
			expect(seen.executions.filter((e) => e.status !== 'success').map((e) => `${e.id} ${e.status}: ${executionError(e) ?? ''}`)).toEqual([]);
			return { items: seen.items, lastId: seen.executions.at(-1)?.id ?? afterId };
		}

		describe('Makini Record Changes Trigger, polling every second', () => {
			let workflow: Workflow;
			let lastId = '0';

			beforeAll(async () => {
				workflow = await client().createWorkflow(
					chain('Work order changes, real conditions (e2e)', [
						pollingTriggerNode(
							RECORDS,
							MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
							{ system: 'eam', resource: 'workOrder', changes: 'newOrUpdated', options: {} },
							{ makiniApi: context.credentials.api },
							pollEvery(1),
						),
					]),
				);
				context.sandbox.stats.reset();
				await activate(workflow.id);
				await waitForRequests('GET /api/eam/work-orders', 2, 60_000);
			});

			afterAll(async () => {
				if (workflow) await client().deactivateWorkflow(workflow.id);
			});

			test.each([
				['+45 s', 45_000, 5],
				['+10 min', 600_000, 6],
			])('a record stamped %s by a clock that runs ahead: emitted once; every later change emitted; still once after Makini’s clock passed it', async (label, aheadMs, laterCount) => {
				const started = Date.now();
				const [future] = context.sandbox.admin.upsertRecords({
					collection: 'work-orders',
					records: [{ title: `E2E stamped ${label}`, updatedAt: makiniStamp(aheadMs) }],
				});
				const first = await itemsAfter(workflow.id, lastId, RECORDS, 1, 3000);
				lastId = first.lastId;
				expect(first.items.map((i) => i.key)).toEqual([future.key]);

				// Later changes, stamped by Makini's clock (before the future-stamped record), in two batches.
				const later: string[] = [];
				const emitted: string[] = [];
				for (const size of [2, laterCount - 2]) {
					const made = context.sandbox.admin.upsertRecords({
						collection: 'work-orders',
						records: Array.from({ length: size }, (_, i) => ({ title: `E2E later change ${label} ${later.length + i}` })),
					});
					later.push(...made.map((r) => r.key));
					const batch = await itemsAfter(workflow.id, lastId, RECORDS, size, 3000);
					lastId = batch.lastId;
					emitted.push(...batch.items.map((i) => String(i.key)));
				}
				const laterEmitted = later.filter((key) => emitted.filter((k) => k === key).length === 1).length;

				// Makini's clock passes the record: it does not come again; a new change does.
				setClock(clockOffsetMs + aheadMs + 7000);
				const passed = context.sandbox.admin.upsertRecords({ collection: 'work-orders', records: [{ title: `E2E after the clock passed ${label}` }] });
				const after = await itemsAfter(workflow.id, lastId, RECORDS, 1, 3000);
				lastId = after.lastId;
				process.stdout.write(
					`e2e: record stamped ${label}: emitted ${first.items.length} time; later changes emitted ${laterEmitted} of ${later.length} (${emitted.length} items); after Makini's clock passed it: ${after.items.length} item (the new change), the record again 0 times (${Date.now() - started} ms)\n`,
				);
				expect(emitted.sort()).toEqual([...later].sort());
				expect(laterEmitted).toBe(later.length);
				expect(after.items.map((i) => i.key)).toEqual([passed[0].key]);
			});

			test('polls 3× slower than their interval (3 s answers, a tick every second): each change once, the overlapping ticks skipped and logged', async () => {
				const started = Date.now();
				const skippedBefore = skippedInLog();
				context.sandbox.admin.injectLatency({ ms: 3000, path: '/api/eam/work-orders' });
				const made = context.sandbox.admin.upsertRecords({
					collection: 'work-orders',
					records: Array.from({ length: 10 }, (_, i) => ({ title: `E2E slow poll change ${i}` })),
				});
				const { items, lastId: last } = await itemsAfter(workflow.id, lastId, RECORDS, 10, SLOW_QUIET_MS);
				lastId = last;
				await context.sandbox.admin.resetScenarios();
				const keys = items.map((i) => String(i.key));
				const once = made.filter((r) => keys.filter((k) => k === r.key).length === 1).length;
				const skipped = skippedInLog() - skippedBefore;
				process.stdout.write(
					`e2e: polls 3× slower than the interval (record changes): ${items.length} items for ${made.length} changes, ${once} of ${made.length} once; ${skipped} skipped ticks in n8n's log (${Date.now() - started} ms)\n`,
				);
				expect(keys.sort()).toEqual(made.map((r) => r.key).sort());
				expect(skipped).toBeGreaterThan(0);
			});
		});

		describe('Makini Connection Health Trigger → alert workflow, polls 3× slower than their interval', () => {
			let workflow: Workflow;
			let lastId = '0';
			const kinds: string[] = [];

			beforeAll(async () => {
				await context.sandbox.admin.resetScenarios();
				context.sandbox.admin.setSyncStatus({ syncStatus: 'done' });
				context.sandbox.admin.clearAlerts();
				context.sandbox.admin.injectLatency({ ms: 3000, path: '/api/integrations/current' });
				workflow = await client().createWorkflow(healthWorkflow(pollEvery(1), 'Connection health alert, slow polls (e2e)'));
				context.sandbox.stats.reset();
				await activate(workflow.id);
				await waitForRequests('GET /api/integrations/current', 2, 60_000);
			});

			afterAll(async () => {
				if (workflow) await client().deactivateWorkflow(workflow.id);
				await context.sandbox.admin.resetScenarios();
			});

			async function alertsAfter(change: () => unknown, expected: string[]) {
				await change();
				const { items, lastId: last } = await itemsAfter(workflow.id, lastId, HEALTH, expected.length, SLOW_QUIET_MS);
				lastId = last;
				kinds.push(...items.map((i) => String(i.kind)));
				expect(items.map((i) => (i.kind === 'poll_error' && !expected.includes('poll_error') ? `poll_error: ${String(i.message)}` : i.kind))).toEqual(expected);
			}

			test('a sync failure: one alert; an outage: one poll_error, one poll_recovered and no alert repeated; recovery: one alert', async () => {
				const started = Date.now();
				const skippedBefore = skippedInLog();
				await alertsAfter(() => context.sandbox.admin.setSyncStatus({ syncStatus: 'error' }), ['sync_failed']);
				await alertsAfter(() => context.sandbox.admin.goOffline({ mode: 'unavailable' }), ['poll_error']);
				// Before: a failed poll wrote its older state over the newer, and sync_failed came again here.
				await alertsAfter(() => context.sandbox.admin.goOnline(), ['poll_recovered']);
				await alertsAfter(() => context.sandbox.admin.setSyncStatus({ syncStatus: 'done' }), ['recovered']);
				const received = context.sandbox.admin.alerts().map((a) => String((a.body as Record<string, unknown>).kind));
				const skipped = skippedInLog() - skippedBefore;
				process.stdout.write(
					`e2e: polls 3× slower than the interval (connection health): alerts ${JSON.stringify(received)} (each once: ${new Set(received).size === received.length}); ${skipped} skipped ticks in n8n's log (${Date.now() - started} ms)\n`,
				);
				expect(received).toEqual(['sync_failed', 'poll_error', 'poll_recovered', 'recovered']);
				expect(kinds).toEqual(received);
				expect(skipped).toBeGreaterThan(0);
			});
		});
	});
});
