/**
 * Resolve Records against the sandbox (real HTTP, the Makini API credential applied as
 * n8n applies it): a captured undated entity event replayed 1,000 times over a simulated
 * hour, with the mode on and off; a real change of the same record delivered with the
 * same bytes; concurrent copies; Makini unreachable while resolving.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';


import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { WebhookHarness, type DeliveryInput } from '../harness/webhook';
import { figure } from './lib/figures';
import { recognisableSecrets } from './lib/secrets';

const AREA = 'resolve records';
const secrets = recognisableSecrets('resolve-records');
const REPLAYS = 1000;

/** The webhook harness with the Makini API credential too: n8n-core's request helpers apply it as n8n does. */
class ResolvingHarness extends WebhookHarness {
	constructor(sandboxUrl: string, resolve: boolean, workflowId: string) {
		const credentials = {
			makiniWebhookSecretApi: { secret: secrets.webhookSecret, previousSecret: '', signatureHeader: 'X-Webhook-Signature' },
			makiniApi: { apiToken: secrets.apiToken, baseUrl: sandboxUrl },
		};
		super(new MakiniTrigger(), { parameters: { events: ['*'], resolveRecords: resolve, system: 'eam', options: {} }, credentials, workflowId });
	}
}

function signed(payload: unknown): DeliveryInput {
	const body = JSON.stringify(payload);
	return { body, headers: { 'X-Webhook-Signature': createHmac('sha256', secrets.webhookSecret).update(body).digest('base64') } };
}

let sandbox: SandboxHandle;
let workflows = 0;
beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, apiToken: secrets.apiToken, webhookSecret: secrets.webhookSecret });
});
afterAll(async () => {
	await sandbox?.close();
});

function setRecord(key: string, updatedAt: string) {
	sandbox.admin.upsertRecords({ collection: 'work-orders', records: [{ key, title: `Pump check ${updatedAt}`, updatedAt }] });
}

describe('Resolve Records', () => {
	let clock: jest.SpyInstance<number, []>;
	let now = Date.parse('2026-06-01T08:00:00Z');
	beforeEach(() => {
		now = Date.now();
		clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => clock.mockRestore());

	it(`a captured delivery replayed ${REPLAYS} times over an hour: 0 extra executions with the mode on (and how many off)`, async () => {
		const results: Record<string, number> = {};
		for (const resolve of [true, false]) {
			const key = `WO-RESOLVE-${resolve}`;
			setRecord(key, new Date(now - 60_000).toISOString());
			const harness = new ResolvingHarness(sandbox.url, resolve, `wf-resolve-${++workflows}`);
			const delivery = signed({ event: 'work-orders.updated', body: [key] });
			const first = await harness.deliver(delivery);
			expect(first.executed).toBe(true);
			if (resolve) expect(first.items[0].json.records).toEqual([expect.objectContaining({ key })]);
			let extra = 0;
			const started = now;
			for (let i = 0; i < REPLAYS; i++) {
				now = started + Math.round(((i + 1) * 3600_000) / REPLAYS);
				if ((await harness.deliver(delivery)).executed) extra++;
			}
			results[resolve ? 'on' : 'off'] = extra;
			now = started + 3600_000 + 1000;
		}
		figure(AREA, `captured undated delivery replayed ${REPLAYS} times over 1 h (simulated): extra executions`, `mode on ${results.on}, mode off ${results.off} (off: recognised only within the 2-minute Deduplication Window)`);
		expect(results.on).toBe(0);
		// Off, a replay after the window is indistinguishable from a new change: it runs.
		expect(results.off).toBeGreaterThan(0);
	});

	it('a real change of the record, delivered with the very same bytes, is emitted once; concurrent copies emit it once', async () => {
		const key = 'WO-RESOLVE-CHANGE';
		setRecord(key, new Date(now - 60_000).toISOString());
		const harness = new ResolvingHarness(sandbox.url, true, `wf-resolve-${++workflows}`);
		const delivery = signed({ event: 'work-orders.updated', body: [key] });
		expect((await harness.deliver(delivery)).executed).toBe(true);
		now += 10 * 60_000;
		setRecord(key, new Date(now).toISOString());
		const copies = await Promise.all(Array.from({ length: 12 }, () => harness.deliver(delivery)));
		const ran = copies.filter((c) => c.executed);
		figure(AREA, 'real change delivered as 12 concurrent identical copies: executed', `${ran.length} (1 expected)`);
		expect(ran).toHaveLength(1);
		expect((ran[0].items[0].json.records as IDataObject[])[0].updatedAt).toBe(new Date(now).toISOString());
	});

	it('when Makini cannot be read, answers 503 with Retry-After and runs Makini’s retry once Makini is back', async () => {
		const key = 'WO-RESOLVE-DOWN';
		setRecord(key, new Date(now - 60_000).toISOString());
		const harness = new ResolvingHarness(sandbox.url, true, `wf-resolve-${++workflows}`);
		const delivery = signed({ event: 'work-orders.updated', body: [key] });
		sandbox.admin.injectFailure({ status: 500, times: 10 });
		const down = await harness.deliver(delivery);
		sandbox.admin.resetScenarios();
		const retry = await harness.deliver(delivery);
		figure(AREA, 'Makini failing while resolving: first answer, retry executed', `${down.answer.status} (Retry-After ${down.answer.headers?.['retry-after']}), ${retry.executed}`);
		expect(down.answer.status).toBe(503);
		expect(down.executed).toBe(false);
		expect(retry.executed).toBe(true);
	});
});
