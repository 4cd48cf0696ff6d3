/**
 * The one way every Makini node talks to Makini: n8n's authenticated request helper,
 * the credential's base URL, retries that never double a create, and errors mapped
 * to NodeApiError.
 */
import { NodeOperationError, sleep } from 'n8n-workflow';
import type {
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import type { MakiniCredentialType } from '../registry/types';
import { connectionScopeOf } from './connectionScope';
import { connectionToken, connectionTokenKey, forgetConnectionToken, type ConnectionRef } from './connectionToken';
import { extractHttpFailure, makiniApiError, type HttpFailure } from './errors';
import { notePaceAnswered, notePaceRateLimited, notePaceSent, paceKeyOf, reservePaceSlot } from './pacing';
import { cappedRetryAfter, DEFAULT_RETRY_POLICY, nextAttempt, type RetryPolicy, type RetryDecision } from './retry';

export const DEFAULT_BASE_URL = 'https://api.makini.io';

/**
 * How long one attempt waits for Makini's answer unless the credential says otherwise.
 * n8n's own default (300 s) times five attempts kept a GET item waiting ~25 minutes.
 */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

/** The credential's Request Timeout in milliseconds (1 s to 300 s; the default when unset or invalid). */
export function requestTimeoutMs(value: unknown): number {
	const number = typeof value === 'string' && value.trim() ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;
	return Math.round(Math.min(300, Math.max(1, number)) * 1000);
}

/** What a Makini call needs from its n8n context (execute, poll, load options, hooks...). */
export interface MakiniContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
	helpers: {
		httpRequestWithAuthentication(
			this: IAllExecuteFunctions,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
		/** The plain helper: a request with a connection token obtained through the System API. */
		httpRequest?(requestOptions: IHttpRequestOptions): Promise<unknown>;
	};
}

export type QueryValue = string | number | boolean | undefined | null;

/** A file sent as multipart/form-data (document upload). */
export interface MultipartFile {
	field: string;
	data: Buffer;
	fileName: string;
	contentType: string;
}

export interface MakiniRequestOptions {
	method: IHttpRequestMethods;
	/** Path below the base URL, placeholders already substituted (see pathWithParams). */
	path: string;
	query?: Record<string, QueryValue>;
	body?: IDataObject | IDataObject[];
	/** Sends multipart/form-data: these fields plus the file. */
	multipart?: { fields: Record<string, string>; file?: MultipartFile };
	credentialType?: MakiniCredentialType;
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	/**
	 * Repeating the request has no effect beyond the first (issuing another short-lived
	 * connection token), so it is retried like a read even though it is a POST.
	 */
	safeToRepeat?: boolean;
	/**
	 * Acts on this connection with the System API credential: the request carries the
	 * connection's token, obtained through the System API and cached (connectionToken.ts).
	 */
	connection?: ConnectionRef;
	/** This request obtains that connection's token (its errors name the connection). */
	tokenFor?: ConnectionRef;
}

export interface MakiniResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: IDataObject;
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
	if (!query) return '';
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(query)) {
		if (value !== undefined && value !== null && value !== '') params.append(name, String(value));
	}
	const text = params.toString();
	return text ? `?${text}` : '';
}

export function normaliseBaseUrl(value: unknown): string {
	const text = typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_BASE_URL;
	return text.replace(/\/+$/, '');
}

function multipartBody(multipart: NonNullable<MakiniRequestOptions['multipart']>) {
	// Built by hand so that the body is the same under every n8n version's HTTP helper.
	const boundary = `----n8nMakini${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	const chunks: Buffer[] = [];
	const quote = (text: string) => text.replace(/["\r\n]/g, '_');
	for (const [name, value] of Object.entries(multipart.fields)) {
		chunks.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`),
		);
	}
	const file = multipart.file;
	if (file) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const oauth = (credentials.oauthTokenData ?? {}) as IDataObject;
	return [credentials.apiToken, credentials.clientSecret, credentials.accessToken, oauth.access_token, oauth.refresh_token].filter(
		(value): value is string => typeof value === 'string' && value.length > 0,
	);
}

/** Sends one request, retrying as the policy allows; returns the full response. */
export async function makiniRequestFull(
	this: MakiniContext,
	options: MakiniRequestOptions,
): Promise<MakiniResponse> {
	const connection =
		options.connection ?? (options.credentialType === undefined || options.credentialType === 'makiniApi' ? connectionScopeOf(this) : undefined);
	const credentialType = connection ? 'makiniSystemApi' : (options.credentialType ?? 'makiniApi');
	const credentials = await this.getCredentials(credentialType, options.itemIndex);
	const url = `${normaliseBaseUrl(credentials.baseUrl)}${options.path}${queryString(options.query)}`;
	const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
	const timeoutMs = requestTimeoutMs(credentials.requestTimeout);

	const request: IHttpRequestOptions = {
		method: options.method,
		url,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		json: true,
		timeout: timeoutMs,
	};
	if (options.multipart) {
		const { body, contentType } = multipartBody(options.multipart);
		request.body = body;
		request.json = false;
		request.headers = { ...request.headers, 'Content-Type': contentType };
	} else if (options.body !== undefined) {
		request.body = options.body;
	}

	const tokenKey = connection ? connectionTokenKey(credentials, connection.id) : '';
	// Every connection token this request used, so that no error can carry one.
	const connectionTokens: string[] = [];
	let tokenRefreshed = false;
	let waitedMs = 0;
	// Rate limits are per connection (pacing.ts): the connection's token, else the credential's.
	const paceKey = connection ? paceKeyOf('connection', {}, tokenKey) : paceKeyOf(credentialType, credentials);
	// A retry's wait, already its slot on the token (taken when it was decided).
	let retryWaitMs: number | undefined;
	for (let attempt = 1; ; attempt++) {
		let failure: HttpFailure;
		const token = connection ? await connectionTokenFor(this, connection, tokenKey, options.itemIndex) : undefined;
		if (token && !connectionTokens.includes(token)) connectionTokens.push(token);
		const waitMs = retryWaitMs ?? reservePaceSlot(paceKey, Date.now());
		retryWaitMs = undefined;
		if (waitMs > 0) await sleep(waitMs);
		const started = Date.now();
		notePaceSent(paceKey, started);
		try {
			const response = (await (token
				? sendWithToken(this, request, token)
				: this.helpers.httpRequestWithAuthentication.call(this as unknown as IAllExecuteFunctions, credentialType, {
						...request,
					}))) as { statusCode?: number; headers?: Record<string, string>; body?: unknown };
			notePaceAnswered(paceKey, started);
			return {
				statusCode: response.statusCode ?? 200,
				headers: response.headers ?? {},
				body: parseSuccessBody(response.body),
			};
		} catch (error) {
			failure = extractHttpFailure(error);
			if (failure.status === undefined && (isTimeoutMessage(failure.message) || Date.now() - started >= timeoutMs)) {
				failure.timedOut = true;
			}
		}
		if (failure.status === 429) notePaceRateLimited(paceKey, Date.now(), cappedRetryAfter(failure, policy), failure.headers);
		else if (failure.status !== undefined) notePaceAnswered(paceKey, started);
		if (token && failure.status === 401 && !tokenRefreshed) {
			// An expired or revoked connection token: obtain a new one once, at once.
			tokenRefreshed = true;
			forgetConnectionToken(tokenKey, token);
			attempt--;
			continue;
		}
		let decision: RetryDecision = nextAttempt({ method: options.method, safeToRepeat: options.safeToRepeat, attempt, waitedMs }, failure, policy);
		if (decision.retry) {
			// The retry waits for its slot on the token, no earlier than the policy's delay.
			retryWaitMs = reservePaceSlot(paceKey, Date.now(), Date.now() + decision.delayMs);
			if (waitedMs + retryWaitMs > policy.maxTotalWaitMs) decision = { retry: false, reason: 'budget' };
		}
		if (!decision.retry) {
			// Read again: n8n may have obtained a new access token during the request (preAuthentication).
			const current = await this.getCredentials(credentialType, options.itemIndex).catch(() => credentials);
			throw makiniApiError(this.getNode(), failure, {
				method: options.method,
				path: options.path,
				attempts: attempt,
				itemIndex: options.itemIndex,
				secrets: [...new Set([...secretsOf(credentials), ...secretsOf(current), ...connectionTokens])],
				connection: connection
					? { ...(await named(this, connection)), stage: 'call', tokenRefreshed }
					: options.tokenFor && { ...(await named(this, options.tokenFor)), stage: 'token' },
				safeToRepeat: options.safeToRepeat,
				stopReason: decision.reason,
				timeoutMs,
				waitedMs,
				budgetMs: policy.maxTotalWaitMs,
			});
		}
		waitedMs += retryWaitMs ?? 0;
	}
}

/** The connection's token, cached or issued by the System API; a failure names the connection. */
async function connectionTokenFor(ctx: MakiniContext, connection: ConnectionRef, key: string, itemIndex?: number): Promise<string> {
	const issue = async () =>
		await makiniApiRequest.call(ctx, {
			method: 'POST',
			path: `/api/system/connections/${encodeURIComponent(connection.id)}/token`,
			credentialType: 'makiniSystemApi',
			body: {},
			itemIndex,
			// Another token is issued, nothing else happens: retried like a read.
			safeToRepeat: true,
			tokenFor: connection,
		});
	const token = await connectionToken(key, issue);
	if (token) return token;
	throw new NodeOperationError(ctx.getNode(), `Makini issued no token for connection ${describeConnection(connection)}`, {
		itemIndex,
		description: 'Its answer to POST /api/system/connections/{id}/token carried no token. Check the connection in the Makini dashboard; if it persists, ask Makini support.',
	});
}

/** The connection with its name for an error message, looked up once if the editor did not know it. */
async function named(ctx: MakiniContext, connection: ConnectionRef): Promise<ConnectionRef> {
	if (connection.name) return connection;
	try {
		const body = await makiniApiRequest.call(ctx, {
			method: 'GET',
			path: '/api/system/connections',
			query: { per_page: 500 },
			credentialType: 'makiniSystemApi',
			retry: { maxAttempts: 1 },
		});
		const rows = Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
		const row = rows.find((r) => String(r.key ?? r.id) === connection.id);
		return typeof row?.name === 'string' && row.name ? { ...connection, name: row.name } : connection;
	} catch {
		return connection;
	}
}

/** A connection as messages name it: `"Name" (id)` or `id`. */
export function describeConnection(connection: ConnectionRef): string {
	return connection.name ? `"${connection.name}" (${connection.id})` : `"${connection.id}"`;
}

async function sendWithToken(ctx: MakiniContext, request: IHttpRequestOptions, token: string): Promise<unknown> {
	if (!ctx.helpers.httpRequest) throw new NodeOperationError(ctx.getNode(), 'This n8n context offers no HTTP helper for requests with a connection token');
	return await ctx.helpers.httpRequest({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
}

/** Axios's words for its own timeout ("timeout of 60000ms exceeded"), whatever code it chose. */
function isTimeoutMessage(message: string | undefined): boolean {
	return message !== undefined && /timeout of \d+ ?ms exceeded|timed? ?out/i.test(message);
}

function parseSuccessBody(body: unknown): IDataObject {
	if (typeof body === 'string') {
		if (!body.trim()) return {};
		try {
			return JSON.parse(body) as IDataObject;
		} catch {
			return { data: body };
		}
	}
	if (Buffer.isBuffer(body)) return parseSuccessBody(body.toString('utf8'));
	if (body !== null && typeof body === 'object') return body as IDataObject;
	return body === undefined || body === null ? {} : { data: body as string };
}

/** Sends one request and returns Makini's JSON body. */
export async function makiniApiRequest(this: MakiniContext, options: MakiniRequestOptions): Promise<IDataObject> {
	return (await makiniRequestFull.call(this, options)).body;
}
