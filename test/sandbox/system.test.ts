/**
 * The system API and tokens: client-credentials grant at /link/token (and the
 * authorization-code and refresh-token grants), expiry, connections, metadata, issued
 * tokens, deleting a connection and disconnecting through /api/integrations/current.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { call, systemToken, type Json } from './helpers';

describe('sandbox system API', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 50, connections: 4, systemTokenTtlSeconds: 3600 });
	});
	afterAll(() => sb.close());

	it('grants a client-credentials token and refuses wrong client credentials', async () => {
		const granted = await call(sb, '/link/token', { method: 'POST', token: null, body: { grant_type: 'client_credentials', client_id: sb.systemClientId, client_secret: sb.systemClientSecret } });
		expect(granted.status).toBe(200);
		expect(granted.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
		const wrong = await call(sb, '/link/token', { method: 'POST', token: null, body: { grant_type: 'client_credentials', client_id: sb.systemClientId, client_secret: 'wrong' } });
		expect(wrong.status).toBe(401);
		expect(wrong.body.error.code).toBe('AUTHENTICATION_FAILED');
		expect(JSON.stringify(wrong.body)).not.toContain(sb.systemClientSecret);
		const noGrant = await call(sb, '/link/token', { method: 'POST', token: null, body: { client_id: sb.systemClientId } });
		expect(noGrant.status).toBe(422);
		expect((await call(sb, '/link/token', { token: null })).status).toBe(405);

		const client = await call(sb, '/api/system/client', { token: granted.body.access_token });
		expect(client.body.data).toMatchObject({ id: sb.systemClientId, name: expect.any(String) });
	});

	it('expires system tokens on demand so a client must fetch a new one', async () => {
		const token = await systemToken(sb);
		expect((await call(sb, '/api/system/connections', { token })).status).toBe(200);
		expect(sb.admin.expireSystemTokens().expired).toBeGreaterThan(0);
		expect((await call(sb, '/api/system/connections', { token })).status).toBe(401);
		expect((await call(sb, '/api/system/connections', { token: await systemToken(sb) })).status).toBe(200);
	});

	it('lists connections with the documented fields and platforms', async () => {
		const token = await systemToken(sb);
		const list = await call(sb, '/api/system/connections', { token });
		expect(list.body.meta.total).toBe(4);
		expect(list.body.data[0]).toMatchObject({ key: sb.connections[0].id, status: 'active', integration_name: 'IBM Maximo', client_id: sb.systemClientId });
		for (const field of ['key', 'name', 'email', 'status', 'integration_name', 'tags', 'user_metadata', 'client_id', 'connected_at', 'created_at', 'updated_at']) {
			expect(list.body.data[0]).toHaveProperty(field);
		}
		const platforms = await call(sb, '/api/system/platforms', { token });
		expect(platforms.body.data.map((p: Json) => p.key)).toEqual(expect.arrayContaining(['maximo', 'sap', 'netsuite']));
	});

	it('sets and reads connection metadata', async () => {
		const token = await systemToken(sb);
		const id = sb.connections[0].id;
		const set = await call(sb, `/api/system/connections/${id}/metadata`, { method: 'POST', token, body: [{ key: 'crm_id', value: 'A-17' }, { key: 'region', value: 'north' }] });
		expect(set.body.data.user_metadata).toEqual({ crm_id: 'A-17', region: 'north' });
		const read = await call(sb, `/api/system/connections/${id}/metadata`, { token });
		expect(read.body.data).toEqual([{ key: 'crm_id', value: 'A-17' }, { key: 'region', value: 'north' }]);
		const invalid = await call(sb, `/api/system/connections/${id}/metadata`, { method: 'POST', token, body: [{ value: 'no key' }] });
		expect(invalid.status).toBe(422);
		expect((await call(sb, '/api/system/connections/00000000-0000-4000-a000-000000000000/metadata', { token })).status).toBe(404);
	});

	it('issues a working API token for a connection and creates connections', async () => {
		const token = await systemToken(sb);
		const id = sb.connections[1].id;
		const issued = await call(sb, `/api/system/connections/${id}/token`, { method: 'POST', token, body: {} });
		const apiToken = issued.body.data.token;
		expect((await call(sb, '/api/integrations/current', { token: apiToken })).body.data.id).toBe(id);

		const created = await call(sb, '/api/system/connections', { method: 'POST', token, body: { name: 'Lyon Works', email: 'ops@lyon.example', provider: 'sap' } });
		expect(created.status).toBe(200);
		expect(created.body.data).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: expect.any(String) });
		const current = await call(sb, '/api/integrations/current', { token: created.body.data.access_token });
		expect(current.body.data).toMatchObject({ company_name: 'Lyon Works', provider: 'sap' });

		const invalid = await call(sb, '/api/system/connections', { method: 'POST', token, body: { provider: 'nope' } });
		expect(Object.keys(invalid.body.error.errors).sort()).toEqual(['email', 'provider']);
	});

	it('exchanges an authorization code and a refresh token (form-encoded)', async () => {
		const { code } = sb.admin.issueAuthorizationCode({ connectionId: sb.connections[2].id });
		const form = (fields: Record<string, string>) =>
			fetch(`${sb.url}/link/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
		const exchanged = (await (await form({ grant_type: 'authorization_code', code, client_id: sb.systemClientId, client_secret: sb.systemClientSecret })).json()) as Json;
		expect(exchanged).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer' });
		expect((await call(sb, '/api/integrations/current', { token: exchanged.access_token })).body.data.id).toBe(sb.connections[2].id);
		expect((await form({ grant_type: 'authorization_code', code })).status).toBe(400);

		const refreshed = (await (await form({ grant_type: 'refresh_token', refresh_token: exchanged.refresh_token })).json()) as Json;
		expect(refreshed.access_token).not.toBe(exchanged.access_token);
		expect((await form({ grant_type: 'refresh_token', refresh_token: exchanged.refresh_token })).status).toBe(400);
	});

	it('disconnects through DELETE /api/integrations/current: the token stops working at once', async () => {
		const token = sb.connections[3].apiToken;
		expect((await call(sb, '/api/eam/sites', { token })).status).toBe(200);
		const answer = await call(sb, '/api/integrations/current', { method: 'DELETE', token });
		expect(answer.status).toBe(200);
		expect((await call(sb, '/api/eam/sites', { token })).status).toBe(401);
		expect((await call(sb, '/api/integrations/current', { token })).status).toBe(401);
		expect((await call(sb, '/api/eam/sites')).status).toBe(200);
	});

	it('deletes a connection through the system API', async () => {
		const token = await systemToken(sb);
		const id = sb.connections[2].id;
		expect((await call(sb, `/api/system/connections/${id}`, { method: 'DELETE', token })).status).toBe(200);
		expect((await call(sb, '/api/eam/sites', { token: sb.connections[2].apiToken })).status).toBe(401);
		expect((await call(sb, `/api/system/connections/${id}`, { method: 'DELETE', token })).status).toBe(404);
		const remaining = (await call(sb, '/api/system/connections', { token })).body.data.map((c: Json) => c.key);
		expect(remaining).not.toContain(id);
	});
});
