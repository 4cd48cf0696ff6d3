/**
 * Real HTTP over 127.0.0.1 into the trigger, through the loopback webhook server that
 * parses requests as n8n's webhook server does. Signing here is the test's own.
 */
import http from 'node:http';

import { startWebhookServer, type WebhookServer } from '../harness/webhookServer';
import { SECRET, sign, triggerHarness } from './helpers';

function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

describe('the trigger behind a real HTTP server', () => {
	let server: WebhookServer;
	let harness: ReturnType<typeof triggerHarness>;

	beforeEach(async () => {
		harness = triggerHarness({ events: ['work-orders.updated', 'assets.updated'] });
		server = await startWebhookServer(harness, { payloadMaxBytes: 64 * 1024 });
	});
	afterEach(async () => server.close());

	it('binds loopback only', () => {
		expect(new URL(server.url).hostname).toBe('127.0.0.1');
	});

	it('starts an execution for a signed delivery and answers 200 at once', async () => {
		const body = '{"event":"work-orders.updated","body":["WO-1"]}';
		const answer = await post(server.url, body, { 'X-Webhook-Signature': sign(SECRET, body), 'X-Makini-Delivery-Id': 'dlv_http' });
		expect(answer).toEqual({ status: 200, body: JSON.stringify({ message: 'Workflow was started' }) });
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].items[0].json).toMatchObject({ keys: ['WO-1'], deliveryId: 'dlv_http' });
	});

	it('verifies the exact bytes received, whitespace and unicode escapes included', async () => {
		const body = Buffer.from('{ "event" : "assets.updated",\n  "body": ["M\\u00fcnchen-7"] }');
		const answer = await post(server.url, body, { 'X-Webhook-Signature': sign(SECRET, body) });
		expect(answer.status).toBe(200);
		expect(harness.executions[0].items[0].json.keys).toEqual(['München-7']);
	});

	it('refuses a forged delivery with 401 and a short reason, nothing else', async () => {
		const body = '{"event":"work-orders.updated","body":["WO-1"]}';
		const answer = await post(server.url, body, { 'X-Webhook-Signature': sign('forged', body) });
		expect(answer).toEqual({ status: 401, body: JSON.stringify({ error: 'invalid signature' }) });
		expect(harness.executions).toHaveLength(0);
	});

	it('lets n8n answer malformed JSON with 422 before the node runs', async () => {
		const body = '{"event":';
		const answer = await post(server.url, body, { 'X-Webhook-Signature': sign(SECRET, body) });
		expect(answer.status).toBe(422);
		expect(server.outcomes).toHaveLength(0);
	});

	it('answers 200 and starts nothing for an unselected event', async () => {
		const body = '{"event":"sites.updated","body":["S-1"]}';
		const answer = await post(server.url, body, { 'X-Webhook-Signature': sign(SECRET, body) });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({ received: true, ignored: 'event not selected' });
		expect(harness.executions).toHaveLength(0);
	});

	it('starts one execution for concurrent copies over separate connections', async () => {
		const body = '{"event":"assets.updated","body":["A-1","A-2"]}';
		const headers = { 'X-Webhook-Signature': sign(SECRET, body), 'X-Makini-Delivery-Id': 'dlv_race' };
		const answers = await Promise.all(Array.from({ length: 6 }, () => post(server.url, body, headers)));
		expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
		expect(harness.executions).toHaveLength(1);
		expect(server.outcomes.filter((o) => o.executed)).toHaveLength(1);
	});

	it('refuses with 413 what the node’s limit is below, and n8n refuses what is above its own', async () => {
		const small = triggerHarness({ options: { maxBodySizeKb: 1 } });
		const smallServer = await startWebhookServer(small);
		try {
			const body = JSON.stringify({ event: 'assets.updated', body: Array.from({ length: 300 }, (_, i) => `A-${i}`) });
			const answer = await post(smallServer.url, body, { 'X-Webhook-Signature': sign(SECRET, body) });
			expect(answer.status).toBe(413);
			expect(JSON.parse(answer.body).error).toContain('larger than');
		} finally {
			await smallServer.close();
		}
		const huge = Buffer.alloc(70 * 1024, 0x20);
		expect((await post(server.url, huge)).status).toBe(413);
	});
});
