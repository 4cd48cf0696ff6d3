/**
 * Connection tokens obtained through the System API (`POST /api/system/connections/{id}/token`),
 * kept in this process per System API client and connection until shortly before they
 * expire, so a run over many items asks Makini once per connection and expiry. A token
 * lives only here: never in an item, a parameter, static data or a log.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** Which connection a request acts on: its id, and its name when the editor knows it. */
export interface ConnectionRef {
	id: string;
	name?: string;
}

/** The documented sample answer says 300 s; a token without `expires_in` is kept that long. */
export const DEFAULT_CONNECTION_TOKEN_SECONDS = 300;

/** The cache holds at most this many tokens; the least recently used goes first. */
export const MAX_CACHED_CONNECTION_TOKENS = 500;

interface Entry {
	token: string;
	/** When the token stops being handed out (its expiry less a margin), ms since the epoch. */
	useUntil: number;
}

const cache = new Map<string, Entry>();
const pending = new Map<string, Promise<string | undefined>>();

/** The cache key: one System API client (base URL, id and secret, hashed) and one connection. */
export function connectionTokenKey(credentials: IDataObject, connectionId: string): string {
	const client = createHash('sha256')
		.update(`${String(credentials.baseUrl ?? '')}\u0000${String(credentials.clientId ?? '')}\u0000${String(credentials.clientSecret ?? '')}`)
		.digest('hex');
	return `${client}:${connectionId}`;
}

/**
 * How long before its expiry a token stops being used: a tenth of its life, at least 5 s
 * and at most 60 s, so a request sent with it does not arrive after it expired.
 */
export function expiryMarginMs(lifetimeMs: number): number {
	return Math.min(60_000, Math.max(5_000, lifetimeMs / 10));
}

/** The token and its lifetime from Makini's answer: `{data: {token, expires_in}}`, flat, or `access_token`. */
export function parseConnectionToken(body: IDataObject): { token: string; expiresInSeconds: number } | undefined {
	const data = body.data !== null && typeof body.data === 'object' && !Array.isArray(body.data) ? (body.data as IDataObject) : body;
	const token = [data.token, data.access_token, body.token, body.access_token].find((v) => typeof v === 'string' && v.length > 0);
	if (typeof token !== 'string') return undefined;
	const raw = data.expires_in ?? body.expires_in;
	const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : NaN;
	return { token, expiresInSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_CONNECTION_TOKEN_SECONDS };
}

function remember(key: string, token: string, expiresInSeconds: number, now: number): void {
	const lifetimeMs = expiresInSeconds * 1000;
	const useUntil = now + lifetimeMs - expiryMarginMs(lifetimeMs);
	cache.delete(key);
	// A token too short-lived to outlast its margin serves the request it was issued for only.
	if (useUntil <= now) return;
	cache.set(key, { token, useUntil });
	while (cache.size > MAX_CACHED_CONNECTION_TOKENS) cache.delete(cache.keys().next().value as string);
}

/**
 * The connection's token: the cached one while it is fresh, else a new one from `issue`.
 * Concurrent callers for one connection share one request. Undefined when Makini's answer
 * carried no token (nothing is cached then).
 */
export async function connectionToken(
	key: string,
	issue: () => Promise<IDataObject>,
	now: () => number = Date.now,
): Promise<string | undefined> {
	const cached = cache.get(key);
	if (cached && cached.useUntil > now()) {
		// Least recently used goes first: a hit moves the entry to the end.
		cache.delete(key);
		cache.set(key, cached);
		return cached.token;
	}
	const inFlight = pending.get(key);
	if (inFlight) return await inFlight;
	const request = (async () => {
		const parsed = parseConnectionToken(await issue());
		if (!parsed) return undefined;
		remember(key, parsed.token, parsed.expiresInSeconds, now());
		return parsed.token;
	})();
	pending.set(key, request);
	try {
		return await request;
	} finally {
		pending.delete(key);
	}
}

/** Forgets a token Makini refused, so the next request obtains a new one. */
export function forgetConnectionToken(key: string, token?: string): void {
	const cached = cache.get(key);
	if (cached && (token === undefined || cached.token === token)) cache.delete(key);
}

/** Empties the cache (tests). */
export function clearConnectionTokens(): void {
	cache.clear();
}

/** How many tokens the cache holds (tests). */
export function cachedConnectionTokenCount(): number {
	return cache.size;
}
