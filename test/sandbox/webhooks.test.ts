/**
 * The webhook sender: Makini's signature (checked here with node:crypto), the delivery
 * modes receivers must survive, retries with backoff on non-2xx, automatic deliveries
 * on record changes and connection events, and the delivery log.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { CONNECTION_EVENTS, startSandbox, type SandboxHandle } from '../../sandbox';
import type { Json } from './helpers';

interface Received {
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A receiver on loopback that records every POST and answers the next queued status (200 when none). */
async function receiver() {
	const received: Received[] = [];
	const answers: number[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(answers.shift() ?? 200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/makini`;
	return { url, received, answers, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function verifies(secret: string, delivery: Received): boolean {
	const header = delivery.headers['x-webhook-signature'];
	if (typeof header !== 'string') return false;
	const expected = createHmac('sha256', secret).update(delivery.body).digest();
	const given = Buffer.from(header, 'base64');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('sandbox webhooks', () => {
	let sb: SandboxHandle;
	let target: Awaited<ReturnType<typeof receiver>>;

	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 100, retryBaseMs: 10, maxDeliveryAttempts: 3, webhookBatchMs: 20 });
		target = await receiver();
		sb.webhooks.register({ url: target.url });
	});
	afterAll(async () => {
		await sb.close();
		await target.close();
	});
	beforeEach(async () => {
		await sb.webhooks.idle();
		target.received.length = 0;
		target.answers.length = 0;
		sb.webhooks.clearLog();
		sb.webhooks.setAuto({ enabled: false, includeTimestamp: false });
	});

	it('signs base64(HMAC-SHA256(secret, JSON.stringify(payload))) and sends that exact JSON', async () => {
		const keys = sb.admin.listRecords({ collection: 'work-orders' }).slice(0, 3).map((r) => r.key);
		const [attempt] = await sb.webhooks.send({ event: 'work-orders.updated', keys });
		expect(attempt).toMatchObject({ status: 200, ok: true, attempt: 1, signed: true });
		expect(target.received).toHaveLength(1);
		const [delivery] = target.received;
		expect(delivery.body).toBe(JSON.stringify({ event: 'work-orders.updated', body: keys }));
		expect(verifies(sb.webhookSecret, delivery)).toBe(true);
		expect(delivery.headers['x-makini-delivery-id']).toBe(attempt.deliveryId);
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(verifies('another-secret', delivery)).toBe(false);
	});

	it('sends the same delivery twice, or several copies at the same moment', async () => {
		await sb.webhooks.send({ event: 'assets.updated', keys: ['01000000000001'], mode: 'duplicate' });
		expect(target.received).toHaveLength(2);
		expect(target.received[0].body).toBe(target.received[1].body);
		expect(target.received[0].headers['x-makini-delivery-id']).toBe(target.received[1].headers['x-makini-delivery-id']);

		target.received.length = 0;
		const copies = await sb.webhooks.send({ event: 'assets.updated', keys: ['01000000000002'], mode: 'concurrentDuplicates', copies: 4 });
		expect(copies).toHaveLength(4);
		expect(new Set(target.received.map((r) => r.headers['x-makini-delivery-id'])).size).toBe(1);
		expect(target.received.every((r) => verifies(sb.webhookSecret, r))).toBe(true);
	});

	it('delivers a batch out of order, one event per key', async () => {
		const keys = ['01000000000011', '01000000000012', '01000000000013', '01000000000014', '01000000000015', '01000000000016'];
		await sb.webhooks.send({ event: 'purchase-orders.updated', keys, mode: 'outOfOrder' });
		const order = target.received.map((r) => (JSON.parse(r.body) as { body: string[] }).body);
		expect(order.every((body) => body.length === 1)).toBe(true);
		expect(order.flat().sort()).toEqual(keys);
		expect(order.flat()).not.toEqual(keys);
	});

	it('sends bad, missing and wrongly keyed signatures on demand', async () => {
		await sb.webhooks.send({ event: 'sites.updated', keys: ['1'], mode: 'badSignature' });
		await sb.webhooks.send({ event: 'sites.updated', keys: ['2'], mode: 'wrongSecret' });
		await sb.webhooks.send({ event: 'sites.updated', keys: ['3'], mode: 'unsigned' });
		const [bad, wrong, unsigned] = target.received;
		expect(typeof bad.headers['x-webhook-signature']).toBe('string');
		expect(verifies(sb.webhookSecret, bad)).toBe(false);
		expect(typeof wrong.headers['x-webhook-signature']).toBe('string');
		expect(verifies(sb.webhookSecret, wrong)).toBe(false);
		expect(unsigned.headers['x-webhook-signature']).toBeUndefined();
	});

	it('sends late when asked, and adds a timestamp when asked', async () => {
		await sb.webhooks.send({ event: 'work-orders.inserted', keys: ['4'], mode: 'late', delayMs: 30, includeTimestamp: true });
		const payload = JSON.parse(target.received[0].body);
		expect(payload).toEqual({ event: 'work-orders.inserted', body: ['4'], timestamp: expect.any(String) });
		expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
		expect(verifies(sb.webhookSecret, target.received[0])).toBe(true);
	});

	it('retries a non-2xx answer with backoff until accepted, and stops after the bounded attempts', async () => {
		target.answers.push(500, 503);
		const [first] = await sb.webhooks.send({ event: 'work-orders.updated', keys: ['5'] });
		expect(first.status).toBe(500);
		await sb.webhooks.idle();
		const attempts = sb.webhooks.log().filter((a) => a.deliveryId === first.deliveryId);
		expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 500], [2, 503], [3, 200]]);
		expect(new Set(target.received.map((r) => r.body)).size).toBe(1);

		target.answers.push(500, 500, 500, 500);
		const [failing] = await sb.webhooks.send({ event: 'work-orders.updated', keys: ['6'] });
		await sb.webhooks.idle();
		const all = sb.webhooks.log().filter((a) => a.deliveryId === failing.deliveryId);
		expect(all.map((a) => a.status)).toEqual([500, 500, 500]);
	});

	it('delivers automatically on inserts and updates of sites, assets, purchase orders and work orders', async () => {
		sb.webhooks.setAuto({ enabled: true });
		const [workOrder] = sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: 'From the CMMS' }] });
		sb.admin.upsertRecords({ collection: 'work-orders', records: [{ key: workOrder.key, title: 'Edited in the CMMS' }] });
		const site = sb.admin.listRecords({ collection: 'sites' })[0];
		const response = await fetch(`${sb.url}/api/eam/assets`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.apiToken}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'New pump', siteKey: site.key }),
		});
		const asset = ((await response.json()) as Json).data;
		sb.admin.upsertRecords({ collection: 'materials', records: [{ name: 'No webhook for materials' }] });
		await sb.webhooks.idle();
		const payloads = target.received.map((r) => JSON.parse(r.body));
		expect(payloads).toEqual(
			expect.arrayContaining([
				{ event: 'work-orders.inserted', body: [workOrder.key] },
				{ event: 'work-orders.updated', body: [workOrder.key] },
				{ event: 'assets.inserted', body: [asset.key] },
			]),
		);
		expect(payloads.some((p) => String(p.event).startsWith('materials'))).toBe(false);
		expect(target.received.every((r) => verifies(sb.webhookSecret, r))).toBe(true);
	});

	it('announces connection events with event, timestamp, connection_id and details', async () => {
		sb.webhooks.setAuto({ enabled: true });
		sb.admin.requireReauthorization();
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		await sb.admin.resetScenarios();
		await sb.webhooks.idle();
		const payloads = target.received.map((r) => JSON.parse(r.body));
		const reauth = payloads.find((p) => p.event === CONNECTION_EVENTS.reauthorizationRequired);
		expect(reauth).toEqual({ event: 'connection.reauthorization_required', timestamp: expect.any(String), connection_id: sb.connections[0].id, details: expect.any(Object) });
		expect(payloads.find((p) => p.event === CONNECTION_EVENTS.syncFailed)?.details).toMatchObject({ sync_status: 'error' });
	});

	it('registers targets, sends and reads the log over HTTP', async () => {
		const second = await receiver();
		const post = (path: string, body: unknown) =>
			fetch(`${sb.url}/__sandbox${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Json>);
		const registered = await post('/webhooks/targets', { url: second.url, secret: 'per-target-secret', events: ['connection.system_error'] });
		await post('/webhooks/send', { event: 'connection.system_error', details: { message: 'ERP timeout' } });
		expect(second.received).toHaveLength(1);
		expect(verifies('per-target-secret', second.received[0])).toBe(true);
		const log = (await (await fetch(`${sb.url}/__sandbox/webhooks/log`)).json()) as Json;
		expect(log.data.some((a: Json) => a.targetId === registered.data.id && a.status === 200)).toBe(true);
		expect((await fetch(`${sb.url}/__sandbox/webhooks/targets/${registered.data.id}`, { method: 'DELETE' })).status).toBe(200);
		await second.close();
	});
});
