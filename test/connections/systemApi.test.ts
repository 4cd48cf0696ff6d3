/**
 * The Connection parameter with the Makini System API credential, through n8n-core's real
 * contexts against a sandbox whose connections have their own data: every operation that
 * runs on a connection reaches that connection and no other, a token is requested once per
 * connection and expiry, an expired or revoked token is replaced once, a connection that
 * keeps refusing is reported by name, and no connection token leaves the node.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { findOperation, OPERATIONS, operationId } from '../../nodes/shared/registry';
import { runsOnConnection } from '../../nodes/shared/connection';
import { clearConnectionTokens } from '../../nodes/shared/transport/connectionToken';
import { redact } from '../../nodes/shared/transport/redact';
import { listSearch } from '../harness/execute';
import { FAMILY_NODES, parametersFor, pathPattern, useNodeSandbox } from '../node/helpers';

const env = useNodeSandbox({ workOrders: 40, connections: 4 }, { resetScenarios: true });

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

function onConnection(parameters: INodeParameters, connection: unknown): INodeParameters {
	return { ...parameters, authentication: 'systemApi', connection: connection as INodeParameters[string] };
}

const workOrders = (extra: IDataObject = {}): INodeParameters => ({
	system: 'eam',
	resource: 'workOrder',
	operation: 'getMany',
	returnAll: false,
	limit: 5,
	...extra,
});

/** Keys of the work orders the sandbox holds for a connection. */
function keysOf(connectionId: string): Set<string> {
	return new Set(env.sb.admin.listRecords({ collection: 'work-orders', connectionId }).map((r) => String(r.key)));
}

/** Whether a text carries any connection token (or its refresh token) in any encoding redact knows. */
function leaks(value: unknown): boolean {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	const plain = redact(text);
	// redact removes every form of a secret it is given: a text it changes carries one.
	return env.sb.admin.issuedTokens().some((token) => text.includes(token) || redact(text, [token]) !== plain);
}

beforeEach(() => {
	clearConnectionTokens();
	env.sb.admin.resetTokenCounts();
});

describe('each connection sees its own data and no other', () => {
	it('Get Many, Get, Get Status and raw data reach the chosen connection', async () => {
		const [a, b, c] = env.sb.connections;
		for (const connection of [a, b, c]) {
			const own = keysOf(connection.id);
			const { items } = await env.run(onConnection(workOrders(), byId(connection.id)));
			expect(items).toHaveLength(5);
			for (const item of items) expect(own.has(String(item.json.key))).toBe(true);
			const others = [a, b, c].filter((x) => x !== connection).flatMap((x) => [...keysOf(x.id)]);
			for (const item of items) expect(others).not.toContain(String(item.json.key));

			const status = await env.run(onConnection({ system: 'platform', resource: 'connection', operation: 'getStatus' }, byId(connection.id)));
			expect(status.items[0].json).toMatchObject({ id: connection.id, provider: connection.provider });

			const raw = await env.run(onConnection({ system: 'platform', resource: 'rawData', operation: 'getTableData', table: 'WORKORDER', returnAll: false, limit: 3 }, byId(connection.id)));
			expect(raw.items.length).toBeGreaterThan(0);
		}
		// A key of connection A read through connection B is not found.
		const keyOfA = [...keysOf(a.id)][0];
		const wrong = await env.run(onConnection({ system: 'eam', resource: 'workOrder', operation: 'get', key: keyOfA }, byId(b.id)), { continueOnFail: true });
		expect(wrong.items[0].json.httpCode).toBe('404');
		const right = await env.run(onConnection({ system: 'eam', resource: 'workOrder', operation: 'get', key: keyOfA }, byId(a.id)));
		expect(right.items[0].json.key).toBe(keyOfA);
	});

	it('a write lands in the chosen connection only', async () => {
		const [a, b] = env.sb.connections;
		const op = findOperation('eam', 'workOrder', 'update')!;
		const key = String(env.sb.admin.listRecords({ collection: 'work-orders', connectionId: b.id })[0].key);
		const before = env.sb.admin.getRecord({ collection: 'work-orders', key, connectionId: b.id })?.updatedAt;
		// The primary connection's site key means nothing to B: the update changes the notes only.
		const parameters = { ...parametersFor(op, env.sb).parameters };
		delete parameters.siteKey;
		const { items } = await env.run(onConnection({ ...parameters, key }, byId(b.id)), { continueOnFail: true });
		expect(items[0].json.error).toBeUndefined();
		expect(items[0].json.key).toBe(key);
		expect(env.sb.admin.getRecord({ collection: 'work-orders', key, connectionId: b.id })?.updatedAt).not.toBe(before);
		expect(env.sb.admin.getRecord({ collection: 'work-orders', key, connectionId: a.id })).toBeUndefined();
	});

	it('an expression chooses the connection per item (a Connection → Get Many record or its key)', async () => {
		const [a, b, c] = env.sb.connections;
		const items: INodeExecutionData[] = [a, b, c].map((x) => ({ json: { key: x.id, name: `customer ${x.id.slice(0, 4)}` } }));
		const byKey = await env.run(onConnection(workOrders({ limit: 1 }), byId('={{ $json.key }}')), { items });
		const whole = await env.run(onConnection(workOrders({ limit: 1 }), '={{ $json }}'), { items });
		for (const run of [byKey, whole]) {
			expect(run.items).toHaveLength(3);
			run.items.forEach((item, i) => expect(keysOf([a, b, c][i].id).has(String(item.json.key))).toBe(true));
		}
	});
});

describe('connection tokens', () => {
	it('are requested once per connection over 1,000 items on 3 connections, and never appear in the output or logs', async () => {
		const connections = env.sb.connections.slice(0, 3);
		const items: INodeExecutionData[] = Array.from({ length: 1000 }, (_, i) => ({ json: { connection: connections[i % 3].id } }));
		const { items: output, harness } = await env.run(onConnection(workOrders({ limit: 1 }), byId('={{ $json.connection }}')), { items });
		expect(output).toHaveLength(1000);
		output.forEach((item, i) => expect(keysOf(connections[i % 3].id).has(String(item.json.key))).toBe(true));
		const issued = env.sb.admin.tokenCounts().issued;
		console.log(`Token requests per connection over 1,000 items: ${connections.map((c) => issued[c.id] ?? 0).join(', ')}`);
		expect(issued).toEqual(Object.fromEntries(connections.map((c) => [c.id, 1])));
		expect(leaks(output)).toBe(false);
		expect(leaks(harness.logs)).toBe(false);
	}, 240_000);

	it('an expired token is replaced once, silently', async () => {
		const b = env.sb.connections[1];
		await env.run(onConnection(workOrders({ limit: 1 }), byId(b.id)));
		env.sb.admin.expireConnectionTokens({ connectionId: b.id });
		const { items, harness } = await env.run(onConnection(workOrders({ limit: 1 }), byId(b.id)));
		expect(items).toHaveLength(1);
		expect(env.sb.admin.tokenCounts().issued[b.id]).toBe(2);
		expect(harness.http.log.filter((e) => e.status === 401)).toHaveLength(1);
	});

	it('a revoked token is replaced once, silently', async () => {
		const c = env.sb.connections[2];
		await env.run(onConnection(workOrders({ limit: 1 }), byId(c.id)));
		env.sb.admin.revokeConnectionTokens({ connectionId: c.id });
		const { items } = await env.run(onConnection(workOrders({ limit: 1 }), byId(c.id)));
		expect(items).toHaveLength(1);
		expect(env.sb.admin.tokenCounts().issued[c.id]).toBe(2);
	});

	it('a connection that refuses the new token too is reported by name with what to do, once refreshed', async () => {
		const b = env.sb.connections[1];
		const name = String((await env.run({ authentication: 'systemApi', system: 'platform', resource: 'connection', operation: 'getMany', returnAll: true })).items.find((i) => i.json.key === b.id)?.json.name);
		env.sb.admin.requireReauthorization({ connectionId: b.id });
		const { items, harness } = await env.run(onConnection(workOrders({ limit: 1 }), byId(b.id)), { continueOnFail: true });
		const error = items[0].json;
		expect(error.httpCode).toBe('401');
		expect(String(error.error)).toContain(`"${name}" (${b.id})`);
		expect(String(error.error)).toMatch(/also a new one/);
		expect(String(error.description)).toMatch(/reauthorization.*Reconnect it through Makini Link/s);
		// One refresh, not a loop: two tokens, two 401s.
		expect(env.sb.admin.tokenCounts().issued[b.id]).toBe(2);
		expect(harness.http.log.filter((e) => e.status === 401)).toHaveLength(2);
		expect(leaks(items)).toBe(false);
		expect(leaks(harness.logs)).toBe(false);
	});

	it('an unknown connection is reported by its ID, and the node without Continue On Fail throws it', async () => {
		const run = env.run(onConnection(workOrders(), byId('no-such-connection')));
		await expect(run).rejects.toThrow('Makini has no connection "no-such-connection" for this System API client');
		const empty = env.run(onConnection(workOrders(), byId('  ')));
		await expect(empty).rejects.toThrow('The parameter "Connection" is empty');
	});

	it('the list names each connection and searches customer name, email, platform and tag', async () => {
		const credentials = env.credentials;
		const search = async (filter?: string) =>
			(await listSearch(FAMILY_NODES.eam, 'searchConnections', { parameters: { authentication: 'systemApi' }, credentials }, filter)).results;
		expect(await search()).toHaveLength(4);
		const production = await search('production');
		expect(production.map((r) => r.value).sort()).toEqual(env.sb.connections.slice(0, 2).map((c) => c.id).sort());
		expect(production[0].name).toMatch(/ · .* · production/);
		const byPlatform = await search('maintainx');
		expect(byPlatform.map((r) => r.value)).toEqual([env.sb.connections[1].id]);
		const byEmail = await search('baltic-castings');
		expect(byEmail.map((r) => r.value)).toEqual([env.sb.connections[2].id]);
		expect(await search('nordic staging')).toEqual([]);
	});
});

// Last: it disconnects the fourth connection.
describe('every operation that runs on a connection runs with the System API credential', () => {
	it('reaches its documented path with 2xx for each one', async () => {
		const primary = env.sb.connections[0].id;
		const ops = OPERATIONS.filter(runsOnConnection).sort((a, b) => Number(a.operation === 'disconnect') - Number(b.operation === 'disconnect'));
		const failed: string[] = [];
		for (const op of ops) {
			const { parameters, items } = parametersFor(op, env.sb);
			// Disconnecting ends a connection: the fourth one, which no other test uses.
			const target = op.operation === 'disconnect' ? env.sb.connections[3].id : primary;
			const { items: output, harness } = await env.run(onConnection(parameters, byId(target)), { items, continueOnFail: true });
			const hit = harness.http.log.find((e) => e.method === op.method && pathPattern(op).test(new URL(e.url).pathname + new URL(e.url).search));
			if (!hit?.status || hit.status >= 300) failed.push(`${operationId(op)}: ${hit?.status} ${JSON.stringify(output[0]?.json)}`);
			if (leaks(output)) failed.push(`${operationId(op)}: a token in the output`);
		}
		console.log(`Operations usable with the System API credential: ${ops.length - failed.length}/${ops.length}`);
		expect(failed).toEqual([]);
		expect(ops.length).toBe(OPERATIONS.filter((op) => !op.path.startsWith('/api/system/')).length);
		// One token for the whole loop: the cache served every other request.
		expect(env.sb.admin.tokenCounts().issued).toEqual({ [primary]: 1, [env.sb.connections[3].id]: 1 });
	}, 240_000);
});
