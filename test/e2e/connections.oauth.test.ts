/**
 * The Makini Link OAuth2 credential in a real n8n 2.x, end to end against the sandbox's
 * Makini Link emulation: n8n's REST API gives the authorization URL; following it, the
 * sandbox's consent page (auto-approved) redirects to n8n's callback with a code; n8n
 * exchanges it at /link/token. A workflow reads the consenting connection's work orders.
 * The sandbox then expires the access token: the next run gets a 401, n8n refreshes the
 * token (grant_type=refresh_token, counted once by the sandbox) and the run succeeds.
 * No access or refresh token is in the executions or n8n's log.
 */
import { readFileSync } from 'node:fs';

import { chain, executionError, makiniNode, MANUAL_TRIGGER_NAME, nodeOutput, startNode, type Execution } from '../../e2e/lib';
import { redact } from '../../nodes/shared/transport/redact';
import { reportFileTime, startE2e, stopE2e, type E2eContext } from './helpers';

reportFileTime('connections.oauth.test.ts');

describe('n8n 2.x: the Makini Link OAuth2 credential', () => {
	let context: E2eContext;
	const executions: Execution[] = [];

	beforeAll(async () => {
		context = await startE2e(2, { sandbox: { workOrders: 30, autoWebhooks: false } });
	});

	afterAll(async () => {
		await stopE2e(context);
	});

	test('authorize through n8n, run, expire the access token, run again: n8n refreshed it once and the run succeeded', async () => {
		const { client } = context.session;
		const { admin } = context.sandbox;
		const consenting = context.sandbox.connections[1];
		const credential = await client.createCredential('Makini Link (e2e)', 'makiniLinkOAuth2Api', {
			clientId: context.sandbox.systemClientId,
			clientSecret: context.sandbox.systemClientSecret,
			baseUrl: context.sandbox.url,
			linkUrl: context.sandbox.url,
		});
		admin.resetTokenCounts();

		// 1. n8n's REST API gives the URL of Makini Link's consent page.
		const authUrl = new URL(await client.rest<string>('GET', `/oauth2-credential/auth?id=${encodeURIComponent(credential.id)}`));
		expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${context.sandbox.url}/oauth/authorize`);
		expect(authUrl.searchParams.get('client_id')).toBe(context.sandbox.systemClientId);
		expect(authUrl.searchParams.get('response_type')).toBe('code');
		const redirectUri = String(authUrl.searchParams.get('redirect_uri'));
		expect(redirectUri).toMatch(/\/rest\/oauth2-credential\/callback$/);

		// 2. The customer consents (the sandbox approves at once; connection_id is the sandbox's way to say which connection).
		authUrl.searchParams.set('connection_id', consenting.id);
		const consent = await fetch(authUrl, { redirect: 'manual' });
		expect(consent.status).toBe(302);
		const back = new URL(String(consent.headers.get('location')));
		expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
		expect(back.searchParams.get('code')).toBeTruthy();

		// 3. The browser lands on n8n's callback: n8n exchanges the code at /link/token.
		const callback = await client.restPage(`/oauth2-credential/callback${back.search}`);
		expect(callback.status).toBe(200);
		expect(admin.tokenCounts().authorizationCodes[consenting.id]).toBe(1);

		const ref = { type: 'makiniLinkOAuth2Api' as const, id: credential.id, name: credential.name };
		const run = async (name: string) => {
			const workflow = await client.createWorkflow(
				chain(name, [
					startNode({ kind: 'manual' }),
					makiniNode('Work Orders', { authentication: 'linkOAuth2', system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: false, limit: 5 }, ref),
				]),
			);
			const execution = await client.waitForExecution(await client.runManually(workflow, MANUAL_TRIGGER_NAME), 120_000);
			executions.push(execution);
			return execution;
		};
		const own = new Set(admin.listRecords({ collection: 'work-orders', connectionId: consenting.id }).map((r) => String(r.key)));

		// 4. A workflow reads the consenting connection's work orders with the access token.
		const first = await run('Makini Link: work orders');
		expect(executionError(first)).toBeUndefined();
		const firstItems = nodeOutput(first, 'Work Orders');
		expect(firstItems).toHaveLength(5);
		for (const item of firstItems) expect(own.has(String(item.key))).toBe(true);
		expect(admin.tokenCounts().refreshed[consenting.id] ?? 0).toBe(0);

		// 5. The access token expires (the sandbox's clock for it): the next run gets a 401, n8n refreshes, the run succeeds.
		expect(admin.expireConnectionTokens({ connectionId: consenting.id }).expired).toBeGreaterThanOrEqual(1);
		const second = await run('Makini Link: work orders after the access token expired');
		expect(executionError(second)).toBeUndefined();
		expect(nodeOutput(second, 'Work Orders').map((i) => String(i.key)).every((k) => own.has(k))).toBe(true);
		const counts = admin.tokenCounts();
		process.stdout.write(
			`e2e: Makini Link OAuth2 in n8n 2.x: authorization codes redeemed ${counts.authorizationCodes[consenting.id] ?? 0}, refresh grants ${counts.refreshed[consenting.id] ?? 0}, runs ${executions.length} (both succeeded: ${[first, second].every((e) => e.status === 'success')})\n`,
		);
		expect(counts.refreshed[consenting.id]).toBe(1);
		expect(second.status).toBe('success');

		// 6. No access or refresh token in the executions or n8n's log.
		const secrets = [...admin.issuedTokens(), context.sandbox.systemClientSecret];
		const texts = [
			...(await Promise.all(executions.map(async (e) => JSON.stringify(await client.execution(e.id, true))))),
			readFileSync(context.session.n8n.logFile, 'utf8'),
		];
		let found = 0;
		for (const text of texts) {
			const plain = redact(text);
			for (const secret of secrets) if (text.includes(secret) || redact(text, [secret]) !== plain) found++;
		}
		process.stdout.write(`e2e: Makini Link secrets found in ${executions.length} executions and n8n's log: ${found}\n`);
		expect(found).toBe(0);
	});
});
