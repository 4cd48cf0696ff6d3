/**
 * The system API (client-credentials token): the client, its connections, their
 * metadata and tokens, and the platforms Makini integrates with. Also POST /link/token.
 */
import { PRODUCTS } from '../data/products';
import { ApiError, validationError } from '../http/errors';
import type { SandboxState } from '../state';
import { arraySource, listBody } from './listing';
import type { ApiCall, ApiResult } from './types';
import { objectBody } from './validate';

function connectionOrFail(call: ApiCall) {
	const connection = call.state.auth.connection(call.params.id);
	if (!connection) throw new ApiError(404, `No connection found for id "${call.params.id}".`);
	return connection;
}

export function platforms(call: ApiCall): ApiResult {
	const rows = Object.values(PRODUCTS).map((p) => ({ key: p.id, name: p.name, category: p.category, logo_url: `https://assets.makini.example/logos/${p.id}.svg`, auth_type: 'credentials' }));
	return { body: listBody(call.state, call.path, call.query, arraySource('platforms', rows)) };
}

export function client(call: ApiCall): ApiResult {
	return {
		body: {
			data: {
				id: call.state.auth.clientId,
				name: 'Makini Sandbox Client',
				logo_url: null,
				email: 'integrations@sandbox.example',
				default_redirect: 'http://localhost:5678/rest/oauth2-credential/callback',
				redirects: ['http://localhost:5678/rest/oauth2-credential/callback'],
			},
		},
	};
}

export function connections(call: ApiCall): ApiResult {
	const { auth } = call.state;
	const rows = auth.connections.filter((c) => !c.disconnected).map((c) => auth.describe(c));
	return { body: listBody(call.state, call.path, call.query, arraySource('connections', rows)) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function createConnection(call: ApiCall): ApiResult {
	const body = objectBody(call.body);
	const errors: Record<string, string[]> = {};
	if (typeof body.email !== 'string' || !body.email.trim()) errors.email = ['The email field is required.'];
	else if (!EMAIL.test(body.email)) errors.email = ['The email field must be a valid email address.'];
	if (body.provider !== undefined && (typeof body.provider !== 'string' || !PRODUCTS[body.provider])) {
		errors.provider = [`The selected provider is invalid. Known providers: ${Object.keys(PRODUCTS).join(', ')}.`];
	}
	if (body.name !== undefined && typeof body.name !== 'string') errors.name = ['The name field must be a string.'];
	if (Object.keys(errors).length) throw validationError(errors);
	const connection = call.state.auth.addConnection({
		name: typeof body.name === 'string' ? body.name : undefined,
		email: String(body.email),
		provider: typeof body.provider === 'string' ? body.provider : call.state.options.product,
	});
	const pair = call.state.auth.issueTokenPair(connection.id);
	return { body: { data: { id: connection.id, access_token: pair.access_token, refresh_token: pair.refresh_token, expires_in: String(pair.expires_in) } }, write: { kind: 'create', key: connection.id } };
}

export function deleteConnection(call: ApiCall): ApiResult {
	const connection = connectionOrFail(call);
	call.state.auth.disconnect(connection.id);
	return { body: { data: { id: connection.id, deleted: true } } };
}

export function metadata(call: ApiCall): ApiResult {
	const connection = connectionOrFail(call);
	const rows = [...connection.metadata].map(([key, value]) => ({ key, value }));
	return { body: listBody(call.state, call.path, call.query, arraySource('metadata', rows, ['key', 'value'])) };
}

export function setMetadata(call: ApiCall): ApiResult {
	const connection = connectionOrFail(call);
	const entries = Array.isArray(call.body) ? call.body : call.body && typeof call.body === 'object' ? [call.body] : undefined;
	if (!entries) throw new ApiError(400, 'The request body must be an array of {key, value}.');
	const errors: Record<string, string[]> = {};
	entries.forEach((entry: unknown, i) => {
		const item = entry as Record<string, unknown> | null;
		if (!item || typeof item.key !== 'string' || !item.key) errors[`${i}.key`] = [`The ${i}.key field is required.`];
		else if (item.value !== null && item.value !== undefined && typeof item.value !== 'string' && typeof item.value !== 'number' && typeof item.value !== 'boolean') {
			errors[`${i}.value`] = [`The ${i}.value field must be a string.`];
		}
	});
	if (Object.keys(errors).length) throw validationError(errors);
	for (const entry of entries as Array<{ key: string; value: unknown }>) {
		if (entry.value === null || entry.value === undefined) connection.metadata.delete(entry.key);
		else connection.metadata.set(entry.key, String(entry.value));
	}
	connection.updatedAt = call.state.now();
	return { body: { data: call.state.auth.describe(connection) }, write: { kind: 'update', key: connection.id } };
}

export function issueToken(call: ApiCall): ApiResult {
	const connection = connectionOrFail(call);
	const body = call.body && typeof call.body === 'object' && !Array.isArray(call.body) ? (call.body as Record<string, unknown>) : {};
	const asked = Number(body.expires_in);
	const seconds = Number.isInteger(asked) && asked > 0 ? Math.min(asked, 30 * 86_400) : undefined;
	const { token, expires_in } = call.state.auth.issueSystemConnectionToken(connection.id, seconds);
	// The documented sample answer is {token, expires_in}; access_token and token_type as OAuth spells them.
	return { body: { data: { token, access_token: token, token_type: 'Bearer', expires_in } } };
}

/** POST /link/token: client-credentials (JSON) and, minimally, authorization-code / refresh-token (form). */
export function linkToken(state: SandboxState, body: unknown, authorization: string | undefined): Record<string, unknown> {
	const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
	let clientId = typeof input.client_id === 'string' ? input.client_id : undefined;
	let clientSecret = typeof input.client_secret === 'string' ? input.client_secret : undefined;
	const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
	if (basic && !clientId) [clientId, clientSecret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
	const clientOk = clientId === state.auth.clientId && clientSecret === state.auth.clientSecret;
	switch (input.grant_type) {
		case 'client_credentials':
			if (!clientOk) throw new ApiError(401, 'Invalid client credentials.');
			return state.auth.issueSystemToken();
		case 'authorization_code': {
			if (clientId !== undefined && !clientOk) throw new ApiError(401, 'Invalid client credentials.');
			const connectionId = typeof input.code === 'string' ? state.auth.redeemAuthorizationCode(input.code) : undefined;
			if (!connectionId) throw new ApiError(400, 'The authorization code is invalid or was already used (invalid_grant).');
			return state.auth.issueTokenPair(connectionId);
		}
		case 'refresh_token': {
			const connectionId = typeof input.refresh_token === 'string' ? state.auth.redeemRefreshToken(input.refresh_token) : undefined;
			if (!connectionId) throw new ApiError(400, 'The refresh token is invalid or expired (invalid_grant).');
			return state.auth.issueTokenPair(connectionId);
		}
		default:
			throw validationError({ grant_type: ['The grant_type must be client_credentials, authorization_code or refresh_token.'] });
	}
}

