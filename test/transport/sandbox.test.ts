/**
 * The transport against the sandbox over loopback: paging, retries, Retry-After, the
 * error mapping of every status, no secret in any error, and both credential tests.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	makiniApiRequest,
	makiniCollect,
	makiniPages,
	type MakiniContext,
	type MakiniRequestOptions,
} from '../../nodes/shared/transport';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { NodeHarness, transportProbe } from '../harness/execute';
import { HttpHarness, type CredentialStore } from '../harness/http';

const probe = transportProbe;

let sb: SandboxHandle;
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };

function credentials(): CredentialStore {
	return {
		makiniApi: { apiToken: sb.apiToken, baseUrl: `${sb.url}/` },
		makiniSystemApi: { clientId: sb.systemClientId, clientSecret: sb.systemClientSecret, baseUrl: sb.url, accessToken: '' },
	};
}

function context(store = credentials()) {
	const harness = new NodeHarness(probe, { parameters: {}, credentials: store });
	return { ctx: harness.executeContext() as unknown as MakiniContext, harness };
}

async function failureOf(options: MakiniRequestOptions, store?: CredentialStore) {
	const { ctx, harness } = context(store);
	try {
		await makiniApiRequest.call(ctx, { retry: FAST, ...options });
	} catch (error) {
		return { error: error as Error & { httpCode?: string; description?: string; context: IDataObject }, harness };
	}
	throw new Error('expected the request to fail');
}

const pageRequests = (path: string) =>
	Object.values(sb.stats.snapshot().requests[`GET ${path}`] ?? {}).reduce((a: number, b) => a + Number(b), 0);

beforeAll(async () => {
	sb = await startSandbox({ port: 0, workOrders: 1234, maxPageSize: 200, autoWebhooks: false });
});
afterAll(async () => {
	await sb.close();
});
afterEach(async () => {
	await sb.admin.resetScenarios();
	sb.stats.reset();
});

describe('paging', () => {
	it('reads every record once in ceil(N / max page size) requests', async () => {
		const { ctx } = context();
		const all = await makiniCollect.call(ctx, { method: 'GET', path: '/api/eam/work-orders' });
		const keys = new Set(all.map((r) => r.key));
		expect(all).toHaveLength(1234);
		expect(keys.size).toBe(1234);
		expect(pageRequests('/api/eam/work-orders')).toBe(Math.ceil(1234 / 200));
	});

	it('stops at a limit without fetching pages it does not need', async () => {
		const { ctx } = context();
		const some = await makiniCollect.call(ctx, { method: 'GET', path: '/api/eam/work-orders' }, { limit: 50 });
		expect(some).toHaveLength(50);
		expect(pageRequests('/api/eam/work-orders')).toBe(1);
		sb.stats.reset();
		const more = await makiniCollect.call(ctx, { method: 'GET', path: '/api/eam/work-orders' }, { limit: 450 });
		expect(more).toHaveLength(450);
		expect(pageRequests('/api/eam/work-orders')).toBe(3);
	});

	it('yields page by page', async () => {
		const { ctx } = context();
		const sizes: number[] = [];
		for await (const page of makiniPages.call(ctx, { method: 'GET', path: '/api/eam/work-orders' }, { limit: 500 })) {
			sizes.push(page.length);
		}
		expect(sizes).toEqual([200, 200, 100]);
	});
});

describe('retries', () => {
	it('retries a read through injected 500/502/503/504 and resets', async () => {
		for (const failure of [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }, { reset: true }] as const) {
			await sb.admin.injectFailure({ ...failure, times: 2, method: 'GET', path: '/api/eam/sites' });
			const { ctx, harness } = context();
			const body = await makiniApiRequest.call(ctx, { method: 'GET', path: '/api/eam/sites', retry: FAST });
			expect(Array.isArray(body.data)).toBe(true);
			expect(harness.http.log.filter((e) => e.url.includes('/api/eam/sites'))).toHaveLength(3);
		}
	});

	it('honours Retry-After on 429 before trying again', async () => {
		await sb.admin.injectFailure({ status: 429, times: 1, retryAfter: 1, path: '/api/eam/sites' });
		const { ctx } = context();
		const started = Date.now();
		await makiniApiRequest.call(ctx, { method: 'GET', path: '/api/eam/sites' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it('never repeats a create that may have been applied', async () => {
		const before = sb.stats.snapshot().writes.creates;
		await sb.admin.injectFailure({ status: 500, phase: 'after', times: 1, method: 'POST', path: '/api/eam/service-requests' });
		const { error, harness } = await failureOf({
			method: 'POST',
			path: '/api/eam/service-requests',
			body: { title: 'Leaking valve' },
		});
		expect(error.httpCode).toBe('500');
		expect(harness.http.log.filter((e) => e.method === 'POST')).toHaveLength(1);
		expect(sb.stats.snapshot().writes.creates).toBe(before + 1);
	});

	it('repeats a create refused by a 429, which proves it was not applied', async () => {
		const before = sb.stats.snapshot().writes.creates;
		await sb.admin.injectFailure({ status: 429, times: 1, retryAfter: 0, method: 'POST', path: '/api/eam/service-requests' });
		const { ctx, harness } = context();
		await makiniApiRequest.call(ctx, { method: 'POST', path: '/api/eam/service-requests', body: { title: 'Noisy fan' } });
		expect(harness.http.log.filter((e) => e.method === 'POST')).toHaveLength(2);
		expect(sb.stats.snapshot().writes.creates).toBe(before + 1);
	});

	it('gives up after a bounded number of attempts, saying so', async () => {
		await sb.admin.injectFailure({ status: 503, times: 50, path: '/api/eam/sites' });
		const { error, harness } = await failureOf({ method: 'GET', path: '/api/eam/sites' });
		expect(harness.http.log).toHaveLength(5);
		expect(error.message).toContain('after 5 attempts');
		expect(error.message).toContain('503');
	});
});

describe('error mapping', () => {
	it('401: reauthorization, with code and request ID', async () => {
		await sb.admin.requireReauthorization({ required: true });
		const { error } = await failureOf({ method: 'GET', path: '/api/eam/sites' });
		expect(error.httpCode).toBe('401');
		expect(error.message).toContain('AUTHENTICATION_FAILED');
		expect(error.description).toMatch(/reauthoriz|reconnect/i);
		expect(error.context.requestId).toMatch(/\S+/);
		expect(error.description).toContain(String(error.context.requestId));
	});

	it('403: a connection token on the system API', async () => {
		const { error } = await failureOf({ method: 'GET', path: '/api/system/client' });
		expect(error.httpCode).toBe('403');
		expect(error.message).toMatch(/permission/i);
	});

	it('404: names the path and how to find the key', async () => {
		const { error } = await failureOf({ method: 'GET', path: '/api/eam/work-orders/00000000000000' });
		expect(error.httpCode).toBe('404');
		expect(error.message).toContain('/api/eam/work-orders/00000000000000');
		expect(error.context.makiniCode).toBe('NOT_FOUND');
	});

	it('405: no entity DELETE', async () => {
		const key = String((sb.admin.listRecords({ collection: 'work-orders' })[0] as IDataObject).key);
		const { error } = await failureOf({ method: 'DELETE', path: `/api/eam/work-orders/${key}` });
		expect(error.httpCode).toBe('405');
		expect(error.description).toMatch(/status/i);
	});

	it('422: names the fields the product requires', async () => {
		const { error } = await failureOf({ method: 'POST', path: '/api/eam/work-orders', body: { notes: 'x' } });
		expect(error.httpCode).toBe('422');
		expect(error.message).toContain('VALIDATION_FAILED');
		expect(error.message).toMatch(/title/);
		expect(error.context.fields).toHaveProperty('title');
	});

	it('429: rate limited after the bounded attempts', async () => {
		await sb.admin.injectFailure({ status: 429, times: 50, retryAfter: 0, path: '/api/eam/sites' });
		const { error, harness } = await failureOf({ method: 'GET', path: '/api/eam/sites' });
		expect(error.httpCode).toBe('429');
		expect(error.context.makiniCode).toBe('RATE_LIMIT_EXCEEDED');
		expect(harness.http.log).toHaveLength(10);
	});

	it('network: Makini unreachable', async () => {
		const store = credentials();
		store.makiniApi.baseUrl = 'http://127.0.0.1:1';
		const { error } = await failureOf({ method: 'GET', path: '/api/eam/sites' }, store);
		expect(error.message).toMatch(/Could not reach Makini after 5 attempts/);
		expect(error.description).toContain('ECONNREFUSED');
	});

	it('no token or secret appears in any error', async () => {
		const texts: string[] = [];
		await sb.admin.requireReauthorization({ required: true });
		texts.push(JSON.stringify((await failureOf({ method: 'GET', path: '/api/eam/sites' })).error));
		await sb.admin.resetScenarios();
		const wrong = credentials();
		wrong.makiniSystemApi.clientSecret = 'wrong-secret-value';
		texts.push(JSON.stringify((await failureOf({ method: 'GET', path: '/api/system/client', credentialType: 'makiniSystemApi' }, wrong)).error));
		const all = texts.join('\n');
		for (const secret of [sb.apiToken, sb.systemClientSecret, sb.webhookSecret, 'wrong-secret-value']) {
			expect(all).not.toContain(secret);
		}
	});
});

describe('System API credential', () => {
	it('fetches its token by client credentials and refreshes it after expiry', async () => {
		const store = credentials();
		const { ctx } = context(store);
		const first = await makiniApiRequest.call(ctx, { method: 'GET', path: '/api/system/client', credentialType: 'makiniSystemApi' });
		expect(first.data).toBeDefined();
		const token = store.makiniSystemApi.accessToken;
		expect(token).toBeTruthy();
		await sb.admin.expireSystemTokens();
		await makiniApiRequest.call(ctx, { method: 'GET', path: '/api/system/client', credentialType: 'makiniSystemApi' });
		expect(store.makiniSystemApi.accessToken).toBeTruthy();
		expect(store.makiniSystemApi.accessToken).not.toBe(token);
	});
});

describe('credential tests', () => {
	const test = (store: CredentialStore, type: string) => new HttpHarness(store).testCredential(type);

	it('Makini API: OK, wrong token, connection needing reauthorization', async () => {
		expect((await test(credentials(), 'makiniApi')).status).toBe('OK');
		const wrong = credentials();
		wrong.makiniApi.apiToken = 'not-a-token';
		const refused = await test(wrong, 'makiniApi');
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/token is wrong or revoked/);
		await sb.admin.requireReauthorization({ required: true });
		const reauth = await test(credentials(), 'makiniApi');
		expect(reauth.status).toBe('Error');
		expect(reauth.message).toMatch(/needs reauthorization/);
	});

	it('Makini System API: OK and wrong secret', async () => {
		expect((await test(credentials(), 'makiniSystemApi')).status).toBe('OK');
		const wrong = credentials();
		wrong.makiniSystemApi.clientSecret = 'nope';
		expect((await test(wrong, 'makiniSystemApi')).status).toBe('Error');
	});
});
