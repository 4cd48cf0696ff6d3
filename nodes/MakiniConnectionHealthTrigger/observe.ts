/**
 * What Makini says about each watched connection right now.
 *
 * With an API token: GET /api/integrations/current (a 401 there means the token is no
 * longer accepted). With the System API: the connection list, paged. Makini documents
 * no sync status on a listed connection (only `status`), but documents how to read any
 * connection's: issue it a token (POST /api/system/connections/{id}/token) and read
 * /api/integrations/current with it. Both are handled: a list that carries sync_status
 * is used as it is; otherwise, or when asked, each connection is read with its own
 * short-lived token, which never leaves this module.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';

import {
	makiniApiRequest,
	makiniCollect,
	pathWithParams,
	type MakiniContext,
	type MakiniRequestOptions,
} from '../shared/transport';
import { asNodeError } from '../shared/nodeError';
import { documentedPath } from '../shared/registry';
import { isSelected, type ConnectionSelection } from '../shared/watchConnections';

export interface Observation {
	/** The key the trigger remembers the connection by. */
	id: string;
	name?: string;
	provider?: string;
	syncStatus?: string;
	syncUpdatedAt?: string;
	/** The connection's own status field (System API), e.g. active or disconnected. */
	connectionStatus?: string;
	/** Makini refused the connection's token (401), with what it said. */
	rejected?: string;
	/** The connection is no longer listed. */
	gone?: boolean;
	/** Reading this connection failed (not a 401: Makini unreachable for it, a 5xx...); the others were read. */
	failed?: unknown;
	/** Makini's answer as it came, for the item's raw status. */
	raw: IDataObject;
}

export type StatusSource = 'auto' | 'connectionList' | 'eachConnection';

/** A poll retries a failing call less than a workflow step: the next poll is a minute away. */
const RETRY = { maxAttempts: 3 };

/** Lifetime asked for the token a status read uses. */
const TOKEN_SECONDS = 300;

const CURRENT = documentedPath('platform', 'connection', 'getStatus');
const CONNECTIONS = documentedPath('platform', 'connection', 'getMany');
const CONNECTION_TOKEN = documentedPath('platform', 'connection', 'issueToken');

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

export function httpStatusOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const code = Number(error.httpCode);
	return Number.isInteger(code) ? code : undefined;
}

function fromIntegration(id: string, integration: IDataObject, row: IDataObject = {}): Observation {
	return {
		id,
		name: text(integration.company_name) ?? text(row.name) ?? text(integration.name),
		provider: text(integration.provider) ?? text(row.provider) ?? text(row.integration_name),
		syncStatus: text(integration.sync_status) ?? text(row.sync_status),
		syncUpdatedAt: text(integration.sync_updated_at) ?? text(row.sync_updated_at),
		connectionStatus: text(integration.status) ?? text(row.status),
		raw: Object.keys(row).length ? { ...row, integration } : integration,
	};
}

function rejected(id: string, error: unknown, row: IDataObject = {}): Observation {
	const message = (error as Error).message;
	return { ...fromIntegration(id, {}, row), rejected: message, raw: { ...row, error: message, httpCode: '401' } };
}

/** GET /api/integrations/current, as an observation; a 401 is the connection's state, not a failure. */
async function readCurrent(ctx: MakiniContext, id: string, row?: IDataObject): Promise<Observation> {
	try {
		const body = await makiniApiRequest.call(ctx, { method: 'GET', path: CURRENT, retry: RETRY });
		const integration = (body.data && typeof body.data === 'object' ? body.data : body) as IDataObject;
		return fromIntegration(id, integration, row);
	} catch (error) {
		if (httpStatusOf(error) === 401) return rejected(id, error, row);
		throw asNodeError(ctx.getNode(), error);
	}
}

/** The one connection behind the API token, remembered as "current". */
export async function observeCurrent(ctx: IPollFunctions): Promise<Observation[]> {
	return [await readCurrent(ctx, 'current')];
}

/** A context that sends a connection's own token, through the same request path as every call. */
function withToken(ctx: IPollFunctions, token: string, baseUrl: unknown): MakiniContext {
	return {
		getNode: () => ctx.getNode(),
		getCredentials: async <T extends object>() => ({ apiToken: token, baseUrl }) as unknown as T,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) =>
				await ctx.helpers.httpRequest({ ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } }),
		},
	};
}

async function observeWithToken(ctx: IPollFunctions, id: string, row: IDataObject): Promise<Observation> {
	const system: Pick<MakiniRequestOptions, 'credentialType' | 'retry'> = { credentialType: 'makiniSystemApi', retry: RETRY };
	let answer: IDataObject;
	try {
		answer = await makiniApiRequest.call(ctx, {
			method: 'POST',
			path: pathWithParams(ctx.getNode(), CONNECTION_TOKEN, { id }),
			body: { expires_in: TOKEN_SECONDS },
			...system,
			// Another short-lived token is harmless: retried through resets, 5xx and 429 like a read.
			safeToRepeat: true,
		});
	} catch (error) {
		// Deleted between the list and now.
		if (httpStatusOf(error) === 404) return { ...fromIntegration(id, {}, row), gone: true };
		throw asNodeError(ctx.getNode(), error);
	}
	const data = (answer.data && typeof answer.data === 'object' ? answer.data : answer) as IDataObject;
	const token = text(data.token) ?? text(data.access_token);
	if (!token) return fromIntegration(id, {}, row);
	const { baseUrl } = await ctx.getCredentials<{ baseUrl?: string }>('makiniSystemApi');
	return await readCurrent(withToken(ctx, token, baseUrl), id, row);
}

const INACTIVE = /disconnect|inactive|deleted|revoked|removed/i;

/** Connections read at once with their own tokens. */
const CONCURRENCY = 5;

/**
 * The watched connections of the client; `known` are the ids seen before, reported gone
 * when unlisted (a listed one no longer selected is simply not observed). A connection
 * whose own read fails is observed as failed: the others are read all the same.
 */
export async function observeAll(
	ctx: IPollFunctions,
	source: StatusSource,
	known: string[],
	selection: ConnectionSelection = { mode: 'all', tags: [] },
): Promise<Observation[]> {
	const rows = await makiniCollect.call(ctx, { method: 'GET', path: CONNECTIONS, credentialType: 'makiniSystemApi', retry: RETRY });
	const listed = new Map<string, IDataObject>();
	for (const row of rows) {
		const id = text(row.key) ?? text(row.id);
		if (id && !listed.has(id)) listed.set(id, row);
	}
	const entries = [...listed].filter(([, row]) => isSelected(selection, row));
	// The one connection watched is reported gone when it is not listed, even if never seen.
	const expected = selection.mode === 'one' && selection.one && !known.includes(selection.one.id) ? [...known, selection.one.id] : known;
	const observations: Observation[] = [];
	for (let start = 0; start < entries.length; start += CONCURRENCY) {
		const batch = entries.slice(start, start + CONCURRENCY).map(async ([id, row]) => {
			const carriesStatus = row.sync_status !== undefined && row.sync_status !== null;
			const ask = source === 'eachConnection' || (source === 'auto' && !carriesStatus);
			if (!ask || isInactiveStatus(text(row.status))) return fromIntegration(id, {}, row);
			try {
				return await observeWithToken(ctx, id, row);
			} catch (error) {
				return { ...fromIntegration(id, {}, row), failed: error };
			}
		});
		observations.push(...(await Promise.all(batch)));
	}
	for (const id of expected) if (!listed.has(id)) observations.push({ id, gone: true, raw: {} });
	return observations;
}

export function isInactiveStatus(status: string | undefined): boolean {
	return Boolean(status && INACTIVE.test(status));
}
