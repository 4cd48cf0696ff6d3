/**
 * Failures through the node against the sandbox: 401 (reauthorization), 404, 422 with
 * the field names, 429 and 5xx, each with and without Continue On Fail; and bad
 * parameters, which fail before any request is sent.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { firstKey, useNodeSandbox } from './helpers';

const env = useNodeSandbox({}, { resetScenarios: true });

const getWorkOrder = (key: unknown): INodeParameters => ({
	system: 'eam',
	resource: 'workOrder',
	operation: 'get',
	key: { __rl: true, mode: 'id', value: key as string },
});

async function failure(parameters: INodeParameters): Promise<NodeApiError> {
	const error = await env.run(parameters).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

function secretsAbsent(value: unknown) {
	const text = JSON.stringify(value);
	expect(text).not.toContain(env.sb.apiToken);
	expect(text).not.toContain(env.sb.systemClientSecret);
}

describe('401: the connection needs reauthorization', () => {
	it('fails with a NodeApiError that says what to do, without the token', async () => {
		env.sb.admin.requireReauthorization();
		const error = await failure(getWorkOrder(firstKey(env.sb, 'work-orders')));
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/AUTHENTICATION_FAILED/);
		expect(error.description).toMatch(/reauthorization|reconnect/i);
		expect(error.context.requestId).toMatch(/^req_/);
		secretsAbsent({ message: error.message, description: error.description, context: error.context });
	});

	it('with Continue On Fail: an error item with message, code and request ID', async () => {
		env.sb.admin.requireReauthorization();
		const { items } = await env.run(getWorkOrder(firstKey(env.sb, 'work-orders')), { continueOnFail: true });
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ httpCode: '401', makiniCode: 'AUTHENTICATION_FAILED' });
		expect(String(items[0].json.error)).toMatch(/credentials/i);
		expect(String(items[0].json.requestId)).toMatch(/^req_/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		secretsAbsent(items);
	});
});

describe('404', () => {
	it('fails on an unknown key; with Continue On Fail the other items go on', async () => {
		const error = await failure(getWorkOrder('NOPE-404'));
		expect([error.httpCode, error.context.makiniCode]).toEqual(['404', 'NOT_FOUND']);

		const good = firstKey(env.sb, 'work-orders');
		const { items } = await env.run(
			{ ...getWorkOrder('={{ $json.key }}') },
			{ items: [{ json: { key: good } }, { json: { key: 'NOPE-404' } }, { json: { key: good } }], continueOnFail: true },
		);
		expect(items.map((i) => [i.json.key ?? i.json.makiniCode, i.pairedItem])).toEqual([
			[good, { item: 0 }],
			['NOT_FOUND', { item: 1 }],
			[good, { item: 2 }],
		]);
		expect(String(items[1].json.requestId)).toMatch(/^req_/);
	});
});

describe('422', () => {
	const create: INodeParameters = { system: 'eam', resource: 'workOrder', operation: 'create', additionalFields: { notes: 'x' } };

	it('names the fields the connected system rejected', async () => {
		const error = await failure(create);
		expect(error.httpCode).toBe('422');
		expect(error.message).toMatch(/siteKey/);
		expect(error.message).toMatch(/title/);
		expect(error.context.fields).toEqual(expect.objectContaining({ siteKey: expect.any(Array), title: expect.any(Array) }));
	});

	it('with Continue On Fail: the fields in the error item', async () => {
		const { items } = await env.run(create, { continueOnFail: true });
		expect(items[0].json.makiniCode).toBe('VALIDATION_FAILED');
		expect(Object.keys(items[0].json.fields as IDataObject).sort()).toEqual(['siteKey', 'title']);
	});
});

describe('429 and 5xx', () => {
	it('retries a rate-limited read and succeeds; fails once the retries are spent', async () => {
		const key = firstKey(env.sb, 'work-orders');
		env.sb.admin.injectFailure({ status: 429, times: 2, retryAfter: 0, path: '/api/eam/work-orders/{key}' });
		const { items } = await env.run(getWorkOrder(key));
		expect(items[0].json.key).toBe(key);

		env.sb.admin.injectFailure({ status: 429, times: 100, retryAfter: 0, path: '/api/eam/work-orders/{key}' });
		const error = await failure(getWorkOrder(key));
		expect([error.httpCode, error.context.makiniCode]).toEqual(['429', 'RATE_LIMIT_EXCEEDED']);
		const { items: continued } = await env.run(getWorkOrder(key), { continueOnFail: true });
		expect(continued[0].json.makiniCode).toBe('RATE_LIMIT_EXCEEDED');
	});

	it('does not repeat a create after a 500; reports it', async () => {
		env.sb.stats.reset();
		env.sb.admin.injectFailure({ status: 500, times: 1, method: 'POST', path: '/api/eam/work-orders' });
		const parameters = { system: 'eam', resource: 'workOrder', operation: 'create', title: 'x', siteKey: firstKey(env.sb, 'sites') };
		const error = await failure(parameters);
		expect(error.httpCode).toBe('500');
		expect(env.sb.stats.snapshot().requests['POST /api/eam/work-orders']).toEqual({ 500: 1 });

		env.sb.admin.injectFailure({ status: 503, times: 1, method: 'POST', path: '/api/eam/work-orders' });
		const { items } = await env.run(parameters, { continueOnFail: true });
		expect(items[0].json).toMatchObject({ httpCode: '503', makiniCode: 'SERVICE_UNAVAILABLE' });
	});

	it('retries a read after a 503 and returns the record', async () => {
		const key = firstKey(env.sb, 'work-orders');
		env.sb.stats.reset();
		env.sb.admin.injectFailure({ status: 503, times: 1, path: '/api/eam/work-orders/{key}' });
		const { items } = await env.run(getWorkOrder(key));
		expect(items[0].json.key).toBe(key);
		expect(env.sb.stats.snapshot().requests['GET /api/eam/work-orders/{key}']).toEqual({ 200: 1, 503: 1 });
	});
});

describe('bad parameters fail before any request', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		['an empty key', getWorkOrder(''), /"Key" is empty/],
		['a key with ../', getWorkOrder('../../api/system/connections'), /"Key" is not a valid key/],
		['a key that is ..', { system: 'erp', resource: 'invoice', operation: 'get', key: '..' }, /"Key" is not a valid key/],
		['a key of the wrong type', getWorkOrder('={{ { a: 1 } }}'), /"Key" must be a key \(text\), not an object/],
		['a material key with ../', { system: 'eam', resource: 'workOrder', operation: 'updateMaterial', key: { __rl: true, mode: 'id', value: 'W1' }, materialKey: 'a/../b', requiredQuantity: 1, usedQuantity: 1 }, /"Material Key" is not a valid key/],
		['a huge limit', { system: 'eam', resource: 'workOrder', operation: 'getMany', limit: 1e9 }, /"Limit" is too large/],
		['a limit that is not a number', { system: 'eam', resource: 'workOrder', operation: 'getMany', limit: '={{ "many" }}' }, /"Limit" must be a whole number/],
		['invalid JSON', { system: 'erp', resource: 'customer', operation: 'create', bodyMode: 'json', jsonBody: '{"name": ' }, /"JSON Body" is not valid JSON/],
		['a JSON body that is a list', { system: 'erp', resource: 'customer', operation: 'create', bodyMode: 'json', jsonBody: '[1]' }, /"JSON Body" must be a JSON object/],
		['a number field with text', { system: 'eam', resource: 'stock', operation: 'create', quantity: '={{ "lots" }}' }, /"Quantity" must be a number/],
		['a filter without a field', { system: 'eam', resource: 'workOrder', operation: 'getMany', filters: { conditions: [{ field: '', operator: 'equals', value: 'x' }] } }, /"Filters" has no field/],
		['a filter field that smuggles query syntax', { system: 'eam', resource: 'workOrder', operation: 'getMany', filters: { conditions: [{ field: 'title]&x[', operator: 'equals', value: 'x' }] } }, /"Filters" or "Sort" is invalid/],
		['an unknown operation', { system: 'eam', resource: 'workOrder', operation: 'delete' }, /Makini CMMS has no operation "delete" for "workOrder"/],
		['Get by Keys with a ../ key', { system: 'eam', resource: 'workOrder', operation: 'getMany', options: { keys: 'A1, ../x' } }, /"Get by Keys" is not a valid key/],
	];

	it.each(cases)('%s', async (_name, parameters, message) => {
		env.sb.stats.reset();
		const error = await env.run(parameters).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(message);
		expect(env.sb.stats.snapshot().totalRequests).toBe(0);
	});

	it('with Continue On Fail: an error item for the bad item, the others run', async () => {
		const good = firstKey(env.sb, 'work-orders');
		const { items } = await env.run(getWorkOrder('={{ $json.key }}'), {
			items: [{ json: { key: '..' } }, { json: { key: good } }],
			continueOnFail: true,
		});
		expect(String(items[0].json.error)).toMatch(/not a valid key/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.key).toBe(good);
	});
});
