/**
 * The trigger's webhook() against signed deliveries, through the IWebhookFunctions
 * harness: what is answered, whether an execution starts, what it outputs.
 */
import { createHash } from 'node:crypto';

import type { MakiniTrigger as MakiniTriggerType } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { credentials, PREVIOUS_SECRET, SECRET, sign, signed, triggerHarness } from './helpers';

const entity = { event: 'work-orders.updated', body: ['WO-1', 'WO-2'] };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** Everything a harness saw: answers, logs and items, as one text to search for leaks. */
function everything(harness: ReturnType<typeof triggerHarness>, answers: unknown[]) {
	return JSON.stringify({ answers, logs: harness.logs, executions: harness.executions });
}

afterEach(() => jest.restoreAllMocks());

describe('a valid delivery', () => {
	it('is answered by n8n once the execution is stored, with static data saved before the answer', async () => {
		// n8n 2.41.1 reads webhookResponse for its onReceived answer after WorkflowRunner.run()
		// stored the execution, and saves static data right before answering. Preparing the
		// execution resets the "static data changed" mark: the node marks it again when its
		// answer is read, or the ledger would never be saved and a restart would run every copy.
		const harness = triggerHarness();
		const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_answered' });
		const outcome = await harness.deliver(delivery);
		expect(outcome.result.noWebhookResponse).toBeUndefined();
		expect(outcome.result.workflowData?.[0]).toHaveLength(1);
		expect(outcome.answer).toEqual(expect.objectContaining({ status: 200, body: { message: 'Workflow was started' } }));
		const restarted = triggerHarness({}, { staticData: harness.saved });
		expect((await restarted.deliver(delivery)).answer.body).toEqual({ received: true, ignored: 'duplicate delivery' });
	});

	it('lets Makini retry a delivery n8n failed to store: answered 500, remembered nowhere, the retry runs once', async () => {
		const harness = triggerHarness();
		const delivery = signed(entity);
		const failed = await harness.deliver(delivery, 'not stored');
		expect(failed.answer.status).toBe(500);
		expect(failed.executed).toBe(false);
		const retry = await harness.deliver(delivery);
		expect(retry.executed).toBe(true);
		expect(retry.answer.status).toBe(200);
		expect((await harness.deliver(delivery)).answer.body).toEqual({ received: true, ignored: 'duplicate delivery' });
		expect(harness.executions).toHaveLength(1);
	});

	it('holds a copy arriving while the first is being stored until its outcome is known', async () => {
		const harness = triggerHarness();
		const delivery = signed(entity);
		const [first, copy] = await Promise.all([harness.deliver(delivery), harness.deliver(delivery)]);
		expect([first.executed, copy.executed].filter(Boolean)).toHaveLength(1);
		expect([first.answer.body, copy.answer.body]).toContainEqual({ received: true, ignored: 'duplicate delivery' });
		expect(harness.executions).toHaveLength(1);
	});

	it('starts one execution, answered 200 at once, with the event, its keys and the delivery facts', async () => {
		const harness = triggerHarness();
		const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_valid', 'X-Makini-Event': 'work-orders.updated' });
		const outcome = await harness.deliver(delivery);

		expect(outcome.executed).toBe(true);
		expect(outcome.answer).toMatchObject({ status: 200, body: { message: 'Workflow was started' } });
		expect(outcome.items).toHaveLength(1);
		const item = outcome.items[0].json;
		expect(item).toMatchObject({
			event: 'work-orders.updated',
			receivedEvent: 'work-orders.updated',
			entity: 'workOrder',
			action: 'updated',
			keys: ['WO-1', 'WO-2'],
			connectionId: null,
			timestamp: null,
			deliveryId: 'dlv_valid',
			fingerprint: createHash('sha256').update(delivery.body).digest('hex'),
		});
		expect(Date.parse(item.receivedAt as string)).not.toBeNaN();
		expect(item.headers).toMatchObject({ 'x-makini-event': 'work-orders.updated', 'x-makini-delivery-id': 'dlv_valid' });
		expect(item.headers).not.toHaveProperty('x-webhook-signature');
		expect(everything(harness, [outcome.answer])).not.toContain(SECRET);
		expect(everything(harness, [outcome.answer])).not.toContain(delivery.headers['X-Webhook-Signature']);
	});

	it('outputs one item per record key when asked', async () => {
		const harness = triggerHarness({ options: { splitKeys: true } });
		const outcome = await harness.deliver(signed(entity));
		expect(outcome.items.map((i) => i.json.key)).toEqual(['WO-1', 'WO-2']);
		expect(outcome.items[0].json).not.toHaveProperty('keys');
		expect(outcome.items[1].json).toMatchObject({ event: 'work-orders.updated', entity: 'workOrder' });
	});

	it('carries a connection event’s connection ID, timestamp and details', async () => {
		const harness = triggerHarness({ events: ['connection.sync_failed'] });
		const timestamp = minutesAgo(1);
		const payload = { event: 'connection.sync_failed', timestamp, connection_id: 'conn_42', details: { error: 'timeout' } };
		const outcome = await harness.deliver(signed(payload));
		expect(outcome.executed).toBe(true);
		expect(outcome.items[0].json).toMatchObject({
			event: 'connection.sync_failed',
			entity: 'connection',
			action: 'sync_failed',
			connectionId: 'conn_42',
			timestamp,
			details: { error: 'timeout' },
			keys: [],
		});
	});

	it('accepts an alias spelling and reports the canonical name', async () => {
		const harness = triggerHarness({ events: ['connection.sync_completed', 'work-orders.inserted'] });
		const sync = await harness.deliver(signed({ event: 'sync.completed', timestamp: minutesAgo(0) }));
		expect(sync.items[0].json).toMatchObject({ event: 'connection.sync_completed', receivedEvent: 'sync.completed' });
		const wo = await harness.deliver(signed({ event: 'workOrders.inserted', body: ['WO-9'] }));
		expect(wo.items[0].json).toMatchObject({ event: 'work-orders.inserted', receivedEvent: 'workOrders.inserted' });
	});

	it('verifies the documented JSON.stringify form when the body was pretty-printed', async () => {
		const harness = triggerHarness();
		const pretty = JSON.stringify(entity, null, 2);
		const outcome = await harness.deliver({ body: pretty, headers: { 'X-Webhook-Signature': sign(SECRET, JSON.stringify(entity)) } });
		expect(outcome.executed).toBe(true);
	});

	it('verifies the documented form when n8n kept no raw body', async () => {
		const harness = triggerHarness();
		const outcome = await harness.deliver({ ...signed(entity), withoutRawBody: true });
		expect(outcome.executed).toBe(true);
		expect(outcome.items[0].json.keys).toEqual(['WO-1', 'WO-2']);
	});

	it('reads the signature from the header the credential names', async () => {
		const harness = triggerHarness({}, { credentials: credentials({ signatureHeader: 'X-Makini-Signature' }) });
		const body = JSON.stringify(entity);
		const ok = await harness.deliver({ body, headers: { 'X-Makini-Signature': sign(SECRET, body) } });
		expect(ok.executed).toBe(true);
		expect(ok.items[0].json.headers).not.toHaveProperty('x-makini-signature');
		const other = await harness.deliver({ body, headers: { 'X-Webhook-Signature': sign(SECRET, body) } });
		expect(other.answer).toMatchObject({ status: 401, body: { error: 'missing signature' } });
	});

	it('accepts the previous secret during a rotation', async () => {
		const rotating = triggerHarness({}, { credentials: credentials({ previousSecret: PREVIOUS_SECRET }) });
		expect((await rotating.deliver(signed(entity, {}, PREVIOUS_SECRET))).executed).toBe(true);
		const rotated = triggerHarness();
		expect((await rotated.deliver(signed(entity, {}, PREVIOUS_SECRET))).answer.status).toBe(401);
	});
});

describe('forged and broken deliveries', () => {
	it.each([
		['a forged signature', (body: string) => ({ 'X-Webhook-Signature': sign('guessed-secret', body) }), 'invalid signature'],
		['a signature of another body', () => ({ 'X-Webhook-Signature': sign(SECRET, '{"event":"sites.updated","body":[]}') }), 'invalid signature'],
		['garbage in the header', () => ({ 'X-Webhook-Signature': 'trust me' }), 'invalid signature'],
		['no signature', () => ({}), 'missing signature'],
	])('refuses %s with 401 and starts nothing', async (_name, headers, error) => {
		const harness = triggerHarness();
		const body = JSON.stringify(entity);
		const outcome = await harness.deliver({ body, headers: headers(body) });
		expect(outcome.executed).toBe(false);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(outcome.answer).toEqual(expect.objectContaining({ status: 401, body: { error } }));
		const seen = everything(harness, [outcome.answer]);
		expect(seen).not.toContain(SECRET);
		expect(seen).not.toContain(sign(SECRET, body));
		expect(harness.logs.some((l) => l.level === 'warn' && l.message.includes('401'))).toBe(true);
	});

	it('refuses malformed JSON with 400 when signed, 401 when not', async () => {
		const harness = triggerHarness();
		const body = '{"event":"assets.updated","body":[';
		// text/plain: n8n passes the text through (for application/json n8n itself answers 422).
		const signedBad = await harness.deliver({ body, contentType: 'text/plain', headers: { 'X-Webhook-Signature': sign(SECRET, body) } });
		expect(signedBad.answer).toMatchObject({ status: 400, body: { error: 'malformed JSON' } });
		const unsignedBad = await harness.deliver({ body, contentType: 'text/plain', headers: { 'X-Webhook-Signature': sign('x', body) } });
		expect(unsignedBad.answer.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('refuses a signed JSON value that is not an object, and a signed empty body, with 400', async () => {
		const harness = triggerHarness();
		expect((await harness.deliver(signed('["assets.updated"]'))).answer).toMatchObject({
			status: 400,
			body: { error: 'payload is not a JSON object' },
		});
		const empty = await harness.deliver({ body: '', headers: { 'X-Webhook-Signature': sign(SECRET, '') } });
		expect(empty.answer.status).toBe(400);
		expect(harness.executions).toHaveLength(0);
	});

	it('refuses an oversized body with 413 before verifying anything', async () => {
		const harness = triggerHarness({ options: { maxBodySizeKb: 1 } });
		const big = { event: 'assets.updated', body: Array.from({ length: 200 }, (_, i) => `ASSET-${i}`) };
		const outcome = await harness.deliver(signed(big));
		expect(outcome.answer).toMatchObject({ status: 413 });
		expect((outcome.answer.body as { error: string }).error).toContain('1024 bytes');
		// A declared length over the limit is refused as well.
		const declared = await harness.deliver({ ...signed(entity), headers: { ...signed(entity).headers, 'Content-Length': '5000' } });
		expect(declared.answer.status).toBe(413);
		expect((await harness.deliver(signed(entity))).executed).toBe(true);
	});

	it('accepts a timestamp anywhere in Makini’s 24-hour retry period plus the skew, and refuses one beyond', async () => {
		const harness = triggerHarness();
		const old = await harness.deliver(signed({ ...entity, timestamp: minutesAgo(24 * 60 + 16) }));
		expect(old.answer).toMatchObject({ status: 401, body: { error: 'timestamp older than Makini’s 24-hour retry period' } });
		const ahead = await harness.deliver(signed({ ...entity, timestamp: minutesAgo(-16) }));
		expect(ahead.answer).toMatchObject({ status: 401, body: { error: 'timestamp ahead of this server’s clock by more than the clock skew tolerance' } });
		for (const m of [-14, 1, 6, 60, 600, 24 * 60 + 14]) {
			expect((await harness.deliver(signed({ ...entity, timestamp: minutesAgo(m) }))).executed).toBe(true);
		}
		const tight = triggerHarness({ options: { clockSkew: 0 } });
		expect((await tight.deliver(signed({ ...entity, timestamp: minutesAgo(-2) }))).answer.status).toBe(401);
	});

	it('tells a signed delivery without a Content-Type that the header is missing, not that the signature is wrong', async () => {
		const harness = triggerHarness();
		const delivery = signed(entity);
		// n8n parses no body and keeps no raw bytes for a request without a Content-Type.
		const outcome = await harness.deliver({ ...delivery, headers: { ...delivery.headers, 'content-type': undefined }, withoutRawBody: true });
		expect(outcome.answer).toMatchObject({ status: 415, body: { error: 'Content-Type header missing: send the body as application/json' } });
		expect(outcome.executed).toBe(false);
	});
});

describe('event selection', () => {
	it('acknowledges an event that is not selected with 200 and starts nothing', async () => {
		const harness = triggerHarness({ events: ['assets.updated'] });
		const outcome = await harness.deliver(signed(entity));
		expect(outcome.answer).toMatchObject({ status: 200, body: { received: true, ignored: 'event not selected' } });
		expect(outcome.executed).toBe(false);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
	});

	it('lets unknown event names through only with All Events', async () => {
		const unknown = { event: 'invoices.updated', body: ['INV-1'] };
		const specific = triggerHarness({ events: ['work-orders.updated'] });
		expect((await specific.deliver(signed(unknown))).executed).toBe(false);
		const all = triggerHarness({ events: ['*'] });
		const outcome = await all.deliver(signed(unknown));
		expect(outcome.executed).toBe(true);
		expect(outcome.items[0].json).toMatchObject({ event: 'invoices.updated', entity: null, action: null, keys: ['INV-1'] });
	});

	it('starts nothing when no event is selected', async () => {
		const harness = triggerHarness({ events: [] });
		expect((await harness.deliver(signed(entity))).executed).toBe(false);
	});
});

describe('exactly once per delivery', () => {
	it('answers a repeated delivery ID 200 and starts nothing', async () => {
		const harness = triggerHarness();
		const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_dup' });
		expect((await harness.deliver(delivery)).executed).toBe(true);
		const again = await harness.deliver(delivery);
		expect(again.answer).toMatchObject({ status: 200, body: { received: true, ignored: 'duplicate delivery' } });
		expect(again.executed).toBe(false);
		expect(harness.executions).toHaveLength(1);
	});

	it('starts one execution when copies arrive at the same moment', async () => {
		const harness = triggerHarness();
		const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_concurrent' });
		const outcomes = await Promise.all(Array.from({ length: 8 }, () => harness.deliver(delivery)));
		expect(outcomes.filter((o) => o.executed)).toHaveLength(1);
		expect(outcomes.every((o) => o.answer.status === 200)).toBe(true);
		expect(harness.executions).toHaveLength(1);
	});

	it('starts one execution for concurrent copies without a delivery ID', async () => {
		const harness = triggerHarness();
		const outcomes = await Promise.all(Array.from({ length: 5 }, () => harness.deliver(signed(entity))));
		expect(outcomes.filter((o) => o.executed)).toHaveLength(1);
	});

	it('never lets the unsigned delivery ID header decide: a new ID does not rerun a copy, a taken ID does not stop a delivery', async () => {
		const harness = triggerHarness();
		expect((await harness.deliver(signed(entity, { 'X-Makini-Delivery-Id': 'dlv_a' }))).executed).toBe(true);
		expect((await harness.deliver(signed(entity, { 'X-Makini-Delivery-Id': 'dlv_b' }))).executed).toBe(false);
		expect((await harness.deliver(signed(entity))).executed).toBe(false);
		const other = { event: 'work-orders.updated', body: ['WO-9'] };
		expect((await harness.deliver(signed(other, { 'X-Makini-Delivery-Id': 'dlv_a' }))).executed).toBe(true);
	});

	it('recognises a copy by an ID inside the signed payload for the whole retry period', async () => {
		const harness = triggerHarness();
		const payload = { ...entity, delivery_id: 'dlv_signed_1' };
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
		expect((await harness.deliver(signed(payload))).executed).toBe(true);
		clock.mockReturnValue(now + 23 * 3600_000);
		expect((await harness.deliver(signed(payload))).executed).toBe(false);
		expect((await harness.deliver(signed({ ...entity, delivery_id: 'dlv_signed_2' }))).executed).toBe(true);
	});

	it('without an ID or timestamp, takes an identical body as a copy only within the deduplication window', async () => {
		const harness = triggerHarness({ options: { deduplicationWindow: 2 } });
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
		expect((await harness.deliver(signed(entity))).executed).toBe(true);
		clock.mockReturnValue(now + 119_000);
		expect((await harness.deliver(signed(entity))).executed).toBe(false);
		// After the window the same change to the same records is a new event.
		clock.mockReturnValue(now + 121_000);
		expect((await harness.deliver(signed(entity))).executed).toBe(true);
	});

	it('with a timestamp, recognises a copy for Makini’s whole retry period', async () => {
		const harness = triggerHarness();
		const payload = { ...entity, timestamp: minutesAgo(0) };
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
		expect((await harness.deliver(signed(payload))).executed).toBe(true);
		clock.mockReturnValue(now + 23 * 3600_000);
		expect((await harness.deliver(signed(payload))).executed).toBe(false);
	});

	it('uses the body when the delivery ID header is switched off', async () => {
		const harness = triggerHarness({ options: { deliveryIdHeader: '' } });
		expect((await harness.deliver(signed(entity, { 'X-Makini-Delivery-Id': 'dlv_1' }))).executed).toBe(true);
		const outcome = await harness.deliver(signed(entity, { 'X-Makini-Delivery-Id': 'dlv_2' }));
		expect(outcome.executed).toBe(false);
	});

	it('keeps the production and the editor’s test URL apart', async () => {
		const production = triggerHarness({}, { workflowId: 'wf-modes' });
		const manual = triggerHarness({}, { workflowId: 'wf-modes', mode: 'manual' });
		const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_modes' });
		expect((await production.deliver(delivery)).executed).toBe(true);
		expect((await manual.deliver(delivery)).executed).toBe(true);
	});

	describe('after an n8n restart', () => {
		/** A fresh copy of the node module: its in-process memory is empty, as after a restart. */
		function restartedTrigger(): MakiniTriggerType {
			let fresh: MakiniTriggerType | undefined;
			jest.isolateModules(() => {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				const mod = require('../../nodes/MakiniTrigger/MakiniTrigger.node') as typeof import('../../nodes/MakiniTrigger/MakiniTrigger.node');
				fresh = new mod.MakiniTrigger();
			});
			return fresh!;
		}

		it('still recognises a delivery whose execution succeeded', async () => {
			const before = triggerHarness({}, { workflowId: 'wf-restart-1' });
			const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_restart' });
			expect((await before.deliver(delivery, 'succeeds')).executed).toBe(true);

			const after = triggerHarness({}, { workflowId: 'wf-restart-1', staticData: before.saved, nodeType: restartedTrigger() });
			const retry = await after.deliver(delivery);
			expect(retry.executed).toBe(false);
			expect(retry.answer.body).toEqual({ received: true, ignored: 'duplicate delivery' });
			expect((await after.deliver(signed({ ...entity, body: ['WO-new'] }, { 'X-Makini-Delivery-Id': 'dlv_new' }))).executed).toBe(true);
		});

		it('keeps both of two concurrent deliveries although only the last save survives', async () => {
			const before = triggerHarness({}, { workflowId: 'wf-restart-2' });
			const a = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_A' });
			const b = signed({ ...entity, body: ['WO-B'] }, { 'X-Makini-Delivery-Id': 'dlv_B' });
			await Promise.all([before.deliver(a), before.deliver(b)]);
			expect(before.executions).toHaveLength(2);

			const after = triggerHarness({}, { workflowId: 'wf-restart-2', staticData: before.saved, nodeType: restartedTrigger() });
			expect((await after.deliver(a)).executed).toBe(false);
			expect((await after.deliver(b)).executed).toBe(false);
		});

		it('still recognises a delivery whose execution failed: n8n saved the static data when the webhook answered', async () => {
			const before = triggerHarness({}, { workflowId: 'wf-restart-3' });
			const delivery = signed(entity, { 'X-Makini-Delivery-Id': 'dlv_failed' });
			expect((await before.deliver(delivery, 'fails')).executed).toBe(true);
			// Same process: the memory knows it.
			expect((await before.deliver(delivery)).executed).toBe(false);
			// After a restart: n8n 2.41.1 saved the static data in the webhook's response
			// callback, before and whatever the execution did, so the delivery is known.
			const after = triggerHarness({}, { workflowId: 'wf-restart-3', staticData: before.saved, nodeType: restartedTrigger() });
			expect((await after.deliver(delivery)).executed).toBe(false);
		});
	});
});

describe('out-of-order deliveries', () => {
	it('drops an event older than one already seen for the same record, when asked', async () => {
		const harness = triggerHarness({ options: { dropOutOfOrder: true } });
		const newer = { event: 'work-orders.updated', body: ['WO-7'], timestamp: minutesAgo(1) };
		const older = { event: 'work-orders.updated', body: ['WO-7'], timestamp: minutesAgo(2) };
		expect((await harness.deliver(signed(newer))).executed).toBe(true);
		const late = await harness.deliver(signed(older));
		expect(late.executed).toBe(false);
		expect(late.answer).toMatchObject({ status: 200, body: { received: true, ignored: 'older than an event already received' } });
	});

	it('keeps only the keys that are not outdated', async () => {
		const harness = triggerHarness({ options: { dropOutOfOrder: true } });
		await harness.deliver(signed({ event: 'assets.updated', body: ['A-1'], timestamp: minutesAgo(1) }));
		const mixed = await harness.deliver(signed({ event: 'assets.inserted', body: ['A-1', 'A-2'], timestamp: minutesAgo(3) }));
		expect(mixed.executed).toBe(true);
		expect(mixed.items[0].json.keys).toEqual(['A-2']);
	});

	it('passes everything in arrival order without the option', async () => {
		const harness = triggerHarness();
		await harness.deliver(signed({ event: 'work-orders.updated', body: ['WO-8'], timestamp: minutesAgo(1) }));
		expect((await harness.deliver(signed({ event: 'work-orders.updated', body: ['WO-8'], timestamp: minutesAgo(2) }))).executed).toBe(true);
	});

	it('orders connection events per connection', async () => {
		const harness = triggerHarness({ options: { dropOutOfOrder: true } });
		const at = (m: number, connection_id: string) => signed({ event: 'connection.status_changed', connection_id, timestamp: minutesAgo(m) });
		expect((await harness.deliver(at(1, 'c1'))).executed).toBe(true);
		expect((await harness.deliver(at(2, 'c1'))).executed).toBe(false);
		expect((await harness.deliver(at(2, 'c2'))).executed).toBe(true);
	});
});

describe('what reaches the output', () => {
	it('keeps every field of a connection event: details under any name, and the payload as received', async () => {
		const harness = triggerHarness();
		const payload = { event: 'sync.failed', connection_id: 'c-1', timestamp: minutesAgo(0), body: { error: 'Invalid platform credentials' }, extra: 1 };
		const item = (await harness.deliver(signed(payload))).items[0].json;
		expect(item).toMatchObject({ event: 'connection.sync_failed', connectionId: 'c-1', details: { error: 'Invalid platform credentials' }, payload });
		const plain = (await harness.deliver(signed({ event: 'connection.system_error', connection_id: 'c-1', timestamp: minutesAgo(1), error: 'Boom' }))).items[0].json;
		expect(plain.details).toEqual({ error: 'Boom' });
	});

	it('drops credential headers from the items', async () => {
		const harness = triggerHarness();
		const outcome = await harness.deliver(signed(entity, { Authorization: 'Bearer t', Cookie: 'c=1', 'Proxy-Authorization': 'Basic x', 'X-Api-Key': 'k', 'X-Makini-Event': 'e' }));
		const headers = outcome.items[0].json.headers as Record<string, unknown>;
		for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key']) expect(headers).not.toHaveProperty(name);
		expect(headers['x-makini-event']).toBe('e');
	});
});
