/**
 * Regression cases for what the reliability suite found, one `describe` per fix, each
 * small enough to run with the unit tests' speed.
 */
import { createHmac } from 'node:crypto';

import { NodeOperationError, type INode } from 'n8n-workflow';

import { runMakini } from '../node/helpers';
import { MakiniTrigger } from '../../nodes/MakiniTrigger/MakiniTrigger.node';
import { MAX_NESTING, textNestsDeeperThan, valueNestsDeeperThan } from '../../nodes/MakiniTrigger/payload';
import { errorItemJson, makiniApiError, mayHaveBeenApplied, type HttpFailure } from '../../nodes/shared/transport/errors';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { WebhookHarness } from '../harness/webhook';
import { recognisableSecrets } from './lib/secrets';

const secrets = recognisableSecrets('regressions');

function trigger() {
	return new WebhookHarness(new MakiniTrigger(), {
		parameters: { events: ['*'] },
		credentials: { makiniWebhookSecretApi: { secret: secrets.webhookSecret, previousSecret: '', signatureHeader: 'X-Webhook-Signature' } },
	});
}

const sign = (body: string) => createHmac('sha256', secrets.webhookSecret).update(body).digest('base64');
const nested = (depth: number) => `{"event":"assets.updated","body":["A-1"],"details":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

describe('a genuine delivery nested too deeply for n8n to save (found by the adversarial run)', () => {
	it('is refused with 400 and a short reason, and starts nothing', async () => {
		const body = nested(20_000);
		const outcome = await trigger().deliver({ body, contentType: 'text/plain', headers: { 'X-Webhook-Signature': sign(body) } });
		expect(outcome.executed).toBe(false);
		expect(outcome.answer).toMatchObject({ status: 400, body: { error: `payload nested deeper than ${MAX_NESTING} levels` } });
	});

	it('does not crash the trigger when n8n kept no raw body', async () => {
		const body = nested(20_000);
		const outcome = await trigger().deliver({ body, withoutRawBody: true, headers: { 'X-Webhook-Signature': sign(body) } });
		expect(outcome.executed).toBe(false);
		expect(outcome.answer.status).toBe(400);
	});

	it('still accepts a payload at the limit, and its item can be saved', async () => {
		const body = nested(MAX_NESTING - 3);
		const outcome = await trigger().deliver({ body, headers: { 'X-Webhook-Signature': sign(body) } });
		expect(outcome.executed).toBe(true);
		expect(() => JSON.stringify(outcome.items)).not.toThrow();
	});

	it('counts brackets outside strings only', () => {
		expect(textNestsDeeperThan(Buffer.from(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 2)).toBe(false);
		expect(textNestsDeeperThan(Buffer.from('[[[]]]'), 2)).toBe(true);
		expect(valueNestsDeeperThan(JSON.parse('[[[]]]'), 2)).toBe(true);
		expect(valueNestsDeeperThan(JSON.parse('[[],[]]'), 2)).toBe(false);
	});
});

describe('a create whose answer was lost says it may have been applied (found by the injected-faults run)', () => {
	const node = { id: 'n', name: 'Makini', type: 'n8n-nodes-makini.makiniCmms', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
	const post = { method: 'POST', path: '/api/erp/purchase-orders', attempts: 1 };

	it.each([
		['a reset connection', { headers: {}, networkCode: 'ECONNRESET' }],
		['a 500', { status: 500, headers: { 'x-request-id': 'req_lost' }, body: {} }],
		['a 502', { status: 502, headers: {}, body: {} }],
		['a 504', { status: 504, headers: {}, body: {} }],
		['a 503 without Retry-After', { status: 503, headers: {}, body: {} }],
		// A gateway can apply the create and still answer 503 + Retry-After (issue 19).
		['a 503 with Retry-After', { status: 503, headers: { 'retry-after': '2' }, body: {} }],
	])('after %s: check for the record before running the item again', (_what, failure: HttpFailure) => {
		expect(mayHaveBeenApplied('POST', failure)).toBe(true);
		const error = makiniApiError(node, failure, post);
		expect(error.description).toMatch(/may have applied this request.*check whether the record exists/s);
		expect(error.description).not.toMatch(/try again later/i);
		if (failure.status === 500) expect(errorItemJson(error)).toMatchObject({ requestId: 'req_lost' });
	});

	it.each([
		['a refused connection', 'POST', { headers: {}, networkCode: 'ECONNREFUSED' }],
		['a 429 with Retry-After', 'POST', { status: 429, headers: { 'retry-after': '2' }, body: {} }],
		['a 422', 'POST', { status: 422, headers: {}, body: {} }],
		['a read', 'GET', { status: 500, headers: {}, body: {} }],
		['an idempotent update', 'PUT', { headers: {}, networkCode: 'ECONNRESET' }],
	])('not after %s, which proves nothing was applied or is safe to repeat', (_what, method, failure: HttpFailure) => {
		expect(mayHaveBeenApplied(method, failure)).toBe(false);
		expect(makiniApiError(node, failure, { ...post, method }).description).not.toMatch(/may have applied/);
	});
});

describe('a blank JSON Body is refused, not sent as an empty write (found by the bad-parameters run)', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, workOrders: 10, autoWebhooks: false });
	});
	afterAll(() => sb.close());

	it.each(['', '   ', '\n'])('JSON Body %j: a NodeOperationError naming it, and no request', async (jsonBody) => {
		const key = String(sb.admin.listRecords({ collection: 'work-orders' })[0].key);
		const before = sb.stats.snapshot().totalRequests;
		const run = runMakini({
			parameters: { system: 'eam', resource: 'workOrder', operation: 'update', key, bodyMode: 'json', jsonBody },
			credentials: { makiniApi: { apiToken: sb.apiToken, baseUrl: sb.url } },
		});
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow('The parameter "JSON Body" is empty');
		expect(sb.stats.snapshot().totalRequests).toBe(before);
	});

	it('an explicit empty object is still sent (a deliberate choice)', async () => {
		const key = String(sb.admin.listRecords({ collection: 'work-orders' })[0].key);
		const { items } = await runMakini({
			parameters: { system: 'eam', resource: 'workOrder', operation: 'update', key, bodyMode: 'json', jsonBody: '{}' },
			credentials: { makiniApi: { apiToken: sb.apiToken, baseUrl: sb.url } },
		});
		expect(items[0].json.key).toBe(key);
	});
});
