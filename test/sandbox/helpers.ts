/** Small HTTP helpers for the sandbox tests: real requests over loopback with fetch. */
import type { SandboxHandle } from '../../sandbox';

/** A parsed JSON body, typed as JSON.parse types it. */
export type Json = ReturnType<typeof JSON.parse>;

export interface Answer<T = Json> {
	status: number;
	headers: Headers;
	body: T;
}

export interface CallOptions {
	method?: string;
	body?: unknown;
	token?: string | null;
	query?: Record<string, string | number>;
	headers?: Record<string, string>;
}

/** Calls the sandbox with the primary API token unless another (or none: null) is given. */
export async function call<T = Json>(sb: Pick<SandboxHandle, 'url' | 'apiToken'>, path: string, options: CallOptions = {}): Promise<Answer<T>> {
	const url = new URL(sb.url + path);
	for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value));
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	const token = options.token === undefined ? sb.apiToken : options.token;
	if (token) headers.Authorization = `Bearer ${token}`;
	let body: string | undefined;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['Content-Type'] = 'application/json';
	}
	const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A system API token from the client-credentials grant. */
export async function systemToken(sb: SandboxHandle): Promise<string> {
	const answer = await call(sb, '/link/token', {
		method: 'POST',
		token: null,
		body: { grant_type: 'client_credentials', client_id: sb.systemClientId, client_secret: sb.systemClientSecret },
	});
	if (answer.status !== 200) throw new Error(`token grant failed: ${answer.status}`);
	return answer.body.access_token as string;
}

/** Every record of a list, following meta.last_page. */
export async function collectAll(sb: SandboxHandle, path: string, query: Record<string, string | number> = {}): Promise<Json[]> {
	const records: Json[] = [];
	for (let page = 1; ; page++) {
		const answer = await call(sb, path, { query: { ...query, page, per_page: query.per_page ?? 200 } });
		if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
		records.push(...answer.body.data);
		if (page >= answer.body.meta.last_page) return records;
	}
}
