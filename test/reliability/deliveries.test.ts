/**
 * Issue 19's delivery cases through the Makini Trigger's webhook(), as n8n calls it (the
 * webhook harness), each printing its figure:
 * - identity: a captured delivery re-sent under invented delivery IDs, an ID pre-claimed
 *   by an attacker, a flood meant to flush the duplicate memory, copies with and without
 *   the ID header;
 * - timestamps: genuine timestamped deliveries retried on Makini's schedule after
 *   outages of 4, 10, 60 and 600 minutes (and up to 24 h), clocks 15 minutes off, and
 *   replays of executed ones at any point of the 24 hours;
 * - connection events whose details field has another name; credential headers.
 * The clock is simulated (Date.now), so hours pass in milliseconds.
 */
import { createHmac } from 'node:crypto';

import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { WebhookHarness, type DeliveryInput } from '../harness/webhook';
import { figure } from './lib/figures';
import { recognisableSecrets } from './lib/secrets';

const AREA = 'deliveries';
const secrets = recognisableSecrets('deliveries');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let workflows = 0;
function trigger(options: Record<string, string | number | boolean> = {}) {
	return new WebhookHarness(new MakiniTrigger(), {
		parameters: { events: ['*'], options },
		credentials: { makiniWebhookSecretApi: { secret: secrets.webhookSecret, previousSecret: '', signatureHeader: 'X-Webhook-Signature' } },
		workflowId: `wf-deliveries-${++workflows}`,
	});
}

function signed(payload: unknown, headers: Record<string, string | undefined> = {}): DeliveryInput {
	const body = JSON.stringify(payload);
	return { body, headers: { 'X-Webhook-Signature': createHmac('sha256', secrets.webhookSecret).update(body).digest('base64'), ...headers } };
}

/** Makini's retry schedule (CONTRACT.md): from 30 s, doubling, for up to 24 h. Offsets from the first attempt, in ms. */
function retrySchedule(): number[] {
	const at: number[] = [0];
	for (let wait = 30_000; at[at.length - 1] + wait <= 24 * HOUR; wait *= 2) at.push(at[at.length - 1] + wait);
	return at;
}

let clock: jest.SpyInstance<number, []>;
let now = Date.parse('2026-06-01T08:00:00Z');
beforeEach(() => {
	clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => clock.mockRestore());

describe('delivery identity: no unsigned value decides', () => {
	it('a captured delivery re-sent under 2,000 invented delivery IDs executes 0 extra times', async () => {
		const harness = trigger();
		for (const timestamped of [false, true]) {
			const payload = { event: 'work-orders.updated', body: [`WO-CAPTURED-${timestamped}`], ...(timestamped ? { timestamp: new Date(now).toISOString() } : {}) };
			expect((await harness.deliver(signed(payload, { 'X-Makini-Delivery-Id': 'dlv_genuine' }))).executed).toBe(true);
		}
		let extra = 0;
		for (let i = 0; i < 2000; i++) {
			const timestamped = i % 2 === 1;
			const payload = { event: 'work-orders.updated', body: [`WO-CAPTURED-${timestamped}`], ...(timestamped ? { timestamp: new Date(now).toISOString() } : {}) };
			if ((await harness.deliver(signed(payload, { 'X-Makini-Delivery-Id': `dlv_invented_${i}` }))).executed) extra++;
		}
		figure(AREA, 'captured delivery re-sent with 2,000 invented IDs: executed extra', extra);
		expect(extra).toBe(0);
	});

	it('copies are recognised the same with and without the ID header', async () => {
		const harness = trigger();
		let runs = 0;
		const payload = { event: 'assets.updated', body: ['A-HDR'] };
		for (const headers of [{ 'X-Makini-Delivery-Id': 'dlv_x' }, {}, { 'X-Makini-Delivery-Id': 'dlv_y' }, {}]) {
			if ((await harness.deliver(signed(payload, headers))).executed) runs++;
		}
		const other = trigger();
		const first = await other.deliver(signed(payload));
		const withId = await other.deliver(signed(payload, { 'X-Makini-Delivery-Id': 'dlv_z' }));
		figure(AREA, 'delivery sent with an ID then without, and without then with: executions', `${runs} and ${Number(first.executed) + Number(withId.executed)} (1 each expected)`);
		expect(runs).toBe(1);
		expect(first.executed).toBe(true);
		expect(withId.executed).toBe(false);
	});

	it('pre-claiming a delivery ID does not stop the genuine delivery', async () => {
		const harness = trigger();
		// The attacker replays an old captured delivery under the ID the next genuine one will carry.
		await harness.deliver(signed({ event: 'work-orders.updated', body: ['WO-OLD'] }));
		let squatted = 0;
		for (let i = 0; i < 100; i++) {
			await harness.deliver(signed({ event: 'work-orders.updated', body: ['WO-OLD'] }, { 'X-Makini-Delivery-Id': `dlv_next_${i}` }));
		}
		for (let i = 0; i < 100; i++) {
			const genuine = await harness.deliver(signed({ event: 'work-orders.updated', body: [`WO-NEW-${i}`] }, { 'X-Makini-Delivery-Id': `dlv_next_${i}` }));
			if (!genuine.executed) squatted++;
		}
		figure(AREA, 'genuine deliveries whose ID was pre-claimed: not executed', `${squatted} of 100`);
		expect(squatted).toBe(0);
	});

	it('a flood of replays meant to flush the duplicate memory does not make a genuine retry run twice', async () => {
		const harness = trigger();
		const genuine = signed({ event: 'connection.sync_failed', connection_id: 'c-1', timestamp: new Date(now).toISOString(), details: { error: 'x' } });
		expect((await harness.deliver(genuine)).executed).toBe(true);
		// Captured deliveries (the attacker holds 50) replayed under 20,000 invented IDs: no new entry can be made.
		const captured = Array.from({ length: 50 }, (_, i) => signed({ event: 'assets.updated', body: [`A-FLOOD-${i}`], timestamp: new Date(now - i).toISOString() }));
		for (const c of captured) await harness.deliver(c);
		let floodRuns = 0;
		for (let i = 0; i < 20_000; i++) {
			const c = captured[i % captured.length];
			if ((await harness.deliver({ ...c, headers: { ...c.headers, 'X-Makini-Delivery-Id': `dlv_flood_${i}` } })).executed) floodRuns++;
		}
		now += 2 * HOUR;
		const retry = await harness.deliver(genuine);
		figure(AREA, 'flush attempt (20,000 replays under invented IDs): replays executed, genuine retry executed again', `${floodRuns}, ${retry.executed ? 1 : 0}`);
		expect(floodRuns).toBe(0);
		expect(retry.executed).toBe(false);
	});
});

describe('timestamps: from Makini’s retry schedule, not a window', () => {
	it('a genuine delivery retried after 4, 10, 60, 600 and 1,020 minutes down executes exactly once; its replays never', async () => {
		const schedule = retrySchedule();
		const results: string[] = [];
		// Makini's last retry inside 24 h is 30 s × (2^11 − 1) ≈ 17 h 4 min after the first attempt.
		for (const downMinutes of [4, 10, 60, 600, 1020]) {
			const harness = trigger();
			const started = now;
			const delivery = signed({ event: 'connection.sync_failed', connection_id: 'c-out', timestamp: new Date(started).toISOString(), details: { error: `down ${downMinutes}` } });
			let executed = 0;
			let refused = 0;
			for (const offset of schedule) {
				if (offset < downMinutes * MINUTE) continue; // n8n was down: the attempt never reached the node
				now = started + offset;
				const outcome = await harness.deliver(delivery);
				if (outcome.executed) executed++;
				if (outcome.answer.status >= 400) refused++;
			}
			// Replays of the executed delivery at any later point of the 24 h (plus the skew).
			let replays = 0;
			for (let at = downMinutes * MINUTE; at <= 24 * HOUR + 15 * MINUTE; at += 7 * MINUTE) {
				now = started + at;
				if ((await harness.deliver(delivery)).executed) replays++;
			}
			results.push(`${downMinutes} min: executed ${executed}, refused ${refused}, replays executed ${replays}`);
			expect({ downMinutes, executed, refused, replays }).toEqual({ downMinutes, executed: 1, refused: 0, replays: 0 });
			now = started + 25 * HOUR;
		}
		figure(AREA, 'genuine timestamped delivery retried on Makini’s schedule after an outage', results.join('; '));
		// And whatever the sender's exact schedule: a first arrival anywhere within 24 h (+ skew) runs once.
		let late = 0;
		for (const hours of [1, 6, 12, 18, 23.9, 24.2]) {
			const harness = trigger();
			const delivery = signed({ event: 'connection.system_error', connection_id: 'c-late', timestamp: new Date(now - hours * HOUR).toISOString() });
			if ((await harness.deliver(delivery)).executed) late++;
			if ((await harness.deliver(delivery)).executed) late += 100;
		}
		figure(AREA, 'first arrival 1 .. 24.2 h after the event: executed once each', `${late} of 6`);
		expect(late).toBe(6);
	});

	it('clocks 15 minutes apart either way are accepted; a timestamp past 24 h + skew is refused', async () => {
		const harness = trigger();
		let accepted = 0;
		for (const skew of [-15, -14, -6, 0, 6, 14, 15]) {
			if ((await harness.deliver(signed({ event: 'connection.status_changed', connection_id: `c-${skew}`, timestamp: new Date(now + skew * MINUTE).toISOString() }))).executed) accepted++;
		}
		const tooOld = await harness.deliver(signed({ event: 'connection.status_changed', connection_id: 'c-old', timestamp: new Date(now - 24 * HOUR - 16 * MINUTE).toISOString() }));
		const tooNew = await harness.deliver(signed({ event: 'connection.status_changed', connection_id: 'c-new', timestamp: new Date(now + 16 * MINUTE).toISOString() }));
		figure(AREA, 'clock skew -15 .. +15 min accepted; 24 h 16 min old, 16 min ahead refused', `${accepted} of 7; ${tooOld.answer.status}, ${tooNew.answer.status}`);
		expect(accepted).toBe(7);
		expect(tooOld.answer.status).toBe(401);
		expect(tooNew.answer.status).toBe(401);
	});
});

describe('connection events and headers in the output', () => {
	it('every field of a connection event reaches the output, whatever the details field is called', async () => {
		const harness = trigger();
		const payloads = [
			{ event: 'sync.failed', connection_id: 'c-9', timestamp: new Date(now).toISOString(), body: { error: 'Invalid platform credentials' } },
			{ event: 'connection.sync_failed', connectionId: 'c-9', timestamp: new Date(now + 1).toISOString(), data: { message: 'Timeout', code: 'E1' }, extra: 7 },
			{ event: 'connection.reauthorization_required', connection: { id: 'c-9' }, occurred_at: new Date(now + 2).toISOString(), error: 'Token revoked' },
		];
		let missing = 0;
		for (const payload of payloads) {
			const outcome = await harness.deliver(signed(payload));
			const item = outcome.items[0]?.json ?? {};
			if (JSON.stringify(item.payload) !== JSON.stringify(payload)) missing++;
			if (item.connectionId !== 'c-9' || !item.details || Object.keys(item.details as object).length === 0) missing++;
		}
		const first = (await trigger().deliver(signed(payloads[0]))).items[0].json;
		figure(AREA, 'connection events with details under other names: fields lost', `${missing} (sync.failed body.error → details.error = ${JSON.stringify((first.details as { error?: string }).error)})`);
		expect(missing).toBe(0);
		expect(first.details).toEqual({ error: 'Invalid platform credentials' });
	});

	it('credential headers never reach an output item', async () => {
		const harness = trigger();
		const credentialHeaders = {
			Authorization: 'Bearer tok_abcdef',
			Cookie: 'session=s3cr3t',
			'Proxy-Authorization': 'Basic cHJveHk6cHc=',
			'Set-Cookie': 'a=b',
			'X-Api-Key': 'key_123',
			'X-Auth-Token': 'tok_2',
			'X-Upstream-Secret': 'zzz',
		};
		const outcome = await harness.deliver(signed({ event: 'assets.updated', body: ['A-HEAD'] }, { ...credentialHeaders, 'X-Makini-Event': 'assets.updated' }));
		const headers = outcome.items[0].json.headers as Record<string, unknown>;
		const leaked = Object.keys(credentialHeaders).filter((name) => name.toLowerCase() in headers);
		const text = JSON.stringify(outcome.items);
		const values = Object.values(credentialHeaders).filter((v) => text.includes(v));
		figure(AREA, 'credential headers (authorization, cookie, proxy-authorization, set-cookie, API keys) in output items', `${leaked.length + values.length} of ${Object.keys(credentialHeaders).length}`);
		expect(leaked).toEqual([]);
		expect(values).toEqual([]);
		expect(headers['x-makini-event']).toBe('assets.updated');
	});

	it('a validly signed delivery without a Content-Type is told the header is missing', async () => {
		const harness = trigger();
		const delivery = signed({ event: 'assets.updated', body: ['A-CT'] });
		const outcome = await harness.deliver({ ...delivery, headers: { ...delivery.headers, 'content-type': undefined }, withoutRawBody: true });
		figure(AREA, 'signed delivery without Content-Type answered', `${outcome.answer.status} ${JSON.stringify(outcome.answer.body)}`);
		expect(outcome.answer.status).toBe(415);
		expect(JSON.stringify(outcome.answer.body)).toContain('Content-Type');
	});
});
