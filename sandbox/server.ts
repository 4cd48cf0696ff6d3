/**
 * The HTTP server and the request pipeline:
 *   request ID → body → scenario latency → injected failure (before) → route (404/405)
 *   → bearer auth (401/403) → rate limit (429) → handler → injected failure (after) → answer,
 * counting every answer in the stats. /__sandbox/ is the control API, /link/token the
 * token endpoint.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { Grant } from './auth';
import { AdminError } from './admin/api';
import { matchAdminRoute, type adminRoutes } from './admin/routes';
import { handlerFor, needsSystemToken } from './api/dispatch';
import { linkToken } from './api/system';
import type { ApiResult } from './api/types';
import { ApiError, errorBody } from './http/errors';
import { parseBody, readBody, sendJson, type ParsedBody } from './http/io';
import { toSpecShape } from './contract/shape';
import { Router } from './http/router';
import { scopedTo, type SandboxState } from './state';

const REAUTHORIZATION_MESSAGE =
	'The connection requires reauthorization: the connected system rejected its stored credentials (sync_status "fail"). Reconnect it through Makini Link.';

/** Connection endpoints that still answer while a connection awaits reauthorization. */
const HEALTH_PATHS = new Set(['/api/integrations/current']);

function isLoopback(address: string | undefined): boolean {
	return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || Boolean(address?.startsWith('127.'));
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SandboxServer {
	readonly server: http.Server;
	private readonly sockets = new Set<Socket>();
	private readonly router = new Router();
	private routes: ReturnType<typeof adminRoutes> = [];
	private port = 0;
	private host = '127.0.0.1';

	constructor(private readonly state: SandboxState) {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	setAdminRoutes(routes: ReturnType<typeof adminRoutes>): void {
		this.routes = routes;
	}

	async listen(port: number, host: string): Promise<number> {
		this.host = host;
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error) => reject(error);
			this.server.once('error', onError);
			this.server.listen(port, host, () => {
				this.server.off('error', onError);
				resolve();
			});
		});
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : port;
		return this.port;
	}

	/** Closes the port: clients get "connection refused" until goOnline. */
	async goOffline(): Promise<void> {
		await this.stop();
	}

	async goOnline(): Promise<void> {
		if (!this.server.listening) await this.listen(this.port, this.host);
	}

	async stop(): Promise<void> {
		const closed = new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const requestId = `req_${randomBytes(12).toString('hex')}`;
		res.setHeader('X-Request-Id', requestId);
		// Makini's clock, as HTTP gives it: the sandbox clock (with admin.setClockOffset), not the host's.
		const stampDate = () => res.setHeader('Date', new Date(this.state.now()).toUTCString());
		stampDate();
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
		const state = this.state;
		let template = 'unmatched';
		let status = 500;
		try {
			if (path === '/__sandbox' || path.startsWith('/__sandbox/')) {
				await this.handleAdmin(req, res, method, path.slice('/__sandbox'.length), requestId);
				return;
			}
			if (path === '/oauth/authorize') {
				template = path;
				status = this.authorize(res, method, url.searchParams);
				return;
			}
			const parsed = parseBody(await readBody(req), req.headers['content-type']);
			const match = path === '/link/token' ? undefined : this.router.match(method, path);
			if (path === '/link/token') template = path;
			else if (match?.kind === 'operation') template = match.op.path;

			if (state.scenarios.offline === 'unavailable') throw new ApiError(503, 'Makini is temporarily unavailable (sandbox offline scenario).');
			const latency = state.scenarios.latencyFor(method, path, template);
			if (latency > 0) {
				await sleep(latency);
				stampDate();
			}
			const injected = this.injectFailure(res, method, path, template, 'before');
			if (injected !== undefined) {
				status = injected;
				return;
			}

			let result: ApiResult;
			if (path === '/link/token') {
				if (method !== 'POST') throw new ApiError(405, undefined, undefined, { Allow: 'POST' });
				result = { body: linkToken(state, parsed.value, req.headers.authorization) };
			} else if (!match || match.kind === 'none') {
				throw new ApiError(404, `No route for ${method} ${path}.`);
			} else if (match.kind === 'method') {
				throw new ApiError(405, `${method} is not supported for ${path}; allowed: ${match.allowed.join(', ')}.`, undefined, { Allow: match.allowed.join(', ') });
			} else {
				result = this.callOperation(req, res, match.op, match.params, url.searchParams, parsed, method, path);
			}

			// The write is applied even when its answer is then lost.
			this.countWrite(result, method, template);
			const lost = this.injectFailure(res, method, path, template, 'after');
			if (lost !== undefined) {
				status = lost;
				return;
			}
			status = result.status ?? 200;
			const shaped =
				state.options.answerShape === 'spec' && match?.kind === 'operation' && status < 300
					? toSpecShape(method, match.op.path, result.body)
					: result.body;
			sendJson(res, status, shaped, result.headers);
		} catch (error) {
			status = this.sendError(res, error, requestId);
		} finally {
			if (!(path === '/__sandbox' || path.startsWith('/__sandbox/'))) {
				state.stats.request(method, template, status);
				if (!state.options.quiet) console.log(`${method} ${path} → ${status || 'reset'} ${requestId}`);
			}
		}
	}

	private callOperation(
		req: IncomingMessage,
		res: ServerResponse,
		op: Parameters<typeof handlerFor>[0],
		params: Record<string, string>,
		query: URLSearchParams,
		parsed: ParsedBody,
		method: string,
		path: string,
	): ApiResult {
		const state = this.state;
		const grant = this.authenticate(req);
		const wantsSystem = needsSystemToken(op);
		if (wantsSystem && grant.kind !== 'system') throw new ApiError(403, 'This endpoint needs a system API token (client credentials), not a connection token.');
		if (!wantsSystem && grant.kind !== 'connection') throw new ApiError(403, 'This endpoint needs a connection API token, not a system API token.');
		const connection = grant.kind === 'connection' ? state.auth.connection(grant.connectionId) : undefined;
		if (connection?.reauthorizationRequired && !HEALTH_PATHS.has(op.path)) throw new ApiError(401, REAUTHORIZATION_MESSAGE);

		const decision = state.limiter.take(this.bearer(req)!, Date.now());
		res.setHeader('X-RateLimit-Limit', String(decision.limit));
		res.setHeader('X-RateLimit-Remaining', String(decision.remaining));
		if (!decision.allowed) {
			state.stats.rateLimited();
			throw new ApiError(429, `Rate limit of ${decision.limit} requests per minute exceeded for this token. Retry after ${decision.retryAfter} s.`, undefined, { 'Retry-After': String(decision.retryAfter) });
		}
		const handler = handlerFor(op);
		if (!handler) throw new ApiError(500, `No sandbox handler for ${op.method} ${op.path}.`);
		return handler({ state: scopedTo(state, connection), op, method, path, params, query, body: parsed.value, files: parsed.files, connection });
	}

	/**
	 * Makini Link's authorization page, emulated: the customer "connects" at once and is sent
	 * back to redirect_uri with a code (and the state). `connection_id` chooses which
	 * connection consents (default the primary one), a sandbox-only parameter.
	 */
	private authorize(res: ServerResponse, method: string, query: URLSearchParams): number {
		if (method !== 'GET') throw new ApiError(405, undefined, undefined, { Allow: 'GET' });
		if (query.get('client_id') !== this.state.auth.clientId) throw new ApiError(400, 'Unknown client_id.');
		if (query.get('response_type') !== 'code') throw new ApiError(400, 'response_type must be code.');
		const redirect = query.get('redirect_uri');
		let target: URL;
		try {
			target = new URL(redirect ?? '');
		} catch {
			throw new ApiError(400, 'redirect_uri must be an absolute URL.');
		}
		const connectionId = query.get('connection_id') ?? this.state.primary.id;
		if (!this.state.auth.connection(connectionId)) throw new ApiError(404, `No connection found for id "${connectionId}".`);
		target.searchParams.set('code', this.state.auth.issueAuthorizationCode(connectionId));
		const state = query.get('state');
		if (state !== null) target.searchParams.set('state', state);
		res.writeHead(302, { Location: target.toString() });
		res.end();
		return 302;
	}

	private bearer(req: IncomingMessage): string | undefined {
		return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
	}

	private authenticate(req: IncomingMessage): Grant {
		const token = this.bearer(req);
		if (!token) throw new ApiError(401, 'Unauthenticated: no bearer token was sent.');
		const grant = this.state.auth.lookup(token);
		if (!grant) throw new ApiError(401, 'Unauthenticated: the token is invalid, expired or revoked.');
		return grant;
	}

	/** Serves an injected failure if one matches: the status answered, 0 for a reset socket. */
	private injectFailure(res: ServerResponse, method: string, path: string, template: string, phase: 'before' | 'after'): number | undefined {
		const rule = this.state.scenarios.failureFor(method, path, template, phase);
		if (!rule) return undefined;
		if (rule.reset) {
			this.state.stats.injected('reset');
			res.socket?.destroy();
			return 0;
		}
		const status = rule.status!;
		this.state.stats.injected(String(status));
		// A 429 always says when to come back; any other status only when the rule asks (a 503 + Retry-After).
		const retryAfter = status === 429 ? (rule.retryAfter ?? 1) : rule.retryAfter;
		const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
		// A 429 states the token's limit as the sandbox's own limiter's do.
		if (status === 429) headers['X-RateLimit-Limit'] = String(this.state.limiter.limit);
		const error = new ApiError(status, status === 429 ? 'Too many requests (injected by a sandbox scenario).' : undefined, undefined, headers);
		return this.sendError(res, error, String(res.getHeader('X-Request-Id')));
	}

	private countWrite(result: ApiResult, method: string, template: string): void {
		if (result.write) this.state.stats.write(result.write.kind, method, template, result.write.kind === 'create' ? result.write.key : undefined);
	}

	private sendError(res: ServerResponse, error: unknown, requestId: string): number {
		const apiError =
			error instanceof ApiError
				? error
				: error instanceof AdminError
					? new ApiError(error.status === 404 ? 404 : 400, error.message)
					: new ApiError(500);
		if (!(error instanceof ApiError) && !(error instanceof AdminError)) console.error('sandbox: unexpected error', error);
		if (!res.headersSent && !res.destroyed) sendJson(res, apiError.status, errorBody(apiError, requestId), apiError.headers);
		return apiError.status;
	}

	private async handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, subPath: string, requestId: string): Promise<void> {
		if (!isLoopback(req.socket.remoteAddress)) throw new ApiError(403, 'The sandbox control API answers loopback clients only.');
		const found = matchAdminRoute(this.routes, method, subPath);
		if (!found) throw new ApiError(404, `No sandbox control route ${method} /__sandbox${subPath}.`);
		if ('allowed' in found) throw new ApiError(405, undefined, undefined, { Allow: found.allowed.join(', ') });
		const parsed = parseBody(await readBody(req), req.headers['content-type']);
		const body = (parsed.value ?? {}) as Record<string, unknown>;
		const result = await found.route.handler(body, found.params);
		sendJson(res, 200, { data: result ?? { ok: true }, request_id: requestId });
	}
}
