import { AxiosError, AxiosHeaders } from 'axios';
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import {
	backoffDelay,
	buildListQuery,
	DEFAULT_RETRY_POLICY,
	errorItemJson,
	extractHttpFailure,
	makiniApiError,
	nextPage,
	parseRetryAfter,
	pathWithParams,
	queryString,
	readMakiniError,
	isWrite,
	mayHaveBeenApplied,
	nextAttempt,
	redact,
	redactValue,
	requestTimeoutMs,
	retryDelay,
	type HttpFailure,
} from '../../nodes/shared/transport';

const node: INode = {
	id: '1',
	name: 'Makini',
	type: 'n8n-nodes-makini.makiniCmms',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
	const response = {
		status,
		statusText: '',
		headers: new AxiosHeaders(headers),
		data,
		config: { headers: new AxiosHeaders({ Authorization: 'Bearer super-secret-token' }) },
	};
	return new AxiosError('Request failed', String(status), response.config as never, {}, response as never);
}

describe('extractHttpFailure', () => {
	it('reads status, headers and body through a NodeApiError wrapping an Axios error (n8n-core)', () => {
		const wrapped = new NodeApiError(
			node,
			axiosError(429, { error: { code: 'RATE_LIMIT_EXCEEDED' } }, { 'Retry-After': '7' }) as never,
		);
		const failure = extractHttpFailure(wrapped);
		expect(failure.status).toBe(429);
		expect(failure.headers['retry-after']).toBe('7');
		expect(readMakiniError(failure).code).toBe('RATE_LIMIT_EXCEEDED');
	});

	it('reads a JSON body that arrived as text', () => {
		const failure = extractHttpFailure(axiosError(422, '{"message":"bad","errors":{"title":["required"]}}'));
		expect(readMakiniError(failure)).toMatchObject({ message: 'bad', fields: { title: ['required'] } });
	});

	it('recognises network failures by code', () => {
		const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const failure = extractHttpFailure(new NodeApiError(node, error as never));
		expect(failure.networkCode).toBe('ECONNRESET');
		expect(failure.status).toBeUndefined();
	});
});

describe('readMakiniError', () => {
	it.each([
		[{ error: { code: 'X', type: 't', message: 'm', request_id: 'r1' } }, {}, 'r1'],
		[{ code: 'X', message: 'm', requestId: 'r2' }, {}, 'r2'],
		[{ message: 'm' }, { 'x-request-id': 'r3' }, 'r3'],
	])('finds the request ID in %j', (body, headers, id) => {
		expect(readMakiniError({ body, headers }).requestId).toBe(id);
	});
});

describe('makiniApiError', () => {
	const request = { method: 'POST', path: '/api/eam/work-orders', attempts: 1, secrets: ['tok_live_123456'] };

	it('names the rejected fields, the Makini code and the request ID of a 422', () => {
		const error = makiniApiError(
			node,
			{
				status: 422,
				headers: {},
				body: {
					error: {
						code: 'VALIDATION_FAILED',
						message: 'The given data was invalid.',
						request_id: 'req_42',
						errors: { assetKey: ['The asset key field is required.'], scheduledAt: ['Invalid date.'] },
					},
				},
			},
			request,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('422');
		expect(error.message).toContain('assetKey');
		expect(error.message).toContain('scheduledAt');
		expect(error.message).toContain('VALIDATION_FAILED');
		expect(error.description).toContain('req_42');
		expect(errorItemJson(error)).toMatchObject({ makiniCode: 'VALIDATION_FAILED', requestId: 'req_42', httpCode: '422' });
	});

	it.each([
		[401, /reauthoriz/i],
		[403, /permission/i],
		[404, /key/i],
		[429, /per minute/i],
		[503, /transient/i],
	])('tells what to do next for %i', (status, next) => {
		// A read: a failed POST may have been applied, which changes the advice (see the reliability regressions).
		const error = makiniApiError(node, { status, headers: {}, body: {} }, { ...request, method: 'GET' });
		expect(`${error.message}\n${error.description}`).toMatch(next);
	});

	it('never repeats a secret or a bearer token that the server echoed', () => {
		const error = makiniApiError(
			node,
			{ status: 400, headers: {}, body: { message: 'token tok_live_123456 / Bearer abc.def is odd' } },
			request,
		);
		const everything = JSON.stringify({ m: error.message, d: error.description, c: error.context, e: errorItemJson(error) });
		expect(everything).not.toContain('tok_live_123456');
		expect(everything).not.toContain('abc.def');
	});
});

describe('retryDelay', () => {
	const none = () => 0.5;
	it('honours Retry-After on 429, capped', () => {
		expect(retryDelay('GET', { status: 429, headers: { 'retry-after': '3' } }, 1)).toBe(3000);
		expect(retryDelay('POST', { status: 429, headers: { 'retry-after': '99999' } }, 1)).toBe(
			DEFAULT_RETRY_POLICY.maxRetryAfterMs,
		);
	});
	it('retries reads and updates on transient failures and resets', () => {
		for (const status of [500, 502, 503, 504]) {
			expect(retryDelay('GET', { status, headers: {} }, 1, DEFAULT_RETRY_POLICY, none)).toBeGreaterThan(0);
			expect(retryDelay('PUT', { status, headers: {} }, 1, DEFAULT_RETRY_POLICY, none)).toBeGreaterThan(0);
		}
		expect(retryDelay('GET', { headers: {}, networkCode: 'ECONNRESET' }, 1)).toBeGreaterThan(0);
	});
	it('never repeats a POST that may have been applied', () => {
		for (const status of [500, 502, 504]) expect(retryDelay('POST', { status, headers: {} }, 1)).toBeUndefined();
		expect(retryDelay('POST', { status: 503, headers: {} }, 1)).toBeUndefined();
		expect(retryDelay('POST', { headers: {}, networkCode: 'ECONNRESET' }, 1)).toBeUndefined();
		// A gateway may have applied it before answering 503, Retry-After or not.
		expect(retryDelay('POST', { status: 503, headers: { 'retry-after': '1' } }, 1)).toBeUndefined();
		expect(retryDelay('DELETE', { status: 503, headers: {} }, 1)).toBeUndefined();
		expect(retryDelay('POST', { status: 429, headers: { 'retry-after': '1' } }, 1)).toBe(1000);
		expect(retryDelay('POST', { headers: {}, networkCode: 'ECONNREFUSED' }, 1)).toBeGreaterThan(0);
	});
	it('does not retry client errors and stops after the bounded attempts', () => {
		for (const status of [400, 401, 403, 404, 422]) expect(retryDelay('GET', { status, headers: {} }, 1)).toBeUndefined();
		expect(retryDelay('GET', { status: 503, headers: {} }, DEFAULT_RETRY_POLICY.maxAttempts)).toBeUndefined();
		expect(retryDelay('GET', { status: 429, headers: {} }, DEFAULT_RETRY_POLICY.rateLimitAttempts)).toBeUndefined();
	});
	it('backs off exponentially with jitter', () => {
		expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(150);
		expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 1)).toBe(1200);
		expect(backoffDelay(30, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
	});
	it('parses Retry-After as seconds or an HTTP date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('nextPage', () => {
	it('follows next_cursor first, then meta, then links.next', () => {
		expect(nextPage({ next_cursor: 'abc', meta: { current_page: 1, last_page: 9 } }, 1, 10, 10)).toEqual({ cursor: 'abc' });
		expect(nextPage({ meta: { next_cursor: null, current_page: 1, last_page: 9 } }, 1, 10, 10)).toBeUndefined();
		expect(nextPage({ meta: { current_page: 2, last_page: 3 } }, 2, 10, 10)).toEqual({ page: 3 });
		expect(nextPage({ meta: { current_page: 3, last_page: 3 } }, 3, 10, 10)).toBeUndefined();
		expect(nextPage({ links: { next: 'https://x/api?page=4' } }, 3, 10, 10)).toEqual({ page: 4 });
		expect(nextPage({ links: { next: null } }, 3, 10, 10)).toBeUndefined();
		expect(nextPage({ data: [] }, 1, 10, 10)).toEqual({ page: 2 });
		expect(nextPage({ data: [] }, 1, 3, 10)).toBeUndefined();
	});
});

describe('buildListQuery', () => {
	it('spells every operator as Makini documents it', () => {
		const query = buildListQuery({
			filters: [
				{ field: 'title', operator: 'equals', value: 'Pump' },
				{ field: 'title', operator: 'contains', value: 'ump' },
				{ field: 'code', operator: 'startsWith', value: 'WO' },
				{ field: 'estimatedTime', operator: 'gt', value: 1 },
				{ field: 'createdAt', operator: 'gteq', value: '2024-01-01' },
				{ field: 'createdAt', operator: 'lt', value: '2025-01-01' },
				{ field: 'dueAt', operator: 'lteq', value: '2025-01-01' },
			],
			match: 'any',
			sort: [{ field: 'updatedAt', direction: 'desc' }],
			updatedSince: '2024-06-01T00:00:00Z',
		});
		expect(query).toEqual({
			'filter[title]': 'Pump',
			'filter[title:contains]': 'ump',
			'filter[code:startsWith]': 'WO',
			'filter[estimatedTime:gt]': '1',
			'filter[createdAt:gteq]': '2024-01-01',
			'filter[createdAt:lt]': '2025-01-01',
			'filter[dueAt:lteq]': '2025-01-01',
			'filter[updatedAt:gteq]': '2024-06-01T00:00:00Z',
			filterMatch: 'any',
			'sort[updatedAt]': 1,
		});
	});
	it('refuses field names that would inject query syntax', () => {
		expect(() => buildListQuery({ filters: [{ field: 'a]&b[', operator: 'equals', value: 1 }] })).toThrow(/a\]&b\[/);
		expect(() => buildListQuery({ sort: [{ field: 'x=1&y', direction: 'asc' }] })).toThrow();
	});
	it('keeps values as data: they are URL-encoded, never query syntax', () => {
		expect(queryString({ 'filter[title]': 'a&b=c#d' })).toBe('?filter%5Btitle%5D=a%26b%3Dc%23d');
	});
});

describe('pathWithParams', () => {
	it('encodes keys so they stay one path segment', () => {
		expect(pathWithParams(node, '/api/eam/work-orders/{key}', { key: 'a/b?c' })).toBe('/api/eam/work-orders/a%2Fb%3Fc');
	});
	it.each(['', '   ', '.', '..', 'a\u0000b', 'a\u001fb', 'a\u007fb', 'a\u009bb'])('refuses %j naming the parameter', (value) => {
		expect(() => pathWithParams(node, '/api/eam/work-orders/{key}', { key: value })).toThrow(NodeOperationError);
		expect(() => pathWithParams(node, '/api/eam/work-orders/{key}', { key: value })).toThrow(/"key"/);
	});
});

describe('redact', () => {
	it('removes secrets and bearer tokens', () => {
		expect(redact('Bearer abc123 and s3cr3t!', ['s3cr3t!'])).toBe('Bearer [redacted] and [redacted]');
	});
	const secret = 'tok_live_9f8e7d6c5b4a';
	const bytes = Buffer.from(secret);
	it.each([
		['base64', bytes.toString('base64')],
		['base64url', bytes.toString('base64url')],
		['hex', bytes.toString('hex')],
		['upper-case hex', bytes.toString('hex').toUpperCase()],
		['URL-encoded', encodeURIComponent(`${secret}/"x"`)],
		['JSON-escaped', JSON.stringify({ t: `${secret}"` })],
		['base64 inside a longer value', Buffer.from(`client:${secret}:tail`).toString('base64')],
		['base64url inside a longer value', Buffer.from(`ab${secret}`).toString('base64url')],
	])('in %s form', (_form, text) => {
		const redacted = redact(`before ${text} after`, [secret]);
		expect(redacted).toContain('[redacted]');
		for (const needle of [secret, bytes.toString('base64').slice(2, -4), bytes.toString('hex').slice(0, 16)]) {
			expect(redacted.toLowerCase()).not.toContain(needle.toLowerCase());
		}
	});
	it('redacts keys and values of structured fields', () => {
		expect(redactValue({ [`f_${secret}`]: [`v ${secret}`], n: 1 }, [secret])).toEqual({ 'f_[redacted]': ['v [redacted]'], n: 1 });
	});
});

describe('one rule for writes and their retries', () => {
	const none = () => 0.5;
	it('POST, PATCH and DELETE are writes; GET and PUT are not; a safe-to-repeat request is not', () => {
		expect(['POST', 'PATCH', 'DELETE', 'post'].map((m) => isWrite(m))).toEqual([true, true, true, true]);
		expect(['GET', 'HEAD', 'PUT'].map((m) => isWrite(m))).toEqual([false, false, false]);
		expect(isWrite('POST', true)).toBe(false);
	});
	it('the retry rule and the error advice agree for every method and failure', () => {
		const failures: HttpFailure[] = [
			{ status: 500, headers: {} },
			{ status: 502, headers: {} },
			{ status: 503, headers: {} },
			{ status: 503, headers: { 'retry-after': '1' } },
			{ status: 504, headers: {} },
			{ headers: {}, networkCode: 'ECONNRESET' },
			{ headers: {}, networkCode: 'ECONNREFUSED' },
			{ status: 429, headers: { 'retry-after': '1' } },
		];
		for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
			for (const failure of failures) {
				const retried = retryDelay(method, failure, 1, DEFAULT_RETRY_POLICY, none) !== undefined;
				expect({ method, failure, both: retried && mayHaveBeenApplied(method, failure) }).toEqual({ method, failure, both: false });
				if (!retried) expect(mayHaveBeenApplied(method, failure)).toBe(true);
			}
		}
	});
	it('a safe-to-repeat POST is retried through resets, 5xx and 429', () => {
		const failures: HttpFailure[] = [{ headers: {}, networkCode: 'ECONNRESET' }, { status: 502, headers: {} }, { status: 429, headers: {} }];
		for (const failure of failures) {
			expect(nextAttempt({ method: 'POST', safeToRepeat: true, attempt: 1, waitedMs: 0 }, failure, DEFAULT_RETRY_POLICY, none)).toMatchObject({ retry: true });
		}
		// Repeating it costs nothing: it gets as many attempts as a 429, still within the budget.
		const reset: HttpFailure = { headers: {}, networkCode: 'ECONNRESET' };
		const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
		expect(nextAttempt({ method: 'POST', safeToRepeat: true, attempt: 3, waitedMs: 0 }, reset, policy, none)).toMatchObject({ retry: true });
		expect(nextAttempt({ method: 'POST', safeToRepeat: true, attempt: 10, waitedMs: 0 }, reset, policy, none)).toEqual({ retry: false, reason: 'attempts' });
		expect(nextAttempt({ method: 'GET', attempt: 3, waitedMs: 0 }, reset, policy, none)).toEqual({ retry: false, reason: 'attempts' });
	});
	it('a timed-out attempt is not repeated', () => {
		expect(nextAttempt({ method: 'GET', attempt: 1, waitedMs: 0 }, { headers: {}, networkCode: 'ECONNABORTED', timedOut: true })).toEqual({ retry: false, reason: 'timed-out' });
	});
	it('the waits of one request stay within the budget', () => {
		const failure = { status: 429, headers: { 'retry-after': '99999' } };
		expect(nextAttempt({ method: 'GET', attempt: 1, waitedMs: 0 }, failure)).toEqual({ retry: true, delayMs: 60_000 });
		expect(nextAttempt({ method: 'GET', attempt: 2, waitedMs: 60_000 }, failure)).toEqual({ retry: true, delayMs: 60_000 });
		expect(nextAttempt({ method: 'GET', attempt: 3, waitedMs: 120_000 }, failure)).toEqual({ retry: false, reason: 'budget' });
	});
	it('the Request Timeout is read from the credential, bounded, 60 s by default', () => {
		expect([requestTimeoutMs(undefined), requestTimeoutMs(''), requestTimeoutMs(-1), requestTimeoutMs('abc')]).toEqual([60_000, 60_000, 60_000, 60_000]);
		expect([requestTimeoutMs(5), requestTimeoutMs('10'), requestTimeoutMs(0.2), requestTimeoutMs(9999)]).toEqual([5_000, 10_000, 1_000, 300_000]);
	});
	it('errors name the limit that was reached and what to do', () => {
		const timeout = makiniApiError(node, { headers: {}, networkCode: 'ECONNABORTED', timedOut: true }, { method: 'GET', path: '/p', attempts: 1, stopReason: 'timed-out', timeoutMs: 60_000 });
		expect(timeout.message).toMatch(/request timeout of 60 s \(Request Timeout in the Makini credential\)/);
		expect(timeout.description).toMatch(/raise Request Timeout/);
		const budget = makiniApiError(node, { status: 429, headers: { 'retry-after': '99999' } }, { method: 'GET', path: '/p', attempts: 3, stopReason: 'budget', waitedMs: 120_000, budgetMs: 120_000 });
		expect(budget.message).toMatch(/retry budget of 120 s per request is used up \(waited 120 s over 3 attempts\)/);
	});
});
