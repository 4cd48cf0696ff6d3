/**
 * Polls that overlap, as n8n starts them: a tick does not wait for the previous poll, and
 * every poll of an activation shares one static data object. Each case runs the node's
 * poll() concurrently on one shared static data object (not through Poller, which gives
 * each poll a copy), so a trigger without the guard emits twice and fails here.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { NodeHarness, type LoggedLine } from '../harness/execute';
import type { CredentialStore } from '../harness/http';
import { credentialsOf, useSandbox } from './helpers';

const records = new MakiniRecordChangesTrigger();
const health = new MakiniConnectionHealthTrigger();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One activated trigger node as n8n holds it: one static data object, polls started by ticks. */
class SharedTrigger {
	readonly staticData: IDataObject = {};
	readonly logs: LoggedLine[] = [];

	constructor(
		readonly nodeType: INodeType,
		readonly parameters: INodeParameters,
		readonly credentials: CredentialStore,
	) {}

	/** One tick's poll; `nodeName` other than the default stands for a poll the guard cannot see (another node id). */
	async poll(options: { credentials?: CredentialStore; nodeId?: string } = {}): Promise<IDataObject[]> {
		const harness = new NodeHarness(this.nodeType, {
			parameters: this.parameters,
			credentials: options.credentials ?? this.credentials,
			staticData: this.staticData,
			mode: 'trigger',
		});
		if (options.nodeId) (harness.node as { id: string }).id = options.nodeId;
		try {
			const result = await this.nodeType.poll!.call(harness.pollContext());
			return (result?.[0] ?? []).map((item) => item.json);
		} finally {
			this.logs.push(...harness.logs);
		}
	}

	/** Ticks every `intervalMs`, `ticks` times, without waiting for a poll to end (as n8n does). */
	async tick(ticks: number, intervalMs: number): Promise<IDataObject[][]> {
		const polls: Array<Promise<IDataObject[]>> = [];
		for (let i = 0; i < ticks; i++) {
			polls.push(this.poll());
			await sleep(intervalMs);
		}
		return await Promise.all(polls);
	}

	skipped(): LoggedLine[] {
		return this.logs.filter((line) => /previous poll is still running/.test(line.message));
	}
}

/** A Makini that answers `status` after `delayMs` (a slow failure). */
async function slowFailingServer(delayMs: number, status: number): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer((_request, response) => {
		setTimeout(() => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ error: { code: 'INVALID_REQUEST', message: 'Slow failure' } }));
		}, delayMs);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('polling triggers: polls that overlap', () => {
	const env = useSandbox({ maxPageSize: 10 });
	afterEach(async () => {
		await env.sb.admin.resetScenarios();
	});

	test('Record Changes: polls 3× slower than the ticks: each change once, the overlapping ticks skipped and logged', async () => {
		const { sb } = env;
		const trigger = new SharedTrigger(records, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		expect(await trigger.poll()).toEqual([]);
		const inserted = sb.admin.upsertRecords({
			collection: 'work-orders',
			records: Array.from({ length: 10 }, (_, i) => ({ title: `Overlap ${i}` })),
		});
		// Every list request takes 600 ms; a tick every 200 ms.
		sb.admin.injectLatency({ ms: 600, path: '/api/eam/work-orders' });
		const batches = await trigger.tick(9, 200);
		const emitted = batches.flat().map((r) => String(r.key));
		const once = inserted.filter((r) => emitted.filter((key) => key === r.key).length === 1).length;
		console.log(
			`overlapping polls (record changes): ${batches.length} ticks, ${trigger.skipped().length} skipped, ${emitted.length} items for ${inserted.length} changes, ${once} of ${inserted.length} once`,
		);
		expect(emitted.sort()).toEqual(inserted.map((r) => r.key).sort());
		expect(trigger.skipped().length).toBeGreaterThanOrEqual(4);
		expect(trigger.skipped().every((line) => line.level === 'warn')).toBe(true);
	});

	test('Connection Health: polls 3× slower than the ticks: one alert per change', async () => {
		const { sb } = env;
		const trigger = new SharedTrigger(health, { authentication: 'apiToken' }, credentialsOf(sb));
		expect(await trigger.poll()).toEqual([]);
		sb.admin.injectLatency({ ms: 600, path: '/api/integrations/current' });
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		const failed = (await trigger.tick(9, 200)).flat();
		sb.admin.setSyncStatus({ syncStatus: 'done' });
		const recovered = (await trigger.tick(9, 200)).flat();
		console.log(
			`overlapping polls (connection health): 18 ticks, ${trigger.skipped().length} skipped, alerts ${failed.length} sync_failed + ${recovered.length} recovered (1 + 1 expected)`,
		);
		expect(failed.map((item) => item.kind)).toEqual(['sync_failed']);
		expect(recovered.map((item) => item.kind)).toEqual(['recovered']);
		expect(trigger.skipped().length).toBeGreaterThanOrEqual(8);
	});

	test('Connection Health: a poll that fails after a newer one succeeded writes nothing; no problem is alerted again', async () => {
		const { sb } = env;
		const trigger = new SharedTrigger(health, { authentication: 'apiToken' }, credentialsOf(sb));
		await trigger.poll();
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		const slow = await slowFailingServer(500, 400);
		try {
			// A poll the guard cannot see (another node id) reads the state, then fails slowly;
			// meanwhile a newer poll reports the failed sync and stores it.
			const stale = trigger.poll({ credentials: credentialsOf({ ...sb, url: slow.url }), nodeId: 'other-node' });
			await sleep(100);
			const newer = await trigger.poll();
			expect(newer.map((item) => item.kind)).toEqual(['sync_failed']);
			expect(await stale).toEqual([]);
		} finally {
			await slow.close();
		}
		// Before: the failed poll wrote its older view (healthy + poll error) over the newer
		// one, and the next poll said poll_recovered and alerted the failed sync again.
		const next = [...(await trigger.poll()), ...(await trigger.poll())];
		console.log(`stale failed poll (connection health): ${next.length} items after it (0 expected: no poll_recovered, no repeated alert)`);
		expect(next).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'done' });
		expect((await trigger.poll()).map((item) => item.kind)).toEqual(['recovered']);
	});

	test('Record Changes: a poll that ends after a newer one stored its cursor emits nothing and stores nothing', async () => {
		const { sb } = env;
		const trigger = new SharedTrigger(records, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		await trigger.poll();
		const inserted = sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: 'Overlap A' }, { title: 'Overlap B' }] });
		sb.admin.injectLatency({ ms: 500, calls: 1, path: '/api/eam/work-orders' });
		const stale = trigger.poll({ nodeId: 'other-node' });
		await sleep(100);
		const newer = await trigger.poll();
		const late = await stale;
		expect(newer.map((r) => r.key).sort()).toEqual(inserted.map((r) => r.key).sort());
		expect(late).toEqual([]);
		expect(await trigger.poll()).toEqual([]);
		expect(trigger.logs.some((line) => /another poll stored a newer cursor/.test(line.message))).toBe(true);
	});
});
