/**
 * The error contract: one envelope (code, type, message, request_id + X-Request-Id),
 * 400/401/403/404/405, 422 naming the fields each emulated product requires and type
 * errors, and 429 with Retry-After per token.
 */
import { OPERATIONS } from '../../nodes/shared/registry';
import { PRODUCTS, startSandbox, type SandboxHandle } from '../../sandbox';
import { call, systemToken, type Json } from './helpers';

describe('sandbox errors', () => {
	let sb: SandboxHandle;
	beforeAll(async () => {
		sb = await startSandbox({ workOrders: 200 });
	});
	afterAll(() => sb.close());
	afterEach(async () => {
		await sb.admin.resetScenarios();
		sb.admin.setProduct({ product: 'maximo' });
	});

	const firstKey = (collection: string) => sb.admin.listRecords({ collection })[0].key;

	it('answers 401 AUTHENTICATION_FAILED without or with a wrong token, in the one envelope', async () => {
		for (const token of [null, 'mk_not-a-real-token']) {
			const answer = await call(sb, '/api/eam/work-orders', { token });
			expect(answer.status).toBe(401);
			expect(answer.body.error).toEqual({
				code: 'AUTHENTICATION_FAILED',
				type: 'authentication_error',
				message: expect.any(String),
				request_id: answer.headers.get('x-request-id'),
			});
			expect(answer.body.error.request_id).toMatch(/^req_[0-9a-f]{24}$/);
			if (token) expect(JSON.stringify(answer.body)).not.toContain(token);
		}
	});

	it('sends a fresh request ID on every answer, successful or not', async () => {
		const a = await call(sb, '/api/eam/sites');
		const b = await call(sb, '/api/eam/sites');
		expect(a.headers.get('x-request-id')).toMatch(/^req_/);
		expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
	});

	it('keeps connection tokens and system tokens apart (403 PERMISSION_DENIED)', async () => {
		const system = await systemToken(sb);
		expect((await call(sb, '/api/eam/sites', { token: system })).body.error.code).toBe('PERMISSION_DENIED');
		const answer = await call(sb, '/api/system/connections');
		expect(answer.status).toBe(403);
	});

	it('answers 404 NOT_FOUND for unknown keys and paths, 405 for undocumented methods', async () => {
		const unknownKey = await call(sb, '/api/eam/work-orders/09000000000000');
		expect(unknownKey.status).toBe(404);
		expect(unknownKey.body.error.code).toBe('NOT_FOUND');
		expect((await call(sb, '/api/eam/nothing-here')).status).toBe(404);
		expect((await call(sb, '/api/erp/invoices/09000000000000/status', { method: 'PUT', body: { statusKey: 'x' } })).status).toBe(404);

		const deletion = await call(sb, `/api/eam/work-orders/${firstKey('work-orders')}`, { method: 'DELETE' });
		expect(deletion.status).toBe(405);
		expect(deletion.body.error.code).toBe('METHOD_NOT_ALLOWED');
		expect(deletion.headers.get('allow')).toBe('GET, PUT');
		expect((await call(sb, '/api/eam/sites', { method: 'POST', body: {} })).status).toBe(405);
		// No entity documents DELETE.
		for (const op of OPERATIONS.filter((o) => o.method === 'DELETE')) expect(op.system).toBe('platform');
	});

	it('answers 400 INVALID_REQUEST for a malformed JSON body', async () => {
		const response = await fetch(`${sb.url}/api/eam/work-orders`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.apiToken}`, 'Content-Type': 'application/json' },
			body: '{"title": ',
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as Json).error.code).toBe('INVALID_REQUEST');
	});

	it('answers 422 naming the fields the emulated product requires', async () => {
		const maximo = await call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'Replace seal' } });
		expect(maximo.status).toBe(422);
		expect(maximo.body.error).toMatchObject({ code: 'VALIDATION_FAILED', type: 'validation_error', errors: { siteKey: ['The siteKey field is required.'] } });
		expect(Object.keys(maximo.body.error.errors)).toEqual(['siteKey']);

		sb.admin.setProduct({ product: 'upkeep' });
		const upkeep = await call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'Replace seal', siteKey: firstKey('sites') } });
		expect(Object.keys(upkeep.body.error.errors).sort()).toEqual(['assetKey', 'scheduledAt']);
		const complete = await call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'Replace seal', assetKey: firstKey('assets'), scheduledAt: '2025-06-01T08:00:00Z' } });
		expect(complete.status).toBe(200);

		sb.admin.setProduct({ product: 'maintainx' });
		expect((await call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'Replace seal' } })).status).toBe(200);
	});

	it('applies every product rule on create, and on update refuses to blank a required field', async () => {
		for (const [product, { required }] of Object.entries(PRODUCTS)) {
			sb.admin.setProduct({ product });
			for (const [resource, fields] of Object.entries(required)) {
				const op = OPERATIONS.find((o) => o.resource === resource && o.operation === 'create')!;
				const answer = await call(sb, op.path, { method: 'POST', body: {} });
				expect({ product, resource, status: answer.status }).toEqual({ product, resource, status: 422 });
				expect(Object.keys(answer.body.error.errors).sort()).toEqual([...fields].sort());
			}
		}
		sb.admin.setProduct({ product: 'maximo' });
		const blanked = await call(sb, `/api/eam/work-orders/${firstKey('work-orders')}`, { method: 'PUT', body: { title: '' } });
		expect(blanked.status).toBe(422);
		expect(blanked.body.error.errors.title).toEqual(['The title field is required.']);
	});

	it('answers 422 for type errors and unknown references', async () => {
		const workOrder = firstKey('work-orders');
		const quantity = await call(sb, `/api/eam/work-orders/${workOrder}/materials`, { method: 'POST', body: { materialKey: firstKey('materials'), requiredQuantity: 'lots', usedQuantity: 1 } });
		expect(quantity.status).toBe(422);
		expect(quantity.body.error.errors).toEqual({ requiredQuantity: ['The requiredQuantity field must be a number.'] });

		const mixed = await call(sb, '/api/eam/work-orders', { method: 'POST', body: { title: 'x', siteKey: 'nope', estimatedTime: 'soon', scheduledAt: 'next week' } });
		expect(mixed.body.error.errors).toEqual({
			siteKey: ['The selected siteKey is invalid.'],
			estimatedTime: ['The estimatedTime field must be an integer.'],
			scheduledAt: ['The scheduledAt field must be a valid date.'],
		});
		const flag = await call(sb, `/api/eam/assets/${firstKey('assets')}`, { method: 'PUT', body: { isActive: 'maybe' } });
		expect(flag.body.error.errors).toEqual({ isActive: ['The isActive field must be true or false.'] });
	});

	it('answers 429 RATE_LIMIT_EXCEEDED with Retry-After, per token', async () => {
		sb.admin.setRateLimit({ perMinute: 3 });
		const before = sb.stats.snapshot().rateLimited;
		for (let i = 0; i < 3; i++) expect((await call(sb, '/api/eam/sites')).status).toBe(200);
		const limited = await call(sb, '/api/eam/sites');
		expect(limited.status).toBe(429);
		expect(limited.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(Number.isInteger(retryAfter)).toBe(true);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(sb.stats.snapshot().rateLimited).toBe(before + 1);
		// Another connection's token has its own window.
		expect((await call(sb, '/api/eam/sites', { token: sb.connections[1].apiToken })).status).toBe(200);
	});
});
