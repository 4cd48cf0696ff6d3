/**
 * The connection's own endpoints: /api/integrations/current (status and disconnect),
 * raw source tables and the passthrough to the connected system's API.
 */
import { ApiError, validationError } from '../http/errors';
import type { SandboxState } from '../state';
import { CONNECTION_EVENTS } from '../webhooks/events';
import { listBody } from './listing';
import { objectBody } from './validate';
import type { ApiCall, ApiResult } from './types';
import type { Connection } from '../auth';

export function integrationOf(connection: Connection): Record<string, unknown> {
	return {
		id: connection.id,
		company_name: connection.companyName,
		email: connection.email,
		provider: connection.provider,
		updated_at: new Date(connection.updatedAt).toISOString(),
		sync_status: connection.syncStatus,
		sync_updated_at: new Date(connection.syncUpdatedAt).toISOString(),
	};
}

export function currentIntegration(call: ApiCall): ApiResult {
	return { body: { data: integrationOf(call.connection!) } };
}

/** Sends a connection event if automatic webhooks are on. */
export function announceConnection(state: SandboxState, event: string, connection: Connection, details: Record<string, unknown>): void {
	if (state.autoWebhooks) void state.webhooks.send({ event, connectionId: connection.id, details });
}

export function disconnect(call: ApiCall): ApiResult {
	const connection = call.connection!;
	call.state.auth.disconnect(connection.id);
	announceConnection(call.state, CONNECTION_EVENTS.statusChanged, connection, { status: 'disconnected', reason: 'disconnected by the API' });
	return { body: { data: { id: connection.id, status: 'disconnected' } } };
}

export function rawTables(call: ApiCall): ApiResult {
	return { body: { data: call.state.rawTables.list() } };
}

export function rawTableData(call: ApiCall): ApiResult {
	const source = call.state.rawTables.source(call.params.table);
	if (!source) throw new ApiError(404, `No raw table named "${call.params.table}".`);
	return { body: listBody(call.state, call.path, call.query, source) };
}

const METHODS = ['get', 'post', 'put', 'delete'];

/** POST /api/passthrough: answers as the connected system would, echoing the call. */
export function passthrough(call: ApiCall): ApiResult {
	const body = objectBody(call.body);
	const errors: Record<string, string[]> = {};
	const method = typeof body.method === 'string' ? body.method.toLowerCase() : undefined;
	if (!method) errors.method = ['The method field is required.'];
	else if (!METHODS.includes(method)) errors.method = ['The selected method is invalid. Use get, post, put or delete.'];
	if ((typeof body.path !== 'string' || !body.path.trim()) && typeof body.sql !== 'string') errors.path = ['The path field is required.'];
	if (Object.keys(errors).length) throw validationError(errors);
	const path = String(body.path ?? '');
	const provider = call.connection!.provider;
	return {
		body: {
			data: {
				status: method === 'post' ? 201 : 200,
				headers: { 'content-type': 'application/json', 'x-sandbox-provider': provider },
				body: {
					provider,
					method: method!.toUpperCase(),
					path,
					query: body.query ?? null,
					received: body.body ?? null,
					result: method === 'get' ? { items: [], count: 0 } : { ok: true },
				},
			},
		},
	};
}
