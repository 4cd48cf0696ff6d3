/**
 * Injected faults during bulk work, in process: the Makini node's execute() (the execute
 * harness, real HTTP) against the sandbox while it injects 429, 500, 502, 503, 504 and
 * connection resets on 20% of requests, slow answers on 10% more, and for writes
 * answers lost after the write was applied ('after' phase). A recording proxy between
 * the node and the sandbox sees every attempt.
 *
 * The product's retry policy is not changed: n8n-workflow's `sleep` (the only way node
 * code waits) is replaced by one that records each wait the transport asks for and waits
 * at most 2 ms, so the run is fast and the figures still give the backoff asked for.
 *
 * All of it runs with recognisable token, client secret and webhook secret values, and
 * every log line, console line, error (message, description, context) and output item is
 * scanned for them.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runMakini } from '../node/helpers';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { CredentialStore } from '../harness/http';
import { captureConsole, type ConsoleCapture } from './lib/console';
import { figure, runSeed } from './lib/figures';
import { startRecordingProxy, type RecordingProxy } from './lib/recordingProxy';
import { describeFindings, findSecrets, recognisableSecrets, secretValues } from './lib/secrets';

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

const AREA = 'faults';
const RECORDS = 10_000;
const CREATES = 600;
const UPDATES = 400;
const KEY_READS = 300;
/** Each of the six failure kinds at this rate: 1 - (1 - r)^6 = 20% of requests fail at least once. */
const PER_KIND = 1 - Math.pow(0.8, 1 / 6);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']);

const seed = runSeed(AREA);
const secrets = recognisableSecrets(seed);
const leakable = secretValues(secrets);

let sb: SandboxHandle;
let proxy: RecordingProxy;
let consoleCapture: ConsoleCapture | undefined;
const captured: { console: unknown[][]; logs: unknown[]; errors: unknown[]; items: INodeExecutionData[] } = {
	console: [],
	logs: [],
	errors: [],
	items: [],
};
const figures = { retried: 0, finallyFailed: [] as Array<{ phase: string; requestId?: string; code?: string }>, lost: 0, duplicated: 0 };

function credentials(): CredentialStore {
	return {
		makiniApi: { apiToken: secrets.apiToken, baseUrl: proxy.url },
		makiniSystemApi: { clientId: secrets.systemClientId, clientSecret: secrets.systemClientSecret, baseUrl: proxy.url },
	};
}

/** Runs the node, keeping everything it said for the secret scan. */
async function run(parameters: IDataObject, options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {}) {
	try {
		const result = await runMakini({ parameters: parameters as never, credentials: credentials(), ...options });
		captured.logs.push(...result.harness.logs);
		captured.items.push(...result.items);
		return result;
	} catch (error) {
		captured.errors.push(error);
		throw error;
	}
}

function injectFaults(options: { writesLoseAnswers: boolean }) {
	const rng = (status: 429 | 500 | 502 | 503 | 504) =>
		sb.admin.injectFailure({ status, rate: PER_KIND, retryAfter: status === 429 ? 1 : undefined });
	for (const status of [429, 500, 502, 503, 504] as const) rng(status);
	sb.admin.injectFailure({ reset: true, rate: PER_KIND });
	sb.admin.injectLatency({ ms: 30, rate: 0.1 });
	if (options.writesLoseAnswers) {
		// Applied, then the answer is lost: a 5xx or a reset after the write happened.
		for (const method of ['POST', 'PUT']) {
			for (const status of [500, 502, 504] as const) sb.admin.injectFailure({ status, rate: 0.015, method, phase: 'after' });
			sb.admin.injectFailure({ reset: true, rate: 0.015, method, phase: 'after' });
		}
	}
}

/** A failed item's (or error's) request ID or network code: what a builder quotes to Makini support. */
function failureTrace(json: IDataObject): { requestId?: string; code?: string } {
	return { requestId: typeof json.requestId === 'string' ? json.requestId : undefined, code: typeof json.makiniCode === 'string' ? json.makiniCode : undefined };
}

beforeAll(async () => {
	consoleCapture = captureConsole();
	captured.console = consoleCapture.lines;
	sb = await startSandbox({
		port: 0,
		seed: Number(seed) % 100_000,
		workOrders: RECORDS,
		autoWebhooks: false,
		rateLimitPerMinute: 1_000_000,
		apiToken: secrets.apiToken,
		systemClientId: secrets.systemClientId,
		systemClientSecret: secrets.systemClientSecret,
		webhookSecret: secrets.webhookSecret,
	});
	proxy = await startRecordingProxy(sb.url);
});

afterAll(async () => {
	await proxy?.close();
	await sb?.close();
	consoleCapture?.restore();
});

describe('bulk reads under injected faults', () => {
	beforeAll(() => injectFaults({ writesLoseAnswers: false }));
	afterAll(() => sb.admin.resetScenarios());

	it(`Return All over ${RECORDS} work orders returns every record exactly once`, async () => {
		const expected = sb.admin.listRecords({ collection: 'work-orders' }).map((r) => String(r.key));
		expect(expected).toHaveLength(RECORDS);
		const reads: Array<{ name: string; parameters: IDataObject }> = [
			{ name: 'default order', parameters: {} },
			{ name: 'sorted by updatedAt, newest first', parameters: { options: { sort: { field: [{ field: 'updatedAt', direction: 'desc' }] } } } },
		];
		let completed = 0;
		let onRetryOnFail = 0;
		for (const read of reads) {
			const parameters = { system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true, ...read.parameters };
			let result;
			try {
				result = await run(parameters);
			} catch (error) {
				// The read failed as a whole (never a partial list): n8n's Retry On Fail runs the node again.
				const context = (error as { context?: IDataObject }).context ?? {};
				figures.finallyFailed.push({ phase: `read (${read.name})`, requestId: context.requestId as string, code: context.makiniCode as string });
				expect(context.requestId ?? context.makiniCode).toBeTruthy();
				onRetryOnFail++;
				result = await run(parameters);
			}
			const keys = result.items.map((i) => String(i.json.key));
			const distinct = new Set(keys);
			figures.duplicated += keys.length - distinct.size;
			figures.lost += expected.filter((k) => !distinct.has(k)).length;
			expect(keys.length).toBe(RECORDS);
			expect(distinct.size).toBe(RECORDS);
			expect([...distinct].sort()).toEqual([...expected].sort());
			completed++;
		}
		figure(AREA, `Return All reads of ${RECORDS} records complete, each record exactly once`, `${completed} of ${reads.length} (${onRetryOnFail} needed n8n's Retry On Fail)`);
	});

	it('a page that fails every attempt fails the whole read with its request ID, never a partial list', async () => {
		// Only the aimed fault, so the error can only be page 7's.
		await sb.admin.resetScenarios();
		let failing = 0;
		const aimed = await startRecordingProxy(sb.url, {
			intercept: ({ target }) => {
				if (!/[?&]page=7(&|$)/.test(target)) return undefined;
				failing++;
				const requestId = `req_aimed_${failing}`;
				return { status: 502, requestId, body: { error: { code: 'BAD_GATEWAY', type: 'server_error', message: 'Aimed at page 7.', request_id: requestId } } };
			},
		});
		try {
			const run = runMakini({
				parameters: { system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true } as never,
				credentials: { makiniApi: { apiToken: secrets.apiToken, baseUrl: aimed.url } },
			});
			await expect(run).rejects.toMatchObject({ httpCode: '502', context: expect.objectContaining({ requestId: expect.stringMatching(/^req_aimed_/) }) });
			await run.catch((error: unknown) => captured.errors.push(error));
			const atFailure = aimed.requests.length;
			await new Promise((resolve) => setTimeout(resolve, 300));
			figure(AREA, 'a page failing every attempt', `read failed as a whole after ${failing} attempts at it (request ID given); ${aimed.requests.length - atFailure} requests still finished after the error`);
			expect(failing).toBe(5);
		} finally {
			await aimed.close();
			injectFaults({ writesLoseAnswers: false });
		}
	});

	it(`Get by Keys for ${KEY_READS} keys returns each once; a failed item carries its request ID and the rest go on`, async () => {
		const all = sb.admin.listRecords({ collection: 'work-orders' }).map((r) => String(r.key));
		const items = Array.from({ length: KEY_READS / 3 }, (_, i) => ({ json: { keys: all.slice(i * 3, i * 3 + 3).join(',') } }));
		const { items: output } = await run(
			{ system: 'eam', resource: 'workOrder', operation: 'getMany', options: { keys: '={{ $json.keys }}' } },
			{ items, continueOnFail: true },
		);
		const byItem = new Map<number, INodeExecutionData[]>();
		for (const item of output) {
			const index = (item.pairedItem as { item: number }).item;
			byItem.set(index, [...(byItem.get(index) ?? []), item]);
		}
		expect(byItem.size).toBe(items.length);
		for (const [index, produced] of byItem) {
			const wanted = String(items[index].json.keys).split(',');
			if (produced.length === 1 && produced[0].json.error) {
				const trace = failureTrace(produced[0].json);
				figures.finallyFailed.push({ phase: 'get by keys', ...trace });
				expect(trace.requestId ?? (trace.code && NETWORK_CODES.has(trace.code) ? trace.code : undefined)).toBeTruthy();
				continue;
			}
			expect(produced.map((p) => String(p.json.key))).toEqual(wanted);
		}
	});
});

describe('bulk writes under injected faults, answers lost after the write', () => {
	const marker = `REL-${seed}`;
	beforeAll(() => injectFaults({ writesLoseAnswers: true }));
	afterAll(() => sb.admin.resetScenarios());

	it(`${CREATES} creates: none applied twice, none lost; failed items carry the request ID, the rest go on`, async () => {
		const siteKey = String(sb.admin.listRecords({ collection: 'sites' })[0].key);
		const before = sb.stats.snapshot().writes.creates;
		const items = Array.from({ length: CREATES }, (_, i) => ({ json: { title: `${marker}-C${i}` } }));
		const { items: output } = await run(
			{ system: 'eam', resource: 'workOrder', operation: 'create', title: '={{ $json.title }}', siteKey },
			{ items, continueOnFail: true },
		);
		expect(output).toHaveLength(CREATES);
		const stored = sb.admin.listRecords({ collection: 'work-orders' }).filter((r) => String(r.title).startsWith(`${marker}-C`));
		const storedByTitle = new Map<string, IDataObject[]>();
		for (const r of stored) storedByTitle.set(String(r.title), [...(storedByTitle.get(String(r.title)) ?? []), r as IDataObject]);

		let succeeded = 0;
		let appliedButReportedFailed = 0;
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const title = `${marker}-C${index}`;
			const copies = storedByTitle.get(title) ?? [];
			if (copies.length > 1) figures.duplicated += copies.length - 1;
			if (item.json.error) {
				const trace = failureTrace(item.json);
				figures.finallyFailed.push({ phase: 'create', ...trace });
				expect(trace.requestId ?? (trace.code && NETWORK_CODES.has(trace.code) ? trace.code : undefined)).toBeTruthy();
				if (copies.length === 1) {
					appliedButReportedFailed++;
					// Applied, answer lost: the builder must be told to check before running it again.
					expect(String(item.json.description)).toMatch(/may have applied this request/);
				}
			} else {
				succeeded++;
				// A create reported done is in Makini, under the key the item carries.
				if (copies.length !== 1 || String(copies[0].key) !== String(item.json.key)) figures.lost++;
			}
		});
		const creates = sb.stats.snapshot().writes.creates - before;
		figure(AREA, `creates (${CREATES} items)`, `${succeeded} succeeded, ${CREATES - succeeded} finally failed (${appliedButReportedFailed} of them applied before the answer was lost)`);
		figure(AREA, 'creates applied by the sandbox vs distinct intended records present', `${creates} vs ${storedByTitle.size}`);
		expect(creates).toBe(storedByTitle.size);
		expect([...storedByTitle.values()].every((copies) => copies.length === 1)).toBe(true);
		expect(succeeded).toBeGreaterThan(CREATES / 2);
	});

	it(`${UPDATES} updates: each applied (idempotent PUTs retried), failed items carry the request ID`, async () => {
		const targets = sb.admin.listRecords({ collection: 'work-orders' }).slice(0, UPDATES).map((r) => String(r.key));
		const updatesBefore = sb.stats.snapshot().writes.updates;
		const items = targets.map((key, i) => ({ json: { key, notes: `${marker}-U${i}` } }));
		const { items: output } = await run(
			{ system: 'eam', resource: 'workOrder', operation: 'update', key: '={{ $json.key }}', updateFields: { notes: '={{ $json.notes }}' } },
			{ items, continueOnFail: true },
		);
		expect(output).toHaveLength(UPDATES);
		let failed = 0;
		output.forEach((item, index) => {
			const record = sb.admin.getRecord({ collection: 'work-orders', key: targets[index] }) as IDataObject;
			if (item.json.error) {
				failed++;
				const trace = failureTrace(item.json);
				figures.finallyFailed.push({ phase: 'update', ...trace });
				expect(trace.requestId ?? (trace.code && NETWORK_CODES.has(trace.code) ? trace.code : undefined)).toBeTruthy();
			} else if (record.notes !== `${marker}-U${index}`) {
				figures.lost++;
			}
		});
		const applied = sb.stats.snapshot().writes.updates - updatesBefore;
		figure(AREA, `updates (${UPDATES} items)`, `${UPDATES - failed} applied and reported, ${failed} finally failed; ${applied} PUTs applied (${applied - UPDATES + failed} idempotent repeats after a lost answer)`);
		expect(failed).toBeLessThan(UPDATES * 0.05);
	});

	it('without Continue On Fail, the first failure stops the node with an error naming the request ID', async () => {
		const siteKey = String(sb.admin.listRecords({ collection: 'sites' })[0].key);
		// Only this fault: the create fails before it is applied, so the outcome is certain.
		await sb.admin.resetScenarios();
		sb.admin.injectFailure({ status: 502, times: 1, method: 'POST' });
		await expect(
			run({ system: 'eam', resource: 'workOrder', operation: 'create', title: `${marker}-stop`, siteKey }),
		).rejects.toMatchObject({ context: expect.objectContaining({ requestId: expect.stringMatching(/^req_/) }) });
		const error = captured.errors.at(-1) as { description?: string };
		expect(error.description).toMatch(/Request ID: req_/);
	});
});

describe('the System API under injected faults (client credentials, token refreshed mid-run)', () => {
	beforeAll(() => injectFaults({ writesLoseAnswers: false }));
	afterAll(() => sb.admin.resetScenarios());

	it('lists connections for every item; a failed item carries its request ID', async () => {
		const items = Array.from({ length: 60 }, (_, i) => ({ json: { i } }));
		let failed = 0;
		for (const half of [items.slice(0, 30), items.slice(30)]) {
			const { items: output } = await run(
				{ authentication: 'systemApi', system: 'platform', resource: 'connection', operation: 'getMany', returnAll: true },
				{ items: half, continueOnFail: true },
			);
			for (const item of output.filter((o) => o.json.error)) {
				failed++;
				const trace = failureTrace(item.json);
				figures.finallyFailed.push({ phase: 'system api', ...trace });
				expect(trace.requestId ?? (trace.code && NETWORK_CODES.has(trace.code) ? trace.code : undefined)).toBeTruthy();
			}
			expect(output.filter((o) => !o.json.error).length).toBeGreaterThan(0);
			// The access token expires: n8n fetches a new one with the client secret.
			sb.admin.expireSystemTokens();
		}
		const tokenRequests = proxy.requests.filter((r) => r.target.startsWith('/link/token')).length;
		figure(AREA, 'System API items (60, token expired between two runs)', `${60 - failed} read, ${failed} finally failed, ${tokenRequests} token requests with the client secret`);
		expect(tokenRequests).toBeGreaterThanOrEqual(2);
	});
});

describe('what the runs left behind', () => {
	it('every figure, and no secret anywhere', () => {
		const answered = proxy.requests.filter((r) => r.status !== 0);
		const injected = sb.stats.snapshot().injectedFailures;
		figures.retried = mockWaits.length;
		const requestIds = new Set(proxy.requests.map((r) => r.requestId).filter(Boolean));
		const failedWithId = figures.finallyFailed.filter((f) => f.requestId);
		const failedNetwork = figures.finallyFailed.filter((f) => !f.requestId);

		figure(AREA, 'requests the sandbox received', `${proxy.requests.length} (${answered.length} answered, ${proxy.requests.length - answered.length} reset)`);
		figure(AREA, 'faults injected', `${injected.total} (${Object.entries(injected.byKind).map(([k, n]) => `${k}: ${n}`).join(', ')})`);
		figure(AREA, 'slow answers (>= 30 ms)', proxy.requests.filter((r) => r.ms >= 30).length);
		figure(AREA, 'lost', figures.lost);
		figure(AREA, 'duplicated', figures.duplicated);
		figure(AREA, 'retried', `${figures.retried} (backoff asked for: ${(mockWaits.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, waited at most 2 ms each in the test)`);
		const honoured = mockWaits.filter((ms) => ms === 1000).length;
		figure(AREA, 'waits that honoured Retry-After: 1 (injected 429s)', `${honoured} of ${injected.byKind['429'] ?? 0} rate-limited answers`);
		expect(honoured).toBeGreaterThan(0);
		figure(AREA, 'finally failed', `${figures.finallyFailed.length} (${failedWithId.length} with a request ID, ${failedNetwork.length} connection resets with the network code)`);
		figure(AREA, 'finally failed request IDs (first 5)', failedWithId.slice(0, 5).map((f) => `${f.phase} ${f.requestId}`).join(', ') || 'none');

		// Request IDs in errors are ones the sandbox really answered with.
		for (const f of failedWithId) expect(requestIds.has(f.requestId)).toBe(true);
		for (const f of failedNetwork) expect(NETWORK_CODES.has(String(f.code))).toBe(true);
		expect(figures.lost).toBe(0);
		expect(figures.duplicated).toBe(0);
		expect(figures.retried).toBeGreaterThan(0);
		expect(injected.total).toBeGreaterThan(100);

		// Items are plain JSON: scanned as one text (every key and value, escaped as n8n stores them).
		const findings = [
			...findSecrets(JSON.stringify(captured.items), leakable, 'items'),
			...findSecrets({ console: captured.console, logs: captured.logs, errors: captured.errors }, leakable, 'captured'),
		];
		figure(
			AREA,
			'secrets found in logs, console, errors and output items',
			`${findings.length} (scanned ${captured.logs.length} log lines, ${captured.console.length} console lines, ${captured.errors.length} thrown errors, ${captured.items.length} items)`,
		);
		expect(describeFindings(findings)).toBe('');
		// The scan is live: the same captures with the token planted in one item are caught.
		expect(findSecrets({ ...captured, planted: { error: `Bearer ${secrets.apiToken}` } }, leakable).length).toBeGreaterThan(0);
	});
});
