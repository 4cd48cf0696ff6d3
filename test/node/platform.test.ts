/**
 * The Makini platform through the node: connection status and health, disconnect, the
 * System API (connections, metadata, tokens, platforms, client), passthrough and raw
 * data, against the sandbox; exact request bodies against a capture server.
 */
import type { IDataObject } from 'n8n-workflow';

import { startCaptureServer, type CaptureServer } from './capture';
import { records, runMakini, useNodeSandbox } from './helpers';

const env = useNodeSandbox({}, { resetScenarios: true });

/** Get Status and Disconnect run on the connection's API token, the rest on the System API. */
const connection = (operation: string, extra: IDataObject = {}) =>
	env.run({
		authentication: ['getStatus', 'disconnect'].includes(operation) ? 'apiToken' : 'systemApi',
		system: 'platform',
		resource: 'connection',
		operation,
		...extra,
	});

describe('Connection → Get Status', () => {
	it.each([
		['done', 'healthy'],
		['fulldone', 'healthy'],
		['inprogress', 'syncing'],
		['error', 'sync_failed'],
		['fail', 'reauthorization_required'],
	] as const)('sync_status %s is %s, with the raw fields, an explanation and a next step', async (syncStatus, health) => {
		env.sb.admin.setSyncStatus({ syncStatus });
		const { items } = await connection('getStatus');
		expect(items).toHaveLength(1);
		const status = items[0].json;
		expect(status).toMatchObject({ sync_status: syncStatus, health, provider: 'maximo' });
		expect(typeof status.company_name).toBe('string');
		expect(String(status.healthExplanation).length).toBeGreaterThan(10);
		expect(String(status.nextStep).length).toBeGreaterThan(5);
	});

	it('still answers while the connection needs reauthorization, and says so', async () => {
		env.sb.admin.requireReauthorization();
		const { items } = await connection('getStatus');
		expect(items[0].json.health).toBe('reauthorization_required');
		expect(String(items[0].json.nextStep)).toMatch(/reconnect/i);
	});
});

describe('System API (makiniSystemApi)', () => {
	it('names the Authentication parameter when it does not fit the operation', async () => {
		for (const [authentication, operation, needed] of [
			['apiToken', 'getMany', 'System API (All Connections)'],
			['systemApi', 'getStatus', 'API Token (One Connection)'],
		]) {
			const run = env.run({ authentication, system: 'platform', resource: 'connection', operation });
			await expect(run).rejects.toThrow(`set Authentication to "${needed}"`);
		}
		const { items } = await env.run(
			{ authentication: 'apiToken', system: 'platform', resource: 'client', operation: 'get' },
			{ continueOnFail: true },
		);
		expect(String(items[0].json.error)).toContain('System API');
	});

	it('lists connections with their status', async () => {
		const { items, harness } = await connection('getMany', { returnAll: true });
		expect(items.map((i) => i.json.key).sort()).toEqual(env.sb.connections.map((c) => c.id).sort());
		expect(items.every((i) => typeof i.json.status === 'string')).toBe(true);
		// The client-credentials token was fetched by the credential's preAuthentication.
		expect(harness.http.log.map((e) => new URL(e.url).pathname)).toEqual(['/link/token', '/api/system/connections']);
	});

	it('lists platforms and gets the client', async () => {
		const platforms = await env.run({ authentication: 'systemApi', system: 'platform', resource: 'platform', operation: 'getMany', returnAll: true });
		expect(platforms.items.map((i) => i.json.key)).toEqual(expect.arrayContaining(['maximo', 'sap']));
		const client = await env.run({ authentication: 'systemApi', system: 'platform', resource: 'client', operation: 'get' });
		expect(client.items[0].json.id).toBe(env.sb.systemClientId);
		expect(JSON.stringify(client.items)).not.toContain(env.sb.systemClientSecret);
	});

	it('sets and gets connection metadata', async () => {
		const connectionId = env.sb.connections[1].id;
		await connection('setMetadata', { connectionId, metadata: { entries: [{ key: 'plant', value: 'north' }, { key: 'tier', value: 'gold' }] } });
		const { items } = await connection('getMetadata', { connectionId, returnAll: true });
		expect(items.map((i) => [i.json.key, i.json.value])).toEqual([
			['plant', 'north'],
			['tier', 'gold'],
		]);
	});

	it('creates a connection and issues a token, keeping tokens out of the output unless asked', async () => {
		const created = await connection('create', { email: 'plant.manager@example.com', name: 'Plant North', provider: 'maintainx' });
		const json = created.items[0].json;
		expect(json.id).toBeTruthy();
		expect([json.access_token, json.refresh_token]).toEqual(['[redacted]', '[redacted]']);

		const issued = await connection('issueToken', { connectionId: String(json.id) });
		expect(issued.items[0].json.access_token).toBe('[redacted]');
		expect(issued.items[0].json.token_type).toBe('Bearer');

		const shown = await connection('issueToken', { connectionId: String(json.id), includeTokens: true });
		const token = String(shown.items[0].json.access_token);
		expect(token).not.toBe('[redacted]');
		// The issued token really is one: it reads the new connection.
		const check = await runMakini({
			parameters: { system: 'platform', resource: 'connection', operation: 'getStatus' },
			credentials: { makiniApi: { apiToken: token, baseUrl: env.sb.url } },
		});
		expect(check.items[0].json.provider).toBe('maintainx');
	});

	it('deletes a connection', async () => {
		const connectionId = env.sb.connections[2].id;
		const { items } = await connection('delete', { connectionId });
		expect(items[0].json.deleted).toBe(true);
		const after = await connection('getMany', { returnAll: true });
		expect(after.items.map((i) => i.json.key)).not.toContain(connectionId);
	});
});

describe('Passthrough', () => {
	it('calls the connected system through Makini with method, path, query, headers and body', async () => {
		const { items } = await env.run({
			system: 'platform',
			resource: 'passthrough',
			operation: 'call',
			method: 'post',
			path: 'dataservice',
			query: { entries: [{ name: 'limit', value: '10' }] },
			headers: { entries: [{ name: 'X-Trace', value: 'abc' }] },
			body: '{"targetName":"F4801","maxPageSize":10}',
		});
		expect(items).toHaveLength(1);
		const answer = items[0].json.body as IDataObject;
		expect(answer).toMatchObject({ provider: 'maximo', method: 'POST', path: 'dataservice', query: { limit: '10' } });
		expect(answer.received).toEqual({ targetName: 'F4801', maxPageSize: 10 });
	});

	describe('sends exactly the documented fields', () => {
		let capture: CaptureServer;
		beforeAll(async () => {
			capture = await startCaptureServer(() => ({ data: { status: 200, body: { ok: true } } }));
		});
		afterAll(async () => {
			await capture.close();
		});

		it('with SQL, parameters and base64encoded', async () => {
			await runMakini({
				parameters: {
					system: 'platform',
					resource: 'passthrough',
					operation: 'call',
					method: 'get',
					path: '',
					options: { sql: 'SELECT * FROM WORKORDER WHERE STATUS = :status', parameters: '{"status":"APPR"}', base64encoded: false },
				},
				credentials: { makiniApi: { apiToken: 'test-token-1234', baseUrl: capture.url } },
			});
			const request = capture.requests.at(-1)!;
			expect([request.method, request.url]).toEqual(['POST', '/api/passthrough']);
			expect(request.body).toEqual({
				path: '',
				method: 'get',
				sql: 'SELECT * FROM WORKORDER WHERE STATUS = :status',
				parameters: { status: 'APPR' },
				base64encoded: false,
			});
		});
	});
});

describe('Raw Data', () => {
	it('lists the raw tables', async () => {
		const { items } = await env.run({ system: 'platform', resource: 'rawData', operation: 'getTables' });
		expect(items.map((i) => i.json.name)).toEqual(expect.arrayContaining(['WORKORDER', 'ASSET']));
	});

	it('reads a table with a filter, sort and paging', async () => {
		const all = await env.run({ system: 'platform', resource: 'rawData', operation: 'getTableData', table: 'WORKORDER', returnAll: true });
		expect(all.items).toHaveLength(records(env.sb, 'work-orders').length);
		const site = String(all.items[0].json.SITEID);
		const { items, harness } = await env.run({
			system: 'platform',
			resource: 'rawData',
			operation: 'getTableData',
			table: 'WORKORDER',
			limit: 5,
			filters: { conditions: [{ field: 'SITEID', operator: 'equals', value: site }] },
			options: { sort: { rules: [{ field: 'WONUM', direction: 'desc' }] } },
		});
		expect(items).toHaveLength(5);
		expect(items.every((i) => i.json.SITEID === site)).toBe(true);
		const numbers = items.map((i) => String(i.json.WONUM));
		expect(numbers).toEqual([...numbers].sort().reverse());
		expect(new URL(harness.http.log[0].url).pathname).toBe('/api/raw/tables/WORKORDER/data');
	});
});

describe('Connection → Disconnect', () => {
	it('disconnects: the token stops working at once', async () => {
		const { items } = await connection('disconnect');
		expect(items[0].json.disconnected).toBe(true);
		await expect(connection('getStatus')).rejects.toThrow(/401/);
	});
});
