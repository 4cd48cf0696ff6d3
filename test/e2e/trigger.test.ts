/**
 * The Makini Trigger inside a real n8n 2.x: an active workflow, deliveries POSTed to its
 * production URL by the sandbox's webhook sender and by the test itself (signed the same
 * way), and what n8n executed read back through its public API. A valid delivery gives
 * exactly one execution with the event and keys; forged or unsigned ones get 401 and
 * none; copies (one after the other, concurrent, and after restarting n8n on the same
 * user folder) none; an event the node does not select none; the editor's test URL runs
 * one manual execution. Absence is watched for a few seconds after each answer.
 */
import { rmSync } from 'node:fs';

import {
	chain,
	entityPayload,
	freshUserFolder,
	lastExecutionId,
	makiniTriggerNode,
	makiniTriggerPath,
	nodeOutput,
	sendDelivery,
	settledExecutions,
	signedDelivery,
	startN8n,
	type Execution,
	type Workflow,
} from '../../e2e/lib';
import type { DeliveryAttempt } from '../../sandbox';
import { expectNoSecrets, reportFileTime, startE2e, stopE2e, type E2eContext } from './helpers';

reportFileTime('trigger.test.ts');

const TRIGGER = 'Makini Trigger';
const SELECTED = ['work-orders.updated', 'work-orders.inserted', 'connection.sync_failed'];
/** How long absence is watched after an answer. */
const QUIET_MS = 3000;

describe('the Makini Trigger inside n8n 2.x (active workflow, production URL)', () => {
	let context: E2eContext;
	let workflow: Workflow;
	let path: string;
	let userFolder: string;
	let keys: string[];

	beforeAll(async () => {
		userFolder = freshUserFolder('n8n2-trigger');
		context = await startE2e(2, { userFolder, sandbox: { workOrders: 100, autoWebhooks: false } });
		const { client } = context.session;
		const trigger = makiniTriggerNode(TRIGGER, { events: SELECTED }, context.credentials.webhookSecret!);
		path = makiniTriggerPath(trigger);
		workflow = await client.createWorkflow(chain('Makini Trigger (e2e)', [trigger]));
		expect((await client.activateWorkflow(workflow.id)).active).toBe(true);
		context.sandbox.webhooks.register({ url: `${context.session.n8n.url}/webhook/${path}` });
		keys = context.sandbox.admin
			.listRecords({ collection: 'work-orders' })
			.slice(0, 6)
			.map((r) => String(r.key));
	});

	afterAll(async () => {
		await stopE2e(context);
		if (userFolder && process.env.N8N_E2E_KEEP !== '1') rmSync(userFolder, { recursive: true, force: true });
	});

	const secret = () => context.sandbox.webhookSecret;
	const client = () => context.session.client;

	/** Runs `send`, then returns the executions it started (waiting for `count`, then watching QUIET_MS more). */
	async function executionsOf(count: number, send: () => Promise<void>): Promise<Execution[]> {
		const afterId = await lastExecutionId(client(), workflow.id);
		await send();
		return await settledExecutions(client(), workflow.id, { count, afterId, quietMs: QUIET_MS, timeoutMs: 30_000 });
	}

	const sandboxSend = (options: Parameters<E2eContext['sandbox']['webhooks']['send']>[0]) =>
		context.sandbox.webhooks.send({ retry: false, ...options });
	const statuses = (attempts: DeliveryAttempt[]) => attempts.map((a) => a.status);

	function expectOneEventItem(execution: Execution, expected: { event: string; keys: string[]; deliveryId?: string }) {
		expect(execution.mode).toBe('webhook');
		expect(execution.status).toBe('success');
		const items = nodeOutput(execution, TRIGGER);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ event: expected.event, keys: expected.keys, receivedEvent: expected.event });
		if (expected.deliveryId) expect(items[0].deliveryId).toBe(expected.deliveryId);
		// The signature header is never in the output, nor the secret anywhere.
		expect(Object.keys(items[0].headers as object).map((h) => h.toLowerCase())).not.toContain('x-webhook-signature');
		expectNoSecrets(execution, [secret()]);
	}

	test('a signed delivery (sent by the test) gives exactly one execution with the event and keys', async () => {
		const delivery = signedDelivery(entityPayload('work-orders.updated', keys.slice(0, 2)), { secret: secret() });
		let answer: { status: number; body: unknown } | undefined;
		const executions = await executionsOf(1, async () => {
			answer = await sendDelivery(client(), path, delivery);
		});
		expect(answer).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		expect(executions).toHaveLength(1);
		expectOneEventItem(executions[0], { event: 'work-orders.updated', keys: keys.slice(0, 2), deliveryId: delivery.deliveryId });
		expect(nodeOutput(executions[0], TRIGGER)[0]).toMatchObject({ entity: 'workOrder', action: 'updated' });
	});

	test('a delivery from the sandbox’s sender gives exactly one execution; a connection event carries its details', async () => {
		let attempts: DeliveryAttempt[] = [];
		const executions = await executionsOf(1, async () => {
			attempts = await sandboxSend({ event: 'work-orders.inserted', keys: [keys[2]] });
		});
		expect(statuses(attempts)).toEqual([200]);
		expect(executions).toHaveLength(1);
		expectOneEventItem(executions[0], { event: 'work-orders.inserted', keys: [keys[2]], deliveryId: attempts[0].deliveryId });

		const connection = await executionsOf(1, async () => {
			attempts = await sandboxSend({ event: 'connection.sync_failed', details: { sync_status: 'error' } });
		});
		expect(statuses(attempts)).toEqual([200]);
		expect(connection).toHaveLength(1);
		expect(nodeOutput(connection[0], TRIGGER)).toEqual([
			expect.objectContaining({ event: 'connection.sync_failed', entity: 'connection', connectionId: context.sandbox.connections[0].id, details: { sync_status: 'error' } }),
		]);
	});

	test('forged, wrongly keyed and unsigned deliveries get 401 and start nothing', async () => {
		const answers: Array<{ status: number; body: unknown }> = [];
		const attempts: DeliveryAttempt[] = [];
		const executions = await executionsOf(0, async () => {
			for (const mode of ['badSignature', 'wrongSecret', 'unsigned'] as const) {
				attempts.push(...(await sandboxSend({ event: 'work-orders.updated', keys: [keys[3]], mode })));
			}
			// A body changed after signing: the signature of the original body.
			const genuine = signedDelivery(entityPayload('work-orders.updated', [keys[3]]), { secret: secret() });
			const tampered = signedDelivery(entityPayload('work-orders.updated', [keys[4]]), { secret: secret(), signature: genuine.headers['x-webhook-signature'] });
			answers.push(await sendDelivery(client(), path, tampered));
			answers.push(await sendDelivery(client(), path, signedDelivery(entityPayload('work-orders.updated', [keys[4]]), { secret: null })));
		});
		expect(statuses(attempts)).toEqual([401, 401, 401]);
		expect(answers).toEqual([
			{ status: 401, body: { error: 'invalid signature' } },
			{ status: 401, body: { error: 'missing signature' } },
		]);
		expect(executions).toHaveLength(0);
	});

	test('a duplicate starts no second execution: the sender’s duplicate mode, and a resent body without a delivery ID', async () => {
		let attempts: DeliveryAttempt[] = [];
		const executions = await executionsOf(1, async () => {
			attempts = await sandboxSend({ event: 'work-orders.updated', keys: [keys[4]], mode: 'duplicate' });
		});
		expect(statuses(attempts)).toEqual([200, 200]);
		expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(1);
		expect(executions).toHaveLength(1);
		expectOneEventItem(executions[0], { event: 'work-orders.updated', keys: [keys[4]], deliveryId: attempts[0].deliveryId });

		// Makini's documented payload has no ID: the body's fingerprint decides.
		const noId = signedDelivery(entityPayload('work-orders.updated', [keys[5]]), { secret: secret(), deliveryId: null });
		const answers: Array<{ status: number; body: unknown }> = [];
		const byBody = await executionsOf(1, async () => {
			answers.push(await sendDelivery(client(), path, noId));
			answers.push(await sendDelivery(client(), path, noId));
		});
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		expect(answers[1].body).toEqual({ received: true, ignored: 'duplicate delivery' });
		expect(byBody).toHaveLength(1);
		expectOneEventItem(byBody[0], { event: 'work-orders.updated', keys: [keys[5]] });
	});

	test('copies sent concurrently start one execution', async () => {
		let attempts: DeliveryAttempt[] = [];
		const executions = await executionsOf(1, async () => {
			attempts = await sandboxSend({ event: 'work-orders.updated', keys: [keys[0], keys[5]], mode: 'concurrentDuplicates', copies: 6 });
		});
		expect(statuses(attempts)).toEqual([200, 200, 200, 200, 200, 200]);
		expect(executions).toHaveLength(1);
		expectOneEventItem(executions[0], { event: 'work-orders.updated', keys: [keys[0], keys[5]], deliveryId: attempts[0].deliveryId });

		// The same with the test's own requests, all in flight at once.
		const delivery = signedDelivery(entityPayload('work-orders.inserted', [keys[1]]), { secret: secret() });
		let answers: Array<{ status: number; body: unknown }> = [];
		const own = await executionsOf(1, async () => {
			answers = await Promise.all(Array.from({ length: 8 }, () => sendDelivery(client(), path, delivery)));
		});
		expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
		expect(answers.filter((a) => JSON.stringify(a.body).includes('duplicate delivery'))).toHaveLength(7);
		expect(own).toHaveLength(1);
	});

	test('an event the node does not select is acknowledged and starts nothing', async () => {
		let attempts: DeliveryAttempt[] = [];
		let answer: { status: number; body: unknown } | undefined;
		const executions = await executionsOf(0, async () => {
			attempts = await sandboxSend({ event: 'purchase-orders.inserted', keys: [keys[0]] });
			answer = await sendDelivery(client(), path, signedDelivery(entityPayload('assets.updated', [keys[0]]), { secret: secret() }));
		});
		expect(statuses(attempts)).toEqual([200]);
		expect(answer).toEqual({ status: 200, body: { received: true, ignored: 'event not selected' } });
		expect(executions).toHaveLength(0);
	});

	test('the editor’s test URL ("Listen for test event") runs one manual execution with the delivery (a version-1 node, as older workflows hold)', async () => {
		const trigger = makiniTriggerNode(TRIGGER, { events: SELECTED }, context.credentials.webhookSecret!, 1);
		const editing = await client().createWorkflow(chain('Makini Trigger (test URL, e2e)', [trigger]));
		await client().listenForTestWebhook(editing, TRIGGER);
		const delivery = signedDelivery(entityPayload('work-orders.inserted', [keys[4]]), { secret: secret() });
		expect(await sendDelivery(client(), makiniTriggerPath(trigger), delivery, { test: true })).toEqual({
			status: 200,
			body: { message: 'Workflow was started' },
		});
		const executions = await settledExecutions(client(), editing.id, { count: 1, quietMs: QUIET_MS });
		expect(executions).toHaveLength(1);
		expect(executions[0].mode).toBe('manual');
		expect(nodeOutput(executions[0], TRIGGER)).toEqual([expect.objectContaining({ event: 'work-orders.inserted', keys: [keys[4]], deliveryId: delivery.deliveryId })]);
	});

	test('after restarting n8n on the same user folder, a delivery already received starts nothing; a new one runs', async () => {
		// Dated, so it is remembered for Makini's 24-hour retry period: an undated body only for the
		// 2-minute Deduplication Window, which a restart on a loaded machine can outlast.
		const delivery = signedDelivery(entityPayload('work-orders.updated', [keys[2], keys[3]], new Date().toISOString()), { secret: secret() });
		const before = await executionsOf(1, async () => {
			expect((await sendDelivery(client(), path, delivery)).status).toBe(200);
		});
		expect(before).toHaveLength(1);

		const { n8n } = context.session;
		const port = Number(new URL(n8n.url).port);
		await n8n.stop();
		const restarted = await startN8n({ major: 2, userFolder, port });
		context.session.n8n = restarted;
		process.stdout.write(`e2e: n8n restarted on the same user folder in ${restarted.startMs} ms\n`);
		expect(restarted.url).toBe(n8n.url);

		let again: { status: number; body: unknown } | undefined;
		const afterRestart = await executionsOf(0, async () => {
			// Retries "not registered" while n8n activates the workflow again.
			again = await sendDelivery(client(), path, delivery);
		});
		expect(again).toEqual({ status: 200, body: { received: true, ignored: 'duplicate delivery' } });
		expect(afterRestart).toHaveLength(0);

		const concurrent = await executionsOf(0, async () => {
			const answers = await Promise.all(Array.from({ length: 4 }, () => sendDelivery(client(), path, delivery)));
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		});
		expect(concurrent).toHaveLength(0);

		// A new change (other bytes: the signed body, not the unsigned delivery ID, names a delivery).
		const fresh = signedDelivery(entityPayload('work-orders.updated', [keys[3], keys[2]]), { secret: secret() });
		const live = await executionsOf(1, async () => {
			expect((await sendDelivery(client(), path, fresh)).status).toBe(200);
		});
		expect(live).toHaveLength(1);
		expectOneEventItem(live[0], { event: 'work-orders.updated', keys: [keys[3], keys[2]], deliveryId: fresh.deliveryId });
	});
});
