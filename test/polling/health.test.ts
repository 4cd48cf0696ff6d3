/**
 * Makini Connection Health Trigger against the sandbox: states are changed with the
 * sandbox's scenario controls and every alert is checked against the change made, so
 * a missing, repeated or wrong alert fails.
 */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import type { SandboxHandle } from '../../sandbox';
import { credentialsOf, Poller, useSandbox } from './helpers';

const node = new MakiniConnectionHealthTrigger();

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

function kinds(items: IDataObject[]): string[] {
	return items.map((item) => String(item.kind));
}

/** No token, client secret or access token of the sandbox appears in what the trigger emits. */
function expectNoSecrets(sb: SandboxHandle, items: IDataObject[]) {
	const text = JSON.stringify(items);
	for (const secret of [sb.apiToken, sb.systemClientSecret, ...sb.connections.map((c) => c.apiToken)]) {
		expect(text).not.toContain(secret);
	}
	expect(text).not.toMatch(/mks?_[A-Za-z0-9_-]{20,}/);
}

async function systemToken(sb: SandboxHandle): Promise<string> {
	const { data } = await axios.post(`${sb.url}/link/token`, {
		grant_type: 'client_credentials',
		client_id: sb.systemClientId,
		client_secret: sb.systemClientSecret,
	});
	return (data as { access_token: string }).access_token;
}

describe('Makini Connection Health Trigger: one connection (API token)', () => {
	const env = useSandbox({ connections: 3 });
	afterEach(async () => {
		await env.sb.admin.resetScenarios();
	});

	const poller = (parameters: IDataObject = {}) => new Poller(node, { authentication: 'apiToken', ...parameters }, credentialsOf(env.sb));

	test('the first poll records the state and emits nothing, nor does a poll without change', async () => {
		const p = poller();
		expect(await p.poll()).toEqual([]);
		expect(await p.poll()).toEqual([]);
		// Stored as [id, memory] pairs (ids are Makini's; see shared/storedMap).
		expect(p.staticData.makiniConnectionHealth).toMatchObject({ connections: [['current', expect.objectContaining({ state: 'healthy' })]] });
	});

	test('sync failed, then back to healthy: one alert per transition', async () => {
		const { sb } = env;
		const p = poller();
		await p.poll();
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		const failed = await p.poll();
		expect(kinds(failed)).toEqual(['sync_failed']);
		expect(failed[0]).toMatchObject({
			connectionId: sb.connections[0].id,
			provider: sb.connections[0].provider,
			previousState: 'healthy',
			currentState: 'sync_failed',
			syncStatus: 'error',
		});
		expect(String(failed[0].message)).toMatch(/sync failed/);
		expect(failed[0].nextStep).toEqual(expect.any(String));
		expect((failed[0].rawStatus as IDataObject).sync_status).toBe('error');
		// Still failing: nothing more.
		expect(await p.poll()).toEqual([]);
		// A retry under way is not yet healthy, and failing again is the same problem.
		sb.admin.setSyncStatus({ syncStatus: 'inprogress' });
		expect(await p.poll()).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		expect(await p.poll()).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'done' });
		const recovered = await p.poll();
		expect(kinds(recovered)).toEqual(['recovered']);
		expect(recovered[0]).toMatchObject({ previousState: 'sync_failed', currentState: 'healthy' });
		expect(await p.poll()).toEqual([]);
		expectNoSecrets(sb, [...failed, ...recovered]);
	});

	test('reauthorization required (sync status fail), with how to reconnect', async () => {
		const { sb } = env;
		const p = poller();
		await p.poll();
		sb.admin.requireReauthorization({});
		const items = await p.poll();
		expect(kinds(items)).toEqual(['reauthorization_required']);
		expect(items[0]).toMatchObject({ previousState: 'healthy', currentState: 'reauthorization_required', syncStatus: 'fail' });
		expect(String(items[0].nextStep)).toMatch(/Reconnect/);
		expect(await p.poll()).toEqual([]);
		sb.admin.requireReauthorization({ required: false });
		expect(kinds(await p.poll())).toEqual(['recovered']);
	});

	test('a rejected token (401) counts as reauthorization required, reported once', async () => {
		const { sb } = env;
		const connection = sb.connections[2];
		const p = new Poller(node, { authentication: 'apiToken' }, credentialsOf(sb, connection.apiToken));
		await p.poll();
		// Disconnecting through the API: the token stops working at once.
		await axios.delete(`${sb.url}/api/integrations/current`, { headers: { Authorization: `Bearer ${connection.apiToken}` } });
		const items = await p.poll();
		expect(kinds(items)).toEqual(['reauthorization_required']);
		expect(items[0]).toMatchObject({ connectionId: connection.id, previousState: 'healthy' });
		expect(String(items[0].message)).toMatch(/401/);
		expect(await p.poll()).toEqual([]);
		expectNoSecrets(sb, items);
	});

	test('sync overdue: no successful sync for longer than the threshold, then recovered', async () => {
		const { sb } = env;
		const p = poller({ overdueHours: 24 });
		await p.poll();
		const lastSync = daysAgo(2);
		sb.admin.setSyncStatus({ syncStatus: 'done', syncUpdatedAt: lastSync });
		const items = await p.poll();
		expect(kinds(items)).toEqual(['sync_overdue']);
		expect(items[0]).toMatchObject({ currentState: 'sync_overdue', lastSuccessfulSyncAt: lastSync, since: lastSync });
		expect(await p.poll()).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'fulldone' });
		expect(kinds(await p.poll())).toEqual(['recovered']);
		// Turned off (0), an old sync raises nothing.
		const off = poller({ overdueHours: 0 });
		await off.poll();
		sb.admin.setSyncStatus({ syncStatus: 'done', syncUpdatedAt: daysAgo(10) });
		expect(await off.poll()).toEqual([]);
	});

	test('alerts not chosen are not emitted, but the state is still followed', async () => {
		const { sb } = env;
		const p = poller({ alerts: ['reauthorization_required'] });
		await p.poll();
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		expect(await p.poll()).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'fail' });
		expect(kinds(await p.poll())).toEqual(['reauthorization_required']);
		// Recovery follows the problem that was reported.
		const recovery = new Poller(node, { authentication: 'apiToken', alerts: ['sync_failed', 'recovered'] }, credentialsOf(sb));
		await recovery.poll();
		sb.admin.setSyncStatus({ syncStatus: 'done', syncUpdatedAt: daysAgo(3) });
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		expect(kinds(await recovery.poll())).toEqual(['sync_failed']);
		sb.admin.setSyncStatus({ syncStatus: 'done' });
		expect(kinds(await recovery.poll())).toEqual(['recovered']);
		// An overdue sync it was not asked about is followed silently, and so is its end.
		sb.admin.setSyncStatus({ syncStatus: 'done', syncUpdatedAt: daysAgo(3) });
		expect(await recovery.poll()).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'done' });
		expect(await recovery.poll()).toEqual([]);
	});

	test('Emit Current State on Activation, and manual runs that leave the state alone', async () => {
		const { sb } = env;
		const p = poller({ options: { emitCurrentState: true, testEvent: 'currentState' } });
		const first = await p.poll();
		expect(first).toHaveLength(1);
		expect(first[0]).toMatchObject({ kind: 'current_state', currentState: 'healthy', previousState: null });
		expect(await p.poll()).toEqual([]);
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		const before = structuredClone(p.staticData);
		const manual = await p.manual();
		expect(manual).toHaveLength(1);
		expect(manual[0]).toMatchObject({ kind: 'current_state', currentState: 'sync_failed' });
		expect(p.staticData).toEqual(before);
		// The activated trigger still reports the change the manual run showed.
		expect(kinds(await p.poll())).toEqual(['sync_failed']);
	});

	test('Fetch Test Event: a sample of each selected alert, shaped as the real alert, state left alone', async () => {
		const { sb } = env;
		const p = poller({ overdueHours: 6 });
		const samples = await p.manual();
		expect(kinds(samples)).toEqual(['sync_failed', 'reauthorization_required', 'disconnected', 'sync_overdue', 'recovered', 'poll_error', 'poll_recovered']);
		expect(p.staticData).toEqual({});
		for (const sample of samples.slice(0, 5)) {
			expect(sample).toMatchObject({ connectionId: sb.connections[0].id, provider: sb.connections[0].provider, currentState: expect.any(String) });
		}
		expect(samples[0]).toMatchObject({ previousState: 'healthy', currentState: 'sync_failed', syncStatus: 'error' });
		expect((samples[0].rawStatus as IDataObject).sync_status).toBe('error');
		expect(samples[1]).toMatchObject({ currentState: 'reauthorization_required', syncStatus: 'fail' });
		expect(samples[3].message).toMatch(/more than the 6 hours allowed/);
		expect(samples[4]).toMatchObject({ previousState: 'sync_failed', currentState: 'healthy' });
		expectNoSecrets(sb, samples);

		// The same fields as the alerts a poll reports.
		await p.poll();
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		const [real] = await p.poll();
		expect(Object.keys(samples[0]).sort()).toEqual(Object.keys(real).sort());
		await sb.admin.goOffline({ mode: 'unavailable' });
		const [down] = await p.poll();
		await sb.admin.goOnline();
		const [up] = await p.poll();
		expect(Object.keys(samples[5]).sort()).toEqual(Object.keys(down).sort());
		expect(Object.keys(samples[5].error as IDataObject).sort()).toEqual(Object.keys(down.error as IDataObject).sort());
		expect(Object.keys(samples[6]).sort()).toEqual(Object.keys(up).sort());

		// Only the alerts the trigger is set to report.
		const some = await poller({ alerts: ['recovered', 'sync_failed'] }).manual();
		expect(kinds(some)).toEqual(['sync_failed', 'recovered']);
	});

	test('poll errors: reported once, quiet while they last, recovery reported once', async () => {
		const { sb } = env;
		const p = poller();
		await p.poll();
		await sb.admin.goOffline({ mode: 'unavailable' });
		const down = await p.poll();
		expect(kinds(down)).toEqual(['poll_error']);
		expect(down[0]).toMatchObject({ since: expect.any(String), error: expect.objectContaining({ httpCode: '503' }) });
		expect(await p.poll()).toEqual([]);
		expect(await p.poll()).toEqual([]);
		// The connection changes during the outage.
		sb.admin.setSyncStatus({ syncStatus: 'error' });
		await sb.admin.goOnline();
		const up = await p.poll();
		expect(kinds(up)).toEqual(['poll_recovered', 'sync_failed']);
		expect(up[0].since).toBe(down[0].since);
		expect(await p.poll()).toEqual([]);
		expectNoSecrets(sb, [...down, ...up]);
	});

	test('a refused connection is a poll error too; a manual run throws it instead', async () => {
		const { sb } = env;
		const p = poller();
		await p.poll();
		await sb.admin.goOffline({ mode: 'refuse' });
		try {
			expect(kinds(await p.poll())).toEqual(['poll_error']);
			expect(await p.poll()).toEqual([]);
			await expect(p.manual()).rejects.toThrow(/refused|reach/i);
		} finally {
			await sb.admin.goOnline();
		}
		expect(kinds(await p.poll())).toEqual(['poll_recovered']);
	});
});

describe('Makini Connection Health Trigger: all connections (System API)', () => {
	const CONNECTIONS = 12;
	const env = useSandbox({ connections: CONNECTIONS });
	/** Connections a test deleted: the sandbox's info still lists them. */
	const deletedIds = new Set<string>();
	afterEach(async () => {
		await env.sb.admin.resetScenarios();
	});

	for (const statusSource of ['connectionList', 'eachConnection'] as const) {
		test(`many connections, transitions of several at once (${statusSource})`, async () => {
			const { sb } = env;
			const p = new Poller(
				node,
				{ authentication: 'systemApi', overdueHours: 24, options: { statusSource } },
				credentialsOf(sb),
			);
			expect(await p.poll()).toEqual([]);
			const live = sb.connections.map((c) => c.id).filter((id) => !deletedIds.has(id));
			const [failing, reauth, overdue] = live.slice(1, 4);
			sb.admin.setSyncStatus({ connectionId: failing, syncStatus: 'error' });
			sb.admin.requireReauthorization({ connectionId: reauth });
			sb.admin.setSyncStatus({ connectionId: overdue, syncStatus: 'done', syncUpdatedAt: daysAgo(3) });
			const deleted = live[4];
			deletedIds.add(deleted);
			await axios.delete(`${sb.url}/api/system/connections/${deleted}`, { headers: { Authorization: `Bearer ${await systemToken(sb)}` } });

			const alerts = await p.poll();
			const byConnection = Object.fromEntries(alerts.map((a) => [String(a.connectionId), String(a.kind)]));
			expect(byConnection).toEqual({
				[failing]: 'sync_failed',
				[reauth]: 'reauthorization_required',
				[overdue]: 'sync_overdue',
				[deleted]: 'disconnected',
			});
			for (const alert of alerts) expect(alert.previousState).toBe('healthy');
			expect(await p.poll()).toEqual([]);

			sb.admin.setSyncStatus({ connectionId: failing, syncStatus: 'done' });
			sb.admin.requireReauthorization({ connectionId: reauth, required: false });
			sb.admin.setSyncStatus({ connectionId: overdue, syncStatus: 'fulldone' });
			const recovered = await p.poll();
			expect(recovered.map((a) => [a.connectionId, a.kind]).sort()).toEqual(
				[failing, reauth, overdue].map((id) => [id, 'recovered']).sort(),
			);
			expect(await p.poll()).toEqual([]);
			expectNoSecrets(sb, [...alerts, ...recovered]);

			const stats = sb.stats.snapshot() as unknown as { requests: Record<string, Record<string, number>> };
			const tokens = Object.values(stats.requests['POST /api/system/connections/{id}/token'] ?? {}).reduce((a, b) => a + b, 0);
			if (statusSource === 'eachConnection') expect(tokens).toBeGreaterThan(0);
			console.log(
				`connection health (${statusSource}): ${live.length} connections, ${p.polls} polls, 7 transitions, ${alerts.length + recovered.length} alerts, ${tokens} connection tokens issued so far`,
			);
		});
	}

	test('a wrong client secret is one poll error, not one per poll', async () => {
		const { sb } = env;
		const credentials = credentialsOf(sb);
		credentials.makiniSystemApi.clientSecret = 'cs_wrong';
		const p = new Poller(node, { authentication: 'systemApi' }, credentials);
		const items = await p.poll();
		expect(kinds(items)).toEqual(['poll_error']);
		expect(JSON.stringify(items)).not.toContain('cs_wrong');
		expect(await p.poll()).toEqual([]);
		p.credentials = credentialsOf(sb);
		// Polling works: recovery is reported, the connections are recorded without alerts.
		expect(kinds(await p.poll())).toEqual(['poll_recovered']);
		expect(await p.poll()).toEqual([]);
	});

	test('a manual run lists every connection with its state', async () => {
		const { sb } = env;
		const p = new Poller(node, { authentication: 'systemApi', options: { testEvent: 'currentState' } }, credentialsOf(sb));
		const items = await p.manual();
		expect(items.length).toBe(CONNECTIONS - deletedIds.size);
		for (const item of items) expect(item).toMatchObject({ kind: 'current_state', currentState: expect.any(String) });
		expect(p.staticData).toEqual({});
	});
});
