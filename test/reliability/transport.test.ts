/**
 * The transport's guarantees under servers that misbehave (issue 19 items 6-9, issue 18
 * item 3), in process: the Makini node and the Connection Health trigger through the
 * execute/poll harness (real HTTP, n8n's real 300 s default timeout), against the sandbox
 * or a small loopback server that behaves as a broken Makini would.
 *
 * n8n-workflow's `sleep` (the only way node code waits) records each wait the transport
 * asks for and waits at most 2 ms, so backoff figures are what would be waited in n8n.
 * Timeouts are real: axios's own timer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runMakini } from '../node/helpers';
import { MakiniConnectionHealthTrigger } from '../../nodes/MakiniConnectionHealthTrigger/MakiniConnectionHealthTrigger.node';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_RETRY_POLICY, MAX_READ_BYTES, MAX_READ_RECORDS } from '../../nodes/shared/transport';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { runPoll } from '../harness/execute';
import type { CredentialStore } from '../harness/http';
import { captureConsole, type ConsoleCapture } from './lib/console';
import { figure, runSeed } from './lib/figures';
import { describeFindings, findSecrets, recognisableSecrets } from './lib/secrets';

const mockWaits: number[] = [];
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return {
		...actual,
		sleep: async (ms: number) => {
			mockWaits.push(ms);
			await actual.sleep(Math.min(ms, 2));
		},
	};
});

const AREA = 'transport';
const seed = runSeed(AREA);
const secrets = recognisableSecrets(seed);

/** A loopback server answering every request with `handle`; counts the requests it got. */
interface FakeMakini {
	url: string;
	requests: Array<{ method: string; url: string; authorization?: string; body: string }>;
	close(): Promise<void>;
}

async function fakeMakini(
	handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string, index: number) => void,
): Promise<FakeMakini> {
	const requests: FakeMakini['requests'] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization, body });
			handle(req, res, body, requests.length);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}

const returnAll = { system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true };
const readOne = { system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: false, limit: 1 };

async function failureOf(promise: Promise<unknown>): Promise<{ message: string; description: string; context: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		const e = error as { message: string; description?: string; context?: IDataObject };
		return { message: e.message, description: String(e.description ?? ''), context: e.context ?? {} };
	}
	throw new Error('expected the run to fail');
}

const MiB = 1024 * 1024;

describe('endless paging is stopped with a clear error (issue 19 item 6)', () => {
	/** Heap in use now, after a collection when the runtime exposes one. */
	const heap = () => {
		(globalThis as { gc?: () => void }).gc?.();
		return process.memoryUsage().heapUsed;
	};
	const page = (n: number, size: number, filler = '') =>
		Array.from({ length: size }, (_, i) => ({ key: `WO-${n}-${i}`, title: `Work order ${n}/${i}`, notes: filler }));

	async function endless(
		name: string,
		answer: (url: URL, index: number) => unknown,
		expectStop: { maxRequests: number; message: RegExp },
	) {
		let peak = 0;
		const base = heap();
		const server = await fakeMakini((req, res, _body, index) => {
			peak = Math.max(peak, process.memoryUsage().heapUsed);
			json(res, 200, answer(new URL(req.url ?? '/', 'http://x'), index));
		});
		try {
			const started = performance.now();
			const failure = await failureOf(runMakini({ parameters: returnAll as never, credentials: { makiniApi: { apiToken: secrets.apiToken, baseUrl: server.url } } }));
			const seconds = ((performance.now() - started) / 1000).toFixed(1);
			const growth = Math.max(0, peak - base) / MiB;
			figure(AREA, `endless server: ${name}`, `stopped after ${server.requests.length} requests in ${seconds} s, heap growth ${growth.toFixed(0)} MiB; "${failure.message}"`);
			expect(server.requests.length).toBeLessThanOrEqual(expectStop.maxRequests);
			expect(failure.message).toMatch(expectStop.message);
			// What to do next: narrow the read, or use the polling trigger.
			expect(failure.description).toMatch(/Filters/);
			expect(failure.description).toMatch(/Updated Since/);
			expect(failure.description).toMatch(/Record Changes Trigger/);
			return { requests: server.requests.length, growthMiB: growth };
		} finally {
			await server.close();
		}
	}

	it('links.next pointing back at page 1', async () => {
		await endless(
			'links.next back to page 1',
			(url) => {
				const n = Number(url.searchParams.get('page') ?? 1);
				return { data: page(n, 500), links: { next: `/api/eam/work-orders?page=${n === 1 ? 2 : 1}` } };
			},
			{ maxRequests: 2 + 1, message: /went round in circles.*already read/ },
		);
	});

	it('a next_cursor that repeats', async () => {
		await endless(
			'repeating next_cursor',
			(url) => ({ data: page(url.searchParams.has('cursor') ? 2 : 1, 500), next_cursor: 'c_same' }),
			{ maxRequests: 2, message: /next_cursor already read/ },
		);
	});

	it('a page repeating the previous page (the page number ignored)', async () => {
		await endless(
			'every page the same records',
			(url) => ({ data: page(1, 500), links: { next: `/api/eam/work-orders?page=${Number(url.searchParams.get('page') ?? 1) + 1}` } }),
			{ maxRequests: 2, message: /repeated the previous page/ },
		);
	});

	it(`an ever-growing list of 500-record pages: bounded by records (${MAX_READ_RECORDS})`, async () => {
		const { requests } = await endless(
			'ever-growing list, small records',
			(url) => ({ data: page(Number(url.searchParams.get('page') ?? 1), 500) }),
			{ maxRequests: MAX_READ_RECORDS / 500 + 1, message: new RegExp(`more than ${MAX_READ_RECORDS.toLocaleString('en-US')} records`) },
		);
		expect(requests).toBe(MAX_READ_RECORDS / 500 + 1);
	});

	it(`an ever-growing list of 500-record pages: bounded by memory (${MAX_READ_BYTES / MiB} MiB)`, async () => {
		const filler = 'x'.repeat(2_000);
		const { growthMiB } = await endless(
			'ever-growing list, 2 KB records',
			(url) => ({ data: page(Number(url.searchParams.get('page') ?? 1), 500, filler), links: { next: 'more' } }),
			{ maxRequests: Math.ceil(MAX_READ_BYTES / (500 * 2_000)) + 1, message: /more than 128 MiB of records/ },
		);
		// The read held at most the limit (plus the parsed objects' overhead), not gigabytes.
		expect(growthMiB).toBeLessThan(1024);
	});
});

describe('a write is never sent twice (issue 19 item 7)', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, seed: Number(seed) % 100_000, workOrders: 20, autoWebhooks: false, rateLimitPerMinute: 1_000_000, apiToken: secrets.apiToken });
	});
	afterAll(async () => {
		await sb?.close();
	});
	afterEach(() => sb.admin.resetScenarios());

	const ITEMS = 200;
	const credentials = (): CredentialStore => ({ makiniApi: { apiToken: secrets.apiToken, baseUrl: sb.url } });

	function gateway() {
		// Applied, then the gateway answers 503: with Retry-After on some, without on others;
		// 429s (nothing applied) on more, which must still be retried.
		sb.admin.injectFailure({ status: 503, rate: 0.2, method: 'POST', phase: 'after', retryAfter: 2 });
		sb.admin.injectFailure({ status: 503, rate: 0.1, method: 'POST', phase: 'after' });
		sb.admin.injectFailure({ status: 429, rate: 0.1, method: 'POST', retryAfter: 1 });
	}

	it(`${ITEMS} creates behind a gateway that applies them, then answers 503 (+ Retry-After)`, async () => {
		gateway();
		const marker = `GW-${seed}`;
		const siteKey = String(sb.admin.listRecords({ collection: 'sites' })[0].key);
		const items: INodeExecutionData[] = Array.from({ length: ITEMS }, (_, i) => ({ json: { title: `${marker}-${i}` } }));
		const waitsBefore = mockWaits.length;
		const { items: output } = await runMakini({
			parameters: { system: 'eam', resource: 'workOrder', operation: 'create', title: '={{ $json.title }}', siteKey } as never,
			credentials: credentials(),
			items,
			continueOnFail: true,
		});
		const stored = sb.admin.listRecords({ collection: 'work-orders' }).filter((r) => String(r.title).startsWith(`${marker}-`));
		const copies = new Map<string, number>();
		for (const r of stored) copies.set(String(r.title), (copies.get(String(r.title)) ?? 0) + 1);
		const doubled = [...copies.values()].reduce((sum, n) => sum + n - 1, 0);
		const failed = output.filter((o) => o.json.error);
		const told = failed.filter((o) => /may have applied this request/.test(String(o.json.description)));
		figure(AREA, `creates behind a 503-after-applying gateway (${ITEMS} items)`, `doubled writes ${doubled}; ${failed.length} failed, ${told.length} of them told it may have been applied; ${mockWaits.length - waitsBefore} retries (429s)`);
		expect(doubled).toBe(0);
		expect(failed.length).toBeGreaterThan(0);
		expect(told.length).toBe(failed.length);
		// Every failed create was in fact applied (the gateway lost only answers): the advice is true.
		for (const o of failed) expect(copies.get(String(items[(o.pairedItem as { item: number }).item].json.title))).toBe(1);
		// 429 proves nothing was applied: those were retried and succeeded.
		expect(mockWaits.length - waitsBefore).toBeGreaterThan(0);
		expect(stored.length).toBe(ITEMS);
	});

	it(`${ITEMS} Passthrough POSTs follow the same rule`, async () => {
		gateway();
		const before = Object.values(sb.stats.snapshot().requests['POST /api/passthrough'] ?? {}).reduce((a, b) => a + b, 0);
		const items: INodeExecutionData[] = Array.from({ length: ITEMS }, (_, i) => ({ json: { i } }));
		const { items: output } = await runMakini({
			parameters: { system: 'platform', resource: 'passthrough', operation: 'call', method: 'post', path: 'dataservice', body: '={{ JSON.stringify({ i: $json.i }) }}' } as never,
			credentials: credentials(),
			items,
			continueOnFail: true,
		});
		const received = Object.entries(sb.stats.snapshot().requests['POST /api/passthrough'] ?? {});
		const applied = received.filter(([status]) => status !== '429').reduce((a, [, n]) => a + n, 0) - before;
		const failed = output.filter((o) => o.json.error);
		figure(AREA, `Passthrough POSTs behind the same gateway (${ITEMS} items)`, `doubled writes ${applied - ITEMS}; ${failed.length} failed, each told it may have been applied`);
		expect(applied).toBe(ITEMS);
		for (const o of failed) expect(String(o.json.description)).toMatch(/may have applied this request/);
	});
});

describe('time bounds (issue 19 item 9)', () => {
	it(`a Makini that never answers: the item fails after the request timeout (${DEFAULT_REQUEST_TIMEOUT_SECONDS} s by default)`, async () => {
		const silent = await fakeMakini(() => undefined);
		try {
			const started = performance.now();
			const failure = await failureOf(runMakini({ parameters: readOne as never, credentials: { makiniApi: { apiToken: secrets.apiToken, baseUrl: silent.url } } }));
			const seconds = (performance.now() - started) / 1000;
			figure(AREA, 'a Makini that never answers (GET, default credential)', `item failed after ${seconds.toFixed(1)} s and ${silent.requests.length} request (was ~25 min: 300 s x 5 attempts); "${failure.message}"`);
			expect(seconds).toBeGreaterThanOrEqual(DEFAULT_REQUEST_TIMEOUT_SECONDS - 1);
			expect(seconds).toBeLessThan(DEFAULT_REQUEST_TIMEOUT_SECONDS * 1.5);
			expect(silent.requests).toHaveLength(1);
			expect(failure.message).toMatch(new RegExp(`request timeout of ${DEFAULT_REQUEST_TIMEOUT_SECONDS} s`));
			expect(failure.message).toMatch(/Request Timeout in the Makini credential/);
		} finally {
			await silent.close();
		}
	});

	it("the credential's Request Timeout is used; a timed-out create says it may have been applied", async () => {
		const silent = await fakeMakini(() => undefined);
		try {
			const started = performance.now();
			const failure = await failureOf(
				runMakini({
					parameters: { system: 'eam', resource: 'workOrder', operation: 'create', title: 'slow', siteKey: 'S-1' } as never,
					credentials: { makiniApi: { apiToken: secrets.apiToken, baseUrl: silent.url, requestTimeout: 2 } },
				}),
			);
			const seconds = (performance.now() - started) / 1000;
			figure(AREA, 'a Makini that never answers (POST, Request Timeout 2 s)', `item failed after ${seconds.toFixed(1)} s and ${silent.requests.length} request`);
			expect(seconds).toBeGreaterThanOrEqual(1.9);
			expect(seconds).toBeLessThan(10);
			expect(silent.requests).toHaveLength(1);
			expect(failure.message).toMatch(/request timeout of 2 s/);
			expect(failure.description).toMatch(/may have applied this request/);
		} finally {
			await silent.close();
		}
	});

	it('Retry-After: 99999 on every 429: bounded by the retry budget', async () => {
		const limited = await fakeMakini((_req, res, _body, index) =>
			json(res, 429, { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Slow down.', request_id: `req_rl_${index}` } }, { 'retry-after': '99999' }),
		);
		try {
			const before = mockWaits.length;
			const failure = await failureOf(runMakini({ parameters: readOne as never, credentials: { makiniApi: { apiToken: secrets.apiToken, baseUrl: limited.url } } }));
			const waited = mockWaits.slice(before).reduce((a, b) => a + b, 0);
			figure(AREA, 'Retry-After: 99999 on every 429', `waited ${waited / 1000} s in all over ${limited.requests.length} attempts (budget ${DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000} s; was 540 s); "${failure.message}"`);
			expect(waited).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxTotalWaitMs);
			expect(limited.requests.length).toBe(Math.floor(DEFAULT_RETRY_POLICY.maxTotalWaitMs / DEFAULT_RETRY_POLICY.maxRetryAfterMs) + 1);
			expect(failure.message).toMatch(/retry budget of 120 s per request is used up/);
			expect(failure.description).toMatch(/Retry-After/);
			expect(failure.description).toMatch(/Request ID: req_rl_/);
		} finally {
			await limited.close();
		}
	});
});

describe('secrets never leave through an answer, in any encoding (issue 19 item 8)', () => {
	let consoleCapture: ConsoleCapture | undefined;
	afterAll(() => consoleCapture?.restore());

	it('an answer echoing the token, the client secret and the access token in every form', async () => {
		consoleCapture = captureConsole();
		const accessToken = `mkn_access_LEAKCANARY_${seed}_${'a'.repeat(8)}`;
		const basic = Buffer.from(`${secrets.systemClientId}:${secrets.systemClientSecret}`).toString('base64');
		const encodings = (value: string) => [
			value,
			Buffer.from(value).toString('base64'),
			Buffer.from(value).toString('base64url'),
			Buffer.from(value).toString('hex'),
			Buffer.from(value).toString('hex').toUpperCase(),
			encodeURIComponent(`"${value}"`),
			JSON.stringify({ token: value }),
		];
		const echo = await fakeMakini((req, res, body) => {
			if (req.url?.startsWith('/link/token')) return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
			const token = /^Bearer\s+(\S+)/.exec(req.headers.authorization ?? '')?.[1] ?? '';
			// What this server knows: the bearer it got, and on System API calls the client secret (from the token request).
			const known = token === accessToken ? [...encodings(token), ...encodings(secrets.systemClientSecret), `Basic ${basic}`] : encodings(token);
			const all = [...known, body].join(' | ');
			const b64 = Buffer.from(token).toString('base64');
			json(
				res,
				422,
				{
					error: {
						code: `BAD_${Buffer.from(token).toString('hex')}`,
						type: `validation_error ${b64}`,
						message: `Rejected ${all}`,
						request_id: `req_${Buffer.from(token).toString('base64url')}`,
						errors: { [`field_${token}`]: [`value ${all}`], title: [`authorization was Bearer ${token}`] },
					},
				},
				{ 'x-request-id': b64 },
			);
		});
		const captured: { items: INodeExecutionData[]; errors: unknown[]; logs: unknown[] } = { items: [], errors: [], logs: [] };
		const credentials: CredentialStore = {
			makiniApi: { apiToken: secrets.apiToken, baseUrl: echo.url },
			makiniSystemApi: { clientId: secrets.systemClientId, clientSecret: secrets.systemClientSecret, baseUrl: echo.url, accessToken: '' },
		};
		const runs: Array<{ parameters: IDataObject; continueOnFail: boolean }> = [
			{ parameters: readOne, continueOnFail: true },
			{ parameters: readOne, continueOnFail: false },
			{ parameters: { system: 'eam', resource: 'workOrder', operation: 'create', title: 'x', siteKey: 'S-1' }, continueOnFail: true },
			{ parameters: { authentication: 'systemApi', system: 'platform', resource: 'connection', operation: 'getMany', returnAll: true }, continueOnFail: true },
			{ parameters: { authentication: 'systemApi', system: 'platform', resource: 'connection', operation: 'getMany', returnAll: true }, continueOnFail: false },
		];
		try {
			for (const run of runs) {
				try {
					const result = await runMakini({ parameters: run.parameters as never, credentials, items: [{ json: {} }, { json: {} }], continueOnFail: run.continueOnFail });
					captured.items.push(...result.items);
					captured.logs.push(...result.harness.logs);
				} catch (error) {
					captured.errors.push(error);
				}
			}
		} finally {
			await echo.close();
		}
		const leakable = [secrets.apiToken, secrets.systemClientSecret, accessToken];
		const findings = [
			...findSecrets(JSON.stringify(captured.items), leakable, 'items'),
			...findSecrets({ errors: captured.errors, logs: captured.logs, console: consoleCapture.lines }, leakable, 'captured'),
		];
		const errorItems = captured.items.filter((i) => i.json.error);
		figure(AREA, 'secrets found in errors, error context, error items, logs and console (7 encodings echoed in message, fields, code, type, request ID)', `${findings.length} (${captured.errors.length} thrown errors, ${errorItems.length} error items)`);
		expect(describeFindings(findings)).toBe('');
		expect(captured.errors).toHaveLength(2);
		expect(errorItems.length).toBe(6);
		// The server did echo them: the error items carry the redacted answer, fields included.
		expect(JSON.stringify(errorItems[0].json)).toMatch(/\[redacted\]/);
		expect(errorItems[0].json.fields).toBeDefined();
		// The scan is live: the same captures with the access token planted in base64 are caught.
		expect(findSecrets({ ...captured, planted: Buffer.from(accessToken).toString('base64') }, leakable).length).toBeGreaterThan(0);
	});
});

describe('connection-token requests are retried like a read (issue 18 item 3)', () => {
	let sb: SandboxHandle;
	const CONNECTIONS = 8;
	const POLLS = 25;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, seed: Number(seed) % 100_000, connections: CONNECTIONS, workOrders: 5, autoWebhooks: false, rateLimitPerMinute: 1_000_000 });
	});
	afterAll(async () => {
		await sb?.close();
	});

	it(`${POLLS} polls of ${CONNECTIONS} connections (Each Connection) with 20% of token requests reset`, async () => {
		sb.admin.injectFailure({ reset: true, rate: 0.2, method: 'POST', path: '/api/system/connections/{id}/token' });
		const trigger = new MakiniConnectionHealthTrigger();
		const staticData: IDataObject = {};
		const credentials: CredentialStore = {
			makiniSystemApi: { clientId: sb.systemClientId, clientSecret: sb.systemClientSecret, baseUrl: sb.url, accessToken: '' },
		};
		let pollErrors = 0;
		for (let i = 0; i < POLLS; i++) {
			const { items } = await runPoll(trigger, { parameters: { authentication: 'systemApi', options: { statusSource: 'eachConnection' } } as never, credentials, staticData, mode: 'trigger' });
			pollErrors += items.filter((item) => item.json.kind === 'poll_error').length;
		}
		const stats = sb.stats.snapshot();
		const resets = stats.injectedFailures.byKind.reset ?? 0;
		const tokens = Object.values(stats.requests['POST /api/system/connections/{id}/token'] ?? {}).reduce((a, b) => a + b, 0);
		figure(AREA, `token requests with 20% resets (${POLLS} polls x ${CONNECTIONS} connections)`, `spurious poll errors ${pollErrors}; ${tokens} token requests answered, ${resets} reset and retried`);
		expect(resets).toBeGreaterThan(10);
		expect(pollErrors).toBe(0);
	});

	it("the Makini node's Issue Token, 100 items with 20% of token requests reset", async () => {
		await sb.admin.resetScenarios();
		sb.admin.injectFailure({ reset: true, rate: 0.2, method: 'POST', path: '/api/system/connections/{id}/token' });
		const resetsBefore = sb.stats.snapshot().injectedFailures.byKind.reset ?? 0;
		const items: INodeExecutionData[] = Array.from({ length: 100 }, () => ({ json: { id: sb.connections[0].id } }));
		const { items: output } = await runMakini({
			parameters: { authentication: 'systemApi', system: 'platform', resource: 'connection', operation: 'issueToken', connectionId: '={{ $json.id }}' } as never,
			credentials: { makiniSystemApi: { clientId: sb.systemClientId, clientSecret: sb.systemClientSecret, baseUrl: sb.url, accessToken: '' } },
			items,
			continueOnFail: true,
		});
		const failed = output.filter((o) => o.json.error).length;
		const resets = (sb.stats.snapshot().injectedFailures.byKind.reset ?? 0) - resetsBefore;
		figure(AREA, 'Issue Token with 20% resets (100 items)', `spurious failures ${failed}; ${resets} reset and retried`);
		expect(resets).toBeGreaterThan(5);
		expect(failed).toBe(0);
	});
});
