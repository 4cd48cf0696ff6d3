/**
 * Scenario controls, through the in-process API and the HTTP control endpoints:
 * sync status, reauthorization, offline (503 and refused), injected failures for the
 * next N calls or at a seeded rate, connection resets before and after a write,
 * latency, the clock, alerts and stats.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { call, type Json } from './helpers';

async function control(sb: SandboxHandle, method: string, path: string, body?: unknown) {
	const response = await fetch(`${sb.url}/__sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

describe('sandbox scenarios', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 100, seed: 11 });
	});
	afterAll(() => sb.close());
	afterEach(() => sb.admin.resetScenarios());

	it('sets sync_status and sync_updated_at of a connection (in process and over HTTP)', async () => {
		sb.admin.setSyncStatus({ syncStatus: 'inprogress', syncUpdatedAt: '2025-02-03T04:05:06Z' });
		let current = (await call(sb, '/api/integrations/current')).body.data;
		expect(current).toMatchObject({ id: sb.connections[0].id, sync_status: 'inprogress', sync_updated_at: '2025-02-03T04:05:06.000Z', provider: 'maximo' });
		expect(Object.keys(current).sort()).toEqual(['company_name', 'email', 'id', 'provider', 'sync_status', 'sync_updated_at', 'updated_at']);

		const answer = await control(sb, 'POST', '/connections/primary/sync-status', { sync_status: 'error' });
		expect(answer.status).toBe(200);
		current = (await call(sb, '/api/integrations/current')).body.data;
		expect(current.sync_status).toBe('error');
		expect((await control(sb, 'POST', '/connections/primary/sync-status', { sync_status: 'sleepy' })).status).toBe(400);
		// The other connections are untouched.
		expect((await call(sb, '/api/integrations/current', { token: sb.connections[1].apiToken })).body.data.sync_status).toBe('done');
	});

	it('requires reauthorization: 401 with a reauthorization message, health still readable', async () => {
		await control(sb, 'POST', '/connections/primary/reauthorization', {});
		const denied = await call(sb, '/api/eam/work-orders');
		expect(denied.status).toBe(401);
		expect(denied.body.error.code).toBe('AUTHENTICATION_FAILED');
		expect(denied.body.error.message).toMatch(/reauthoriz/i);
		const health = await call(sb, '/api/integrations/current');
		expect(health.status).toBe(200);
		expect(health.body.data.sync_status).toBe('fail');
		sb.admin.requireReauthorization({ required: false });
		expect((await call(sb, '/api/eam/work-orders')).status).toBe(200);
	});

	it('goes offline with 503 for everything, control API still answering', async () => {
		await sb.admin.goOffline({ mode: 'unavailable' });
		for (const path of ['/api/eam/work-orders', '/api/integrations/current', '/link/token']) {
			const answer = await call(sb, path);
			expect(answer.status).toBe(503);
			expect(answer.body.error.code).toBe('SERVICE_UNAVAILABLE');
		}
		expect((await control(sb, 'POST', '/online')).status).toBe(200);
		expect((await call(sb, '/api/eam/work-orders')).status).toBe(200);
	});

	it('goes offline with the port closed (connection refused), then back on the same URL', async () => {
		await sb.admin.goOffline({ mode: 'refuse' });
		await expect(fetch(`${sb.url}/api/eam/sites`, { headers: { Authorization: `Bearer ${sb.apiToken}` } })).rejects.toThrow();
		await sb.admin.goOnline();
		expect((await call(sb, '/api/eam/sites')).status).toBe(200);
	});

	it('injects a status for the next N matching calls only', async () => {
		const before = sb.stats.snapshot().injectedFailures.total;
		const rule = await control(sb, 'POST', '/failures', { status: 503, times: 2, path: '/api/eam/work-orders' });
		expect(rule.body.data.id).toEqual(expect.any(Number));
		expect((await call(sb, '/api/eam/sites')).status).toBe(200);
		expect((await call(sb, '/api/eam/work-orders')).status).toBe(503);
		expect((await call(sb, '/api/eam/work-orders', { query: { page: 2 } })).status).toBe(503);
		expect((await call(sb, '/api/eam/work-orders')).status).toBe(200);
		expect(sb.stats.snapshot().injectedFailures.total).toBe(before + 2);

		sb.admin.injectFailure({ status: 429, retryAfter: 7 });
		const limited = await call(sb, '/api/eam/sites');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		for (const [status, code] of [[500, 'INTERNAL_ERROR'], [502, 'BAD_GATEWAY'], [504, 'GATEWAY_TIMEOUT']] as const) {
			sb.admin.injectFailure({ status, method: 'GET', path: '/api/eam/work-orders/{key}' });
			const answer = await call(sb, `/api/eam/work-orders/${sb.admin.listRecords({ collection: 'work-orders' })[0].key}`);
			expect([answer.status, answer.body.error.code]).toEqual([status, code]);
		}
		expect(() => sb.admin.injectFailure({ status: 418 as never })).toThrow();
	});

	it('resets the connection before a create (not applied) and after one (applied once, answer lost)', async () => {
		const site = sb.admin.listRecords({ collection: 'sites' })[0].key;
		const body = { title: 'Reset scenario', siteKey: site };
		const creates = () => sb.stats.snapshot().writes.creates;
		const start = creates();

		sb.admin.injectFailure({ reset: true, method: 'POST', path: '/api/eam/work-orders' });
		await expect(call(sb, '/api/eam/work-orders', { method: 'POST', body })).rejects.toThrow();
		expect(creates()).toBe(start);

		sb.admin.injectFailure({ reset: true, method: 'POST', path: '/api/eam/work-orders', phase: 'after' });
		await expect(call(sb, '/api/eam/work-orders', { method: 'POST', body })).rejects.toThrow();
		expect(creates()).toBe(start + 1);
		const stored = sb.admin.listRecords({ collection: 'work-orders' }).filter((w) => w.title === 'Reset scenario');
		expect(stored).toHaveLength(1);
		expect(sb.stats.snapshot().injectedFailures.byKind.reset).toBe(2);
	});

	it('fails at a rate drawn from a seeded PRNG: the same pattern on every run', async () => {
		const pattern = async (target: SandboxHandle) => {
			target.admin.injectFailure({ status: 500, rate: 0.3, path: '/api/eam/sites' });
			const statuses: number[] = [];
			for (let i = 0; i < 30; i++) statuses.push((await call(target, '/api/eam/sites')).status);
			return statuses;
		};
		const first = await pattern(sb);
		const failures = first.filter((s) => s === 500).length;
		expect(failures).toBeGreaterThan(0);
		expect(failures).toBeLessThan(30);
		await sb.admin.resetScenarios();
		expect(await pattern(sb)).toEqual(first);
	});

	it('adds latency to the next matching calls', async () => {
		sb.admin.injectLatency({ ms: 150, calls: 1, path: '/api/eam/sites' });
		const started = performance.now();
		expect((await call(sb, '/api/eam/sites')).status).toBe(200);
		// A lower bound only: the sandbox waited at least the injected delay.
		expect(performance.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('adds latency to a share of matching calls at a rate', async () => {
		sb.admin.injectLatency({ ms: 40, rate: 0.5, path: '/api/eam/sites' });
		const times: number[] = [];
		for (let i = 0; i < 20; i++) {
			const started = performance.now();
			await call(sb, '/api/eam/sites');
			times.push(performance.now() - started);
		}
		const slow = times.filter((t) => t >= 38).length;
		expect(slow).toBeGreaterThan(0);
		expect(slow).toBeLessThan(20);
		expect(() => sb.admin.injectLatency({ ms: 1, rate: 2 })).toThrow(/rate/);
		await sb.admin.resetScenarios();
	});

	it('changes the rate limit over HTTP and resets scenarios', async () => {
		await control(sb, 'POST', '/rate-limit', { perMinute: 1 });
		expect((await call(sb, '/api/eam/sites', { token: sb.connections[2].apiToken })).status).toBe(200);
		expect((await call(sb, '/api/eam/sites', { token: sb.connections[2].apiToken })).status).toBe(429);
		await control(sb, 'POST', '/reset');
		expect((await call(sb, '/api/eam/sites', { token: sb.connections[2].apiToken })).status).toBe(200);
	});

	it('upserts records as the connected system, with explicit timestamps if given, and shifts the clock', async () => {
		const [inserted] = sb.admin.upsertRecords({ collection: 'workOrder', records: [{ title: 'Made in the CMMS', updatedAt: '2025-01-01T00:00:00Z' }] });
		expect(inserted.key).toMatch(/^0\d000\d{9}$/);
		expect((await call(sb, `/api/eam/work-orders/${inserted.key}`)).body.data.updatedAt).toBe('2025-01-01T00:00:00Z');
		const answer = await control(sb, 'POST', '/records/work-orders', { records: [{ key: inserted.key, title: 'Changed in the CMMS' }] });
		expect(answer.body.data[0].title).toBe('Changed in the CMMS');
		expect(Date.parse(answer.body.data[0].updatedAt)).toBeGreaterThan(Date.parse('2025-01-01T00:00:00Z'));

		sb.admin.setClockOffset({ ms: 2 * 86_400_000 });
		const [later] = sb.admin.upsertRecords({ collection: 'sites', records: [{ name: 'Future site' }] });
		expect(Date.parse(String(later.createdAt)) - Date.now()).toBeGreaterThan(86_400_000);
		sb.admin.setClockOffset({ ms: 0 });
		expect((await control(sb, 'POST', '/records/no-such-thing', {})).status).toBe(404);
	});

	it('stores alerts and counts requests per path template and status', async () => {
		sb.stats.reset();
		await control(sb, 'POST', '/alerts', { text: 'PM overdue', severity: 'high' });
		const alerts = await control(sb, 'GET', '/alerts');
		expect(alerts.body.data.map((a: Json) => a.body)).toContainEqual({ text: 'PM overdue', severity: 'high' });
		await call(sb, '/api/eam/work-orders/09000000000000');
		await call(sb, '/api/eam/work-orders/09000000000001');
		const stats = (await control(sb, 'GET', '/stats')).body.data;
		expect(stats.requests['GET /api/eam/work-orders/{key}']).toEqual({ 404: 2 });
		expect(stats.totalRequests).toBe(2);
	});
});
