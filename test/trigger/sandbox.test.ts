/**
 * The sandbox's webhook sender (Makini's deliveries, with the modes receivers must
 * survive) delivering over 127.0.0.1 to the trigger behind the loopback webhook server.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { startWebhookServer, type WebhookServer } from '../harness/webhookServer';
import { credentials, triggerHarness } from './helpers';

describe('Makini Trigger receiving the sandbox’s deliveries', () => {
	let sb: SandboxHandle;
	let server: WebhookServer;
	let harness: ReturnType<typeof triggerHarness>;
	let targetId: string;

	async function listen(parameters: Parameters<typeof triggerHarness>[0] = {}, secrets: Record<string, string> = {}) {
		if (server) await server.close();
		if (targetId) sb.webhooks.unregister(targetId);
		harness = triggerHarness(parameters, { credentials: credentials({ secret: sb.webhookSecret, ...secrets }) });
		server = await startWebhookServer(harness);
		targetId = sb.webhooks.register({ url: server.url }).id;
	}

	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 50, retryBaseMs: 10, maxDeliveryAttempts: 3, webhookBatchMs: 20, autoWebhooks: false });
	});
	afterAll(async () => {
		await sb.webhooks.idle();
		await server?.close();
		await sb.close();
	});
	beforeEach(async () => {
		await sb.webhooks.idle();
		sb.webhooks.clearLog();
		sb.webhooks.setAuto({ enabled: false, includeTimestamp: false });
	});

	const workOrderKeys = (n: number) => sb.admin.listRecords({ collection: 'work-orders' }).slice(0, n).map((r) => r.key);

	it('turns a signed delivery into one execution with the keys and the delivery ID', async () => {
		await listen();
		const keys = workOrderKeys(3);
		const [attempt] = await sb.webhooks.send({ event: 'work-orders.updated', keys });
		expect(attempt).toMatchObject({ status: 200, ok: true });
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].items[0].json).toMatchObject({
			event: 'work-orders.updated',
			entity: 'workOrder',
			keys,
			deliveryId: attempt.deliveryId,
		});
	});

	it('starts one execution for a duplicated delivery and for concurrent copies', async () => {
		await listen();
		const duplicate = await sb.webhooks.send({ event: 'assets.updated', keys: ['A-1'], mode: 'duplicate' });
		expect(duplicate.map((a) => a.status)).toEqual([200, 200]);
		const copies = await sb.webhooks.send({ event: 'assets.updated', keys: ['A-2'], mode: 'concurrentDuplicates', copies: 5 });
		expect(copies.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
		expect(harness.executions).toHaveLength(2);
		expect(harness.executions.map((e) => e.items[0].json.keys)).toEqual([['A-1'], ['A-2']]);
	});

	it.each(['badSignature', 'unsigned', 'wrongSecret'] as const)('refuses the %s mode with 401 and starts nothing', async (mode) => {
		await listen();
		const [attempt] = await sb.webhooks.send({ event: 'work-orders.updated', keys: ['WO-X'], mode, retry: false });
		expect(attempt.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('accepts deliveries still signed with the previous secret while rotating', async () => {
		await listen({}, { secret: 'whsec_new_rotation_secret_0001', previousSecret: sb.webhookSecret });
		const [attempt] = await sb.webhooks.send({ event: 'sites.inserted', keys: ['S-1'] });
		expect(attempt.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
	});

	it('acknowledges events that are not selected, so Makini does not retry them', async () => {
		await listen({ events: ['purchase-orders.inserted'] });
		const [attempt] = await sb.webhooks.send({ event: 'work-orders.updated', keys: ['WO-1'] });
		expect(attempt.status).toBe(200);
		await sb.webhooks.idle();
		expect(sb.webhooks.log()).toHaveLength(1);
		expect(harness.executions).toHaveLength(0);
	});

	it('never runs an older event for a record after a newer one, whatever order they arrive in', async () => {
		await listen({ options: { dropOutOfOrder: true } });
		const base = Date.now() - 60_000;
		const batch = Array.from({ length: 6 }, (_, i) => ({
			payload: { event: 'work-orders.updated', body: ['WO-ORDER'], timestamp: new Date(base + i * 1000).toISOString() },
		}));
		const attempts = await sb.webhooks.send({ event: 'work-orders.updated', mode: 'outOfOrder', batch });
		expect(attempts.every((a) => a.status === 200)).toBe(true);
		const arrived = attempts.map((a) => Date.parse(JSON.parse(a.body).timestamp as string));
		// Exactly the deliveries newer than everything before them run, in arrival order.
		const expected = arrived.filter((t, i) => arrived.slice(0, i).every((earlier) => earlier < t));
		const executed = harness.executions.map((e) => Date.parse(e.items[0].json.timestamp as string));
		expect(executed).toEqual(expected);
		expect(executed.at(-1)).toBe(base + 5000);
	});

	it('runs a late delivery once it arrives', async () => {
		await listen();
		const [attempt] = await sb.webhooks.send({ event: 'assets.inserted', keys: ['A-LATE'], mode: 'late', delayMs: 30 });
		expect(attempt.status).toBe(200);
		expect(harness.executions[0].items[0].json.keys).toEqual(['A-LATE']);
	});

	it('reports a record changed in the connected system, end to end', async () => {
		await listen({ events: ['work-orders.updated'], options: { splitKeys: true } });
		sb.webhooks.setAuto({ enabled: true, includeTimestamp: true });
		const [key] = workOrderKeys(1);
		sb.admin.upsertRecords({ collection: 'work-orders', records: [{ key, description: 'Changed by the trigger test' }] });
		await sb.webhooks.idle();
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].items[0].json).toMatchObject({ event: 'work-orders.updated', key });
		expect(Date.parse(harness.executions[0].items[0].json.timestamp as string)).not.toBeNaN();
	});

	it('reports connection events with the connection ID', async () => {
		await listen({ events: ['connection.sync_failed'] });
		const [attempt] = await sb.webhooks.send({ event: 'connection.sync_failed', details: { reason: 'credentials rejected' } });
		expect(attempt.status).toBe(200);
		expect(harness.executions[0].items[0].json).toMatchObject({
			event: 'connection.sync_failed',
			entity: 'connection',
			connectionId: sb.connections[0].id,
			details: { reason: 'credentials rejected' },
		});
	});
});
