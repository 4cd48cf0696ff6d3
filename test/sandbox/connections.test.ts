/**
 * The sandbox's connections for multi-connection tests: each its own data, tags and
 * platform; System API connection tokens that expire, counted per connection, that the
 * control API can expire or revoke; Link's authorize page, and token pairs whose access
 * token is already expired and whose refresh token works once.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { call, systemToken } from './helpers';

describe('sandbox connections and connection tokens', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 30, connections: 3, connectionTokenTtlSeconds: 120 });
	});
	afterAll(() => sb.close());

	const issue = async (id: string, system: string) => await call(sb, `/api/system/connections/${id}/token`, { method: 'POST', token: system, body: {} });

	it('three connections with different customers, platforms, tags and data', async () => {
		const system = await systemToken(sb);
		const listed = (await call(sb, '/api/system/connections', { token: system })).body.data as Array<Record<string, unknown>>;
		expect(new Set(listed.map((c) => c.name)).size).toBe(3);
		expect(new Set(listed.map((c) => c.integration_name)).size).toBe(3);
		expect(listed.map((c) => c.tags)).toEqual([['production', 'eu'], ['production'], ['staging']]);
		const keys = await Promise.all(
			sb.connections.map(async (c) => (await call(sb, '/api/eam/work-orders', { token: c.apiToken, query: { per_page: 200 } })).body.data.map((w: { key: string }) => w.key) as string[]),
		);
		expect(keys.every((k) => k.length === 30)).toBe(true);
		expect(new Set(keys.flat()).size).toBe(90);
	});

	it('issues expiring tokens, counts them, and expires or revokes them on request', async () => {
		const system = await systemToken(sb);
		const [a, b] = sb.connections;
		sb.admin.resetTokenCounts();
		const first = await issue(a.id, system);
		expect(first.body.data).toMatchObject({ token: expect.any(String), expires_in: 120 });
		await issue(a.id, system);
		await issue(b.id, system);
		expect(sb.admin.tokenCounts().issued).toEqual({ [a.id]: 2, [b.id]: 1 });
		const token = String(first.body.data.token);
		expect((await call(sb, '/api/integrations/current', { token })).body.data.id).toBe(a.id);
		expect(sb.admin.expireConnectionTokens({ connectionId: a.id }).expired).toBe(2);
		expect((await call(sb, '/api/integrations/current', { token })).status).toBe(401);
		// The startup tokens are left alone unless asked.
		expect((await call(sb, '/api/integrations/current', { token: a.apiToken })).status).toBe(200);
		const fresh = String((await issue(b.id, system)).body.data.token);
		expect(sb.admin.revokeConnectionTokens({ connectionId: b.id }).revoked).toBe(2);
		expect((await call(sb, '/api/integrations/current', { token: fresh })).status).toBe(401);
		expect(sb.admin.issuedTokens()).toEqual(expect.arrayContaining([token, fresh]));
		const clock = sb.admin;
		const late = String((await issue(b.id, system)).body.data.token);
		clock.setClockOffset({ ms: 121_000 });
		expect((await call(sb, '/api/integrations/current', { token: late })).status).toBe(401);
		clock.setClockOffset({ ms: 0 });
	});

	it('Link: the authorize page redirects with a code and the state; an expired access token is refreshed once', async () => {
		const c = sb.connections[2];
		const url = new URL(`${sb.url}/oauth/authorize`);
		for (const [k, v] of Object.entries({ client_id: sb.systemClientId, redirect_uri: 'http://127.0.0.1:5678/rest/oauth2-credential/callback', response_type: 'code', state: 'xyz', connection_id: c.id })) url.searchParams.set(k, v);
		const redirect = await fetch(url, { redirect: 'manual' });
		expect(redirect.status).toBe(302);
		const location = new URL(String(redirect.headers.get('location')));
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = String(location.searchParams.get('code'));
		const form = (body: Record<string, string>) => fetch(`${sb.url}/link/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
		const pair = (await (await form({ grant_type: 'authorization_code', code, client_id: sb.systemClientId, client_secret: sb.systemClientSecret })).json()) as Record<string, string>;
		expect((await call(sb, '/api/integrations/current', { token: pair.access_token })).body.data.id).toBe(c.id);

		const expired = sb.admin.issueTokenPair({ connectionId: c.id, expiresInSeconds: 0 });
		expect((await call(sb, '/api/integrations/current', { token: expired.access_token })).status).toBe(401);
		const refreshed = (await (await form({ grant_type: 'refresh_token', refresh_token: expired.refresh_token })).json()) as Record<string, string>;
		expect((await call(sb, '/api/integrations/current', { token: refreshed.access_token })).status).toBe(200);
		expect((await form({ grant_type: 'refresh_token', refresh_token: expired.refresh_token })).status).toBe(400);
		expect(sb.admin.tokenCounts().refreshed[c.id]).toBe(1);
		expect(sb.admin.tokenCounts().authorizationCodes[c.id]).toBe(1);
	});
});
