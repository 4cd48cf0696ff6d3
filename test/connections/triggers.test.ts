/**
 * The polling triggers across connections with the Makini System API credential, against
 * a sandbox whose connections hold their own records and tags: all, tagged and one
 * connection; every item names its connection; each connection keeps its own cursor and
 * health state, so one that fails is reported once while the others go on, and its
 * changes made during the failure follow when it works again, none skipped or repeated.
 */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { clearConnectionTokens } from '../../nodes/shared/transport/connectionToken';
import type { SandboxHandle } from '../../sandbox';
import { credentialsOf, Poller, useSandbox } from '../polling/helpers';

const records = new MakiniRecordChangesTrigger();
const health = new MakiniConnectionHealthTrigger();

function insert(sb: SandboxHandle, connectionId: string, count: number, title: string): string[] {
	const rows = Array.from({ length: count }, (_, i) => ({ title: `${title} ${i}` }));
	return sb.admin.upsertRecords({ collection: 'work-orders', connectionId, records: rows }).map((r) => String(r.key));
}

/** Keys emitted per connection id. */
function byConnection(items: IDataObject[]): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const item of items) {
		if (item.makiniChange === 'connectionError') continue;
		const id = String((item.makiniConnection as IDataObject).id);
		(out[id] ??= []).push(String(item.key));
	}
	for (const keys of Object.values(out)) keys.sort();
	return out;
}

function expectNoSecrets(sb: SandboxHandle, items: IDataObject[]) {
	const text = JSON.stringify(items);
	for (const secret of [sb.apiToken, sb.systemClientSecret, ...sb.connections.map((c) => c.apiToken), ...sb.admin.issuedTokens()]) {
		expect(text).not.toContain(secret);
	}
}

/** Connection id → name, as the System API lists them. */
async function connectionNames(sb: SandboxHandle): Promise<Record<string, string>> {
	const { data: token } = await axios.post(`${sb.url}/link/token`, { grant_type: 'client_credentials', client_id: sb.systemClientId, client_secret: sb.systemClientSecret });
	const { data } = await axios.get(`${sb.url}/api/system/connections`, { headers: { Authorization: `Bearer ${(token as { access_token: string }).access_token}` } });
	return Object.fromEntries((data as { data: IDataObject[] }).data.map((c) => [String(c.key), String(c.name)]));
}

const env = useSandbox({ connections: 3, workOrders: 30 });

beforeEach(async () => {
	clearConnectionTokens();
	await env.sb.admin.resetScenarios();
	for (const c of env.sb.connections) env.sb.admin.requireReauthorization({ connectionId: c.id, required: false });
});

const systemPoller = (parameters: IDataObject) =>
	new Poller(records, { authentication: 'systemApi', system: 'eam', resource: 'workOrder', ...parameters }, credentialsOf(env.sb));

describe('Record Changes Trigger across connections', () => {
	test('all connections: each item is a record of its own connection and names it; one cursor per connection', async () => {
		const { sb } = env;
		const [a, b, c] = sb.connections;
		const p = systemPoller({ watchConnections: 'all' });
		expect(await p.poll()).toEqual([]);
		for (const x of [a, b, c]) expect(p.staticData[`makiniRecordChanges@${x.id}`]).toMatchObject({ kind: 'timestamp' });
		const added = { [b.id]: insert(sb, b.id, 3, 'B').sort(), [c.id]: insert(sb, c.id, 2, 'C').sort() };
		const items = await p.poll();
		expect(byConnection(items)).toEqual(added);
		const names = await connectionNames(sb);
		for (const item of items) {
			const connection = item.makiniConnection as IDataObject;
			expect(connection.name).toBe(names[String(connection.id)]);
			expect(item.makiniChange).toBe('new');
		}
		expect(await p.poll()).toEqual([]);
		// A's new record does not move B's or C's cursor, nor theirs A's.
		const onlyA = insert(sb, a.id, 1, 'A');
		expect(byConnection(await p.poll())).toEqual({ [a.id]: onlyA });
		expectNoSecrets(sb, items);
	});

	test('by tag: only the connections carrying every tag; one connection by ID', async () => {
		const { sb } = env;
		const [a, b, c] = sb.connections;
		const tagged = systemPoller({ watchConnections: 'tags', connectionTags: 'Production' });
		const one = systemPoller({ watchConnections: 'one', connection: { __rl: true, mode: 'id', value: c.id } });
		const both = systemPoller({ watchConnections: 'tags', connectionTags: 'production, eu' });
		for (const p of [tagged, one, both]) expect(await p.poll()).toEqual([]);
		const added = { [a.id]: insert(sb, a.id, 1, 'A'), [b.id]: insert(sb, b.id, 1, 'B'), [c.id]: insert(sb, c.id, 1, 'C') };
		expect(byConnection(await tagged.poll())).toEqual({ [a.id]: added[a.id], [b.id]: added[b.id] });
		expect(byConnection(await one.poll())).toEqual({ [c.id]: added[c.id] });
		expect(byConnection(await both.poll())).toEqual({ [a.id]: added[a.id] });
	});

	test('one failing connection: reported once, the others go on, its changes follow when it works again', async () => {
		const { sb } = env;
		const [a, b, c] = sb.connections;
		const p = systemPoller({ watchConnections: 'all' });
		expect(await p.poll()).toEqual([]);
		sb.admin.requireReauthorization({ connectionId: b.id });
		const during = { [a.id]: insert(sb, a.id, 2, 'A').sort(), [b.id]: insert(sb, b.id, 2, 'B').sort() };
		const first = await p.poll();
		expect(byConnection(first)).toEqual({ [a.id]: during[a.id] });
		const errors = first.filter((i) => i.makiniChange === 'connectionError');
		expect(errors).toHaveLength(1);
		expect(errors[0].makiniConnection).toEqual({ id: b.id, name: (await connectionNames(sb))[b.id] });
		expect(String(errors[0].message)).toContain(b.id);
		expect(errors[0].httpCode).toBe('401');
		// Still failing: no second error item; C's change is emitted meanwhile.
		const onlyC = insert(sb, c.id, 1, 'C');
		expect(await p.poll().then(byConnection)).toEqual({ [c.id]: onlyC });
		sb.admin.requireReauthorization({ connectionId: b.id, required: false });
		const after = await p.poll();
		expect(byConnection(after)).toEqual({ [b.id]: during[b.id] });
		expect(after.filter((i) => i.makiniChange === 'connectionError')).toEqual([]);
		expect(await p.poll()).toEqual([]);
		expectNoSecrets(sb, [...first, ...after]);
	});

	test('every watched connection failing fails the poll, naming each', async () => {
		const { sb } = env;
		const p = systemPoller({ watchConnections: 'tags', connectionTags: 'production' });
		expect(await p.poll()).toEqual([]);
		for (const c of sb.connections.slice(0, 2)) sb.admin.requireReauthorization({ connectionId: c.id });
		const error = (await p.poll().catch((e: unknown) => e)) as Error & { description?: string };
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toMatch(/Every watched connection failed \(2\)/);
		const names = await connectionNames(sb);
		for (const c of sb.connections.slice(0, 2)) expect(error.description).toContain(names[c.id]);
	});

	test('a manual run samples each watched connection, naming it', async () => {
		const { sb } = env;
		const p = systemPoller({ watchConnections: 'tags', connectionTags: 'production' });
		const items = await p.manual();
		const ids = new Set(items.map((i) => String((i.makiniConnection as IDataObject).id)));
		expect(ids).toEqual(new Set(sb.connections.slice(0, 2).map((c) => c.id)));
	});

	test('the API token credential works as before: no connection field, one cursor', async () => {
		const { sb } = env;
		const p = new Poller(records, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		expect(await p.poll()).toEqual([]);
		const keys = insert(sb, sb.connections[0].id, 1, 'token');
		const items = await p.poll();
		expect(items.map((i) => i.key)).toEqual(keys);
		expect(items[0].makiniConnection).toBeUndefined();
		expect(p.staticData.makiniRecordChanges).toMatchObject({ kind: 'timestamp' });
	});
});

describe('Connection Health Trigger across connections', () => {
	const healthPoller = (parameters: IDataObject) =>
		new Poller(health, { authentication: 'systemApi', options: { statusSource: 'eachConnection' }, ...parameters }, credentialsOf(env.sb));

	test('by tag and one: alerts only for the watched connections, each naming its connection', async () => {
		const { sb } = env;
		const [a, b, c] = sb.connections;
		const tagged = healthPoller({ watchConnections: 'tags', connectionTags: 'production' });
		const one = healthPoller({ watchConnections: 'one', connection: { __rl: true, mode: 'id', value: c.id } });
		expect(await tagged.poll()).toEqual([]);
		expect(await one.poll()).toEqual([]);
		for (const x of [a, b, c]) sb.admin.setSyncStatus({ connectionId: x.id, syncStatus: 'error' });
		const taggedAlerts = await tagged.poll();
		expect(taggedAlerts.map((i) => [i.connectionId, i.kind]).sort()).toEqual([[a.id, 'sync_failed'], [b.id, 'sync_failed']].sort());
		for (const alert of taggedAlerts) expect(alert.connectionName).toEqual(expect.any(String));
		expect((await one.poll()).map((i) => [i.connectionId, i.kind])).toEqual([[c.id, 'sync_failed']]);
		for (const x of [a, b, c]) sb.admin.setSyncStatus({ connectionId: x.id, syncStatus: 'done' });
	});

	test('one connection that cannot be read: one poll_error naming it, the others still alert, then poll_recovered', async () => {
		const { sb } = env;
		const [a, b] = sb.connections;
		const p = healthPoller({ watchConnections: 'all' });
		expect(await p.poll()).toEqual([]);
		// B's token cannot be issued (a 500 for B only, retried as a poll retries); A's sync fails meanwhile.
		sb.admin.injectFailure({ method: 'POST', path: `/api/system/connections/${b.id}/token`, status: 500, retryAfter: 0, times: 1000 });
		sb.admin.setSyncStatus({ connectionId: a.id, syncStatus: 'error' });
		const first = await p.poll();
		expect(first.map((i) => [i.connectionId, i.kind]).sort()).toEqual([[a.id, 'sync_failed'], [b.id, 'poll_error']].sort());
		expect(String(first.find((i) => i.kind === 'poll_error')?.message)).toContain((await connectionNames(sb))[b.id]);
		expect(await p.poll()).toEqual([]);
		await sb.admin.resetScenarios();
		sb.admin.setSyncStatus({ connectionId: a.id, syncStatus: 'done' });
		const after = await p.poll();
		expect(after.map((i) => [i.connectionId, i.kind]).sort()).toEqual([[a.id, 'recovered'], [b.id, 'poll_recovered']].sort());
		expectNoSecrets(sb, [...first, ...after]);
	});
});
