/**
 * Turns any failed Makini call into a NodeApiError a builder understands: HTTP status,
 * Makini error code, request ID and the next step. Nothing of the credentials is kept.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import type { ConnectionRef } from './connectionToken';
import { redact, redactValue } from './redact';
import { isWrite, provesNotApplied, type StopReason } from './retry';

/** What a failed HTTP call left behind, whatever shape the HTTP helper threw it in. */
export interface HttpFailure {
	/** HTTP status, absent for network failures. */
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
	/** Network error code such as ECONNRESET or ECONNREFUSED. */
	networkCode?: string;
	message?: string;
	/** The attempt hit the request timeout (no answer in time). */
	timedOut?: boolean;
}

/** Makini's error body, normalised from the shapes seen in its docs and Laravel's defaults. */
export interface MakiniErrorDetails {
	code?: string;
	type?: string;
	message?: string;
	requestId?: string;
	/** Field name → messages, from a 422. */
	fields?: Record<string, string[]>;
}

export interface RequestDescription {
	method: string;
	path: string;
	attempts: number;
	itemIndex?: number;
	/** Values that must never appear in a message (tokens, secrets). */
	secrets?: string[];
	/** Repeating it has no effect beyond the first (see isWrite). */
	safeToRepeat?: boolean;
	/** Why the transport stopped retrying. */
	stopReason?: StopReason;
	/** The request timeout of one attempt, and where it is set. */
	timeoutMs?: number;
	/** Time waited between attempts, and the limit on it. */
	waitedMs?: number;
	budgetMs?: number;
	/** The connection a System API request acted on ('call') or obtained a token for ('token'). */
	connection?: ConnectionRef & { stage: 'call' | 'token'; tokenRefreshed?: boolean };
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' ? (value as IDataObject) : undefined;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	const source = asObject(headers);
	if (!source) return result;
	// Axios headers objects expose toJSON(); plain objects are used as they are.
	const plain = typeof source.toJSON === 'function' ? (source.toJSON as () => IDataObject)() : source;
	for (const [name, value] of Object.entries(plain)) {
		if (value !== undefined && value !== null) result[name.toLowerCase()] = String(value);
	}
	return result;
}

function parseBody(body: unknown): unknown {
	if (typeof body === 'string') {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	if (typeof Buffer !== 'undefined' && Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	return body;
}

/**
 * Reads status, headers, body and network code from what n8n's HTTP helpers throw:
 * a NodeApiError wrapping an Axios error (n8n 1.x and 2.x), a bare Axios error, or
 * the legacy request-style error with statusCode and error.
 */
export function extractHttpFailure(error: unknown): HttpFailure {
	const failure: HttpFailure = { headers: {} };
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (asObject(current) && !seen.has(current)) {
		seen.add(current);
		const candidate = current as IDataObject;
		const response = asObject(candidate.response);
		const status = Number(response?.status ?? response?.statusCode ?? candidate.statusCode ?? NaN);
		if (failure.status === undefined && Number.isInteger(status) && status >= 100) {
			failure.status = status;
		}
		if (response && Object.keys(failure.headers).length === 0) {
			failure.headers = lowerCaseHeaders(response.headers);
		}
		if (failure.body === undefined) {
			const body = response?.data ?? response?.body ?? candidate.error;
			if (body !== undefined && body !== null && typeof body !== 'function') failure.body = parseBody(body);
		}
		if (!failure.networkCode && typeof candidate.code === 'string' && NETWORK_CODES.has(candidate.code)) {
			failure.networkCode = candidate.code;
		}
		if (!failure.message && typeof candidate.message === 'string') failure.message = candidate.message;
		current = candidate.cause ?? candidate.errorResponse;
	}
	if (failure.status === undefined && !failure.networkCode && failure.message) {
		const code = [...NETWORK_CODES].find((c) => failure.message?.includes(c));
		if (code) failure.networkCode = code;
	}
	return failure;
}

/** Normalises Makini's error body: `{error:{...}}`, a flat object, or Laravel's `{message, errors}`. */
export function readMakiniError(failure: Pick<HttpFailure, 'body' | 'headers'>): MakiniErrorDetails {
	const body = asObject(failure.body);
	const inner = asObject(body?.error) ?? body;
	const details: MakiniErrorDetails = {};
	const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
	details.code = text(inner?.code) ?? text(body?.code);
	details.type = text(inner?.type) ?? text(body?.type);
	details.message = text(inner?.message) ?? text(body?.message) ?? text(body?.error);
	details.requestId =
		text(inner?.request_id) ??
		text(inner?.requestId) ??
		text(body?.request_id) ??
		text(body?.requestId) ??
		text(failure.headers['x-request-id']) ??
		text(failure.headers['request-id']);
	const errors = asObject(inner?.errors) ?? asObject(body?.errors);
	if (errors && !Array.isArray(errors)) {
		details.fields = {};
		for (const [field, messages] of Object.entries(errors)) {
			details.fields[field] = (Array.isArray(messages) ? messages : [messages]).map(String);
		}
	}
	return details;
}

const DEFAULT_CODES: Record<number, string> = {
	400: 'INVALID_REQUEST',
	401: 'AUTHENTICATION_FAILED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	405: 'METHOD_NOT_ALLOWED',
	422: 'VALIDATION_FAILED',
	429: 'RATE_LIMIT_EXCEEDED',
};

function describeFields(fields: Record<string, string[]>): string {
	return Object.entries(fields)
		.map(([field, messages]) => `${field}: ${messages.join(' ')}`)
		.join('; ');
}

/**
 * A write (see isWrite) whose answer was lost (a reset connection, a timeout) or was a
 * server or gateway error (500, 502, 503 with or without Retry-After, 504) may have been
 * applied: it is not retried, and repeating it blindly could create a second purchase
 * order. The retry rule's own test says which failures prove it was not.
 */
export function mayHaveBeenApplied(
	method: string,
	failure: Pick<HttpFailure, 'status' | 'networkCode' | 'headers'>,
	safeToRepeat = false,
): boolean {
	if (!isWrite(method, safeToRepeat)) return false;
	if (failure.status !== undefined && failure.status < 500) return false;
	return !provesNotApplied(failure);
}

const MAY_HAVE_BEEN_APPLIED =
	'Makini may have applied this request before its answer was lost, so it was not retried: check whether the record exists (e.g. Get Many filtered on a field you set) before running the item again, or it may be created twice.';

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function timeoutText(request: RequestDescription): string {
	const limit = request.timeoutMs === undefined ? 'the request timeout' : `the request timeout of ${seconds(request.timeoutMs)}`;
	return `Makini did not answer within ${limit} (Request Timeout in the Makini credential)`;
}

function explain(status: number | undefined, details: MakiniErrorDetails, request: RequestDescription, failure: HttpFailure) {
	const retried = request.attempts > 1 ? ` after ${request.attempts} attempts` : '';
	const timedOut = request.stopReason === 'timed-out' || failure.timedOut === true;
	if (mayHaveBeenApplied(request.method, failure, request.safeToRepeat)) {
		return {
			summary: timedOut
				? timeoutText(request)
				: status === undefined
					? 'The connection to Makini was lost before its answer'
					: 'Makini or the connected system failed',
			next: MAY_HAVE_BEEN_APPLIED,
		};
	}
	if (timedOut) {
		return {
			summary: `${timeoutText(request)}${retried}`,
			next: 'Makini or the connected system is slow or not answering. Try again later; if this read is large, narrow it (filters, Updated Since, a Limit), or raise Request Timeout in the credential.',
		};
	}
	if (request.stopReason === 'budget') {
		const budget = request.budgetMs === undefined ? '' : ` of ${seconds(request.budgetMs)}`;
		const waited = request.waitedMs === undefined ? '' : ` (waited ${seconds(request.waitedMs)} over ${request.attempts} attempts)`;
		return {
			summary: `${status === 429 ? 'Rate limited by Makini' : 'Makini or the connected system kept failing'}: the retry budget${budget} per request is used up${waited}`,
			next:
				status === 429
					? 'Makini asked to wait longer than one request may wait (Retry-After). Run the workflow later, or process fewer items at once (Loop Over Items with a Wait node).'
					: 'This is usually transient. Try again later (n8n\'s Retry On Fail with a wait between tries); if it persists, send Makini support the request ID.',
		};
	}
	const connection = request.connection;
	const named = connection && (connection.name ? `"${connection.name}" (${connection.id})` : `"${connection.id}"`);
	if (connection?.stage === 'token' && (status === 403 || status === 404)) {
		return {
			summary: `Makini has no connection ${named} for this System API client`,
			next: 'Check the Connection parameter: choose the connection from the list or give its ID as the System API lists it (Connection → Get Many). A deleted or disconnected connection has no token.',
		};
	}
	if (connection?.stage === 'call' && status === 401) {
		return {
			summary: `Makini rejected the token of connection ${named}${connection.tokenRefreshed ? ', also a new one' : ''}`,
			next: 'The node obtained a fresh token for this connection through the System API and Makini refused it too: the connection needs reauthorization (the connected system rejected its credentials) or was disconnected. Reconnect it through Makini Link or the Makini dashboard, or leave it out of the workflow; Connection → Get Status shows its sync status.',
		};
	}
	switch (true) {
		case status === undefined:
			return {
				summary: `Could not reach Makini${retried}`,
				next: 'Check the Base URL in the credential and that this n8n can reach it; the request was retried where that was safe.',
			};
		case status === 400:
			return {
				summary: 'Makini refused the request as invalid',
				next: 'Check the parameters (filters, keys, body); the message above names what was wrong.',
			};
		case status === 401:
			return {
				summary: 'Makini rejected the credentials',
				next: 'Either the token is wrong or revoked, or the connected system’s credentials changed and the connection needs reauthorization: reconnect it in Makini, then update the n8n credential if a new token was issued.',
			};
		case status === 403:
			return {
				summary: 'The connected account has no permission for this operation',
				next: 'Ask the administrator of the connected system to grant the account Makini uses access to this data.',
			};
		case status === 404:
			return {
				summary: `Not found: ${request.method} ${request.path}`,
				next: 'Check the key: Makini addresses records by their `key` field (not the order or work-order number). Use Get Many with a filter to look it up.',
			};
		case status === 405:
			return {
				summary: 'The connected system does not support this operation',
				next: 'Makini documents no such method here; delete is usually done by a status change (Update Status).',
			};
		case status === 422:
			return {
				summary: details.fields
					? `The connected system rejected fields: ${describeFields(details.fields)}`
					: 'The connected system rejected the data',
				next: 'Set or correct the named fields. Which fields are required depends on the connected product (e.g. one CMMS needs an asset and a schedule date, another a site).',
			};
		case status === 429:
			return {
				summary: `Rate limited by Makini${retried}`,
				next: 'Makini limits requests per connection per minute. Process fewer items at once (Loop Over Items with a Wait node) or retry later; Retry-After was honoured.',
			};
		default:
			return {
				summary: `Makini or the connected system failed${retried}`,
				next: 'This is usually transient and was retried where that was safe. Try again later; if it persists, send Makini support the request ID.',
			};
	}
}

/** The NodeApiError for a failed call. */
export function makiniApiError(node: INode, failure: HttpFailure, request: RequestDescription): NodeApiError {
	const secrets = request.secrets ?? [];
	// Everything copied from the answer is redacted before it is used anywhere.
	const details = redactValue(readMakiniError(failure), secrets);
	const code = details.code ?? (failure.status ? DEFAULT_CODES[failure.status] : failure.networkCode);
	const { summary, next } = explain(failure.status, details, request, failure);
	// n8n rewrites a message that contains a network code such as ECONNREFUSED into its
	// own generic text, so the code goes into the description instead.
	const statusText = failure.status ? `${failure.status}${code ? ` ${code}` : ''}` : failure.timedOut ? 'timeout' : 'network error';
	const message = redact(`${summary} (${statusText})`, secrets);
	const parts = [
		failure.status === undefined && code ? `Network error: ${code}.` : '',
		details.message && !summary.includes(details.message) ? `Makini says: ${details.message}` : '',
		next,
		details.requestId ? `Request ID: ${details.requestId} (quote it to Makini support).` : '',
	].filter(Boolean);
	const description = redact(parts.join('\n'), secrets);

	const response: JsonObject = {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : null,
		makiniCode: code ?? null,
		requestId: details.requestId ?? null,
	};
	if (details.fields) response.fields = details.fields;
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex: request.itemIndex,
	});
	error.context = {
		...error.context,
		makiniCode: code,
		requestId: details.requestId,
		fields: details.fields,
		attempts: request.attempts,
	};
	return error;
}

/** The JSON of an error item when the node continues on fail. */
export function errorItemJson(error: unknown): IDataObject {
	const err = error as { message?: string; description?: string | null; httpCode?: string | null; context?: IDataObject };
	const json: IDataObject = { error: err.message ?? String(error) };
	if (err.description) json.description = err.description;
	if (err.httpCode) json.httpCode = err.httpCode;
	if (err.context?.makiniCode) json.makiniCode = err.context.makiniCode;
	if (err.context?.requestId) json.requestId = err.context.requestId;
	if (err.context?.fields) json.fields = err.context.fields;
	return json;
}
