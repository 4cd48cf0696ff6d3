/**
 * Connections and tokens. A connection API token reaches one connection's data; a
 * system token (client-credentials grant at POST /link/token) reaches /api/system/*.
 * Tokens are random; connection ids and names come from the seed.
 */
import { randomBytes } from 'node:crypto';

import { PRODUCTS, productOf } from './data/products';
import { Prng } from './util/prng';

export type SyncStatus = 'inprogress' | 'done' | 'fulldone' | 'error' | 'fail';
export const SYNC_STATUSES: readonly SyncStatus[] = ['inprogress', 'done', 'fulldone', 'error', 'fail'];

export interface Connection {
	id: string;
	name: string;
	email: string;
	companyName: string;
	provider: string;
	tags: string[];
	metadata: Map<string, string>;
	createdAt: number;
	updatedAt: number;
	connectedAt: number;
	syncStatus: SyncStatus;
	syncUpdatedAt: number;
	/** The connected system rejected its credentials: the customer must reconnect. */
	reauthorizationRequired: boolean;
	/** Disconnected or deleted: every token of it stops working. */
	disconnected: boolean;
}

/** Where a connection token came from: startup (the fixed test tokens), the System API, or Makini Link (OAuth). */
export type TokenSource = 'static' | 'system' | 'link';

export type Grant =
	| { kind: 'connection'; connectionId: string; source: TokenSource; expiresAt?: number }
	| { kind: 'system'; expiresAt: number };

/** Per connection: tokens issued by the System API, Link refreshes, authorization codes redeemed. */
export interface TokenCounts {
	issued: Record<string, number>;
	refreshed: Record<string, number>;
	authorizationCodes: Record<string, number>;
}

const COMPANIES = ['Nordic Process Industries', 'Continental Packaging Group', 'Baltic Castings', 'Iberia Bottling', 'Rhine Valley Chemicals', 'Alpine Dairy Works'];

/** Tags of the first connections, so that a workflow can pick connections by tag. */
const DEFAULT_TAGS = [['production', 'eu'], ['production'], ['staging']];

export function newSecret(prefix: string): string {
	return `${prefix}${randomBytes(24).toString('base64url')}`;
}

function uuid(prng: Prng): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(prng.next() * 16).toString(16)).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export class Auth {
	readonly connections: Connection[] = [];
	readonly clientId: string;
	readonly clientSecret: string;
	private readonly grants = new Map<string, Grant>();
	private readonly refreshTokens = new Map<string, { connectionId: string; expiresAt: number }>();
	/** Revoked and redeemed tokens, still listed by issuedTokens. */
	private readonly retired: string[] = [];
	private counts: TokenCounts = { issued: {}, refreshed: {}, authorizationCodes: {} };
	/** Lifetimes: a System API connection token, a Link access token, a Link refresh token (seconds). */
	readonly lifetimes = { connectionToken: 300, linkAccessToken: 30 * 86_400, linkRefreshToken: 31 * 86_400 };
	private readonly authorizationCodes = new Map<string, string>();
	private readonly prng: Prng;

	constructor(
		seed: number,
		private readonly clock: () => number,
		private readonly systemTokenTtlSeconds: number,
		fixed: { clientId?: string; clientSecret?: string } = {},
	) {
		this.prng = new Prng(`${seed}:connections`);
		this.clientId = fixed.clientId ?? `client_${randomBytes(8).toString('hex')}`;
		this.clientSecret = fixed.clientSecret ?? newSecret('cs_');
	}

	addConnection(input: { name?: string; email?: string; provider?: string; tags?: string[] } = {}): Connection {
		const index = this.connections.length;
		const now = this.clock();
		const companyName = input.name ?? COMPANIES[index % COMPANIES.length] + (index >= COMPANIES.length ? ` ${index + 1}` : '');
		const provider = input.provider ?? Object.keys(PRODUCTS)[index % Object.keys(PRODUCTS).length];
		productOf(provider);
		const connection: Connection = {
			id: uuid(this.prng),
			name: companyName,
			email: input.email ?? `maintenance@${companyName.toLowerCase().replace(/[^a-z]+/g, '-')}.example`,
			companyName,
			provider,
			tags: input.tags ?? DEFAULT_TAGS[index] ?? ['sandbox'],
			metadata: new Map(),
			createdAt: now,
			updatedAt: now,
			connectedAt: now,
			syncStatus: 'done',
			syncUpdatedAt: now,
			reauthorizationRequired: false,
			disconnected: false,
		};
		this.connections.push(connection);
		return connection;
	}

	connection(id: string): Connection | undefined {
		return this.connections.find((c) => c.id === id && !c.disconnected);
	}

	/** A token that never expires (the startup tokens of the test connections). */
	issueConnectionToken(connectionId: string, token = newSecret('mk_')): string {
		this.grants.set(token, { kind: 'connection', connectionId, source: 'static' });
		return token;
	}

	/** POST /api/system/connections/{id}/token: a token living `seconds` (default lifetimes.connectionToken), counted. */
	issueSystemConnectionToken(connectionId: string, seconds = this.lifetimes.connectionToken): { token: string; expires_in: number } {
		const token = newSecret('mkc_');
		this.grants.set(token, { kind: 'connection', connectionId, source: 'system', expiresAt: this.clock() + seconds * 1000 });
		this.counts.issued[connectionId] = (this.counts.issued[connectionId] ?? 0) + 1;
		return { token, expires_in: seconds };
	}

	/** The authorization-code and refresh-token grants: an access token plus a refresh token. */
	issueTokenPair(
		connectionId: string,
		accessSeconds = this.lifetimes.linkAccessToken,
	): { access_token: string; refresh_token: string; token_type: 'Bearer'; expires_in: number } {
		const refresh = newSecret('mkr_');
		this.refreshTokens.set(refresh, { connectionId, expiresAt: this.clock() + this.lifetimes.linkRefreshToken * 1000 });
		const access = newSecret('mk_');
		this.grants.set(access, { kind: 'connection', connectionId, source: 'link', expiresAt: this.clock() + accessSeconds * 1000 });
		return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: accessSeconds };
	}

	issueAuthorizationCode(connectionId: string): string {
		const code = newSecret('code_');
		this.authorizationCodes.set(code, connectionId);
		return code;
	}

	redeemAuthorizationCode(code: string): string | undefined {
		const connectionId = this.authorizationCodes.get(code);
		this.authorizationCodes.delete(code);
		if (!connectionId || !this.connection(connectionId)) return undefined;
		this.counts.authorizationCodes[connectionId] = (this.counts.authorizationCodes[connectionId] ?? 0) + 1;
		return connectionId;
	}

	/** A refresh token works once (it is rotated) and until it expires. */
	redeemRefreshToken(token: string): string | undefined {
		const grant = this.refreshTokens.get(token);
		if (this.refreshTokens.delete(token)) this.retired.push(token);
		if (!grant || grant.expiresAt <= this.clock() || !this.connection(grant.connectionId)) return undefined;
		this.counts.refreshed[grant.connectionId] = (this.counts.refreshed[grant.connectionId] ?? 0) + 1;
		return grant.connectionId;
	}

	/** Every token issued by the System API or Link, so a test can look for them in n8n's data and logs. */
	issuedTokens(): string[] {
		const tokens = [...this.grants].filter(([, g]) => g.kind === 'connection' && g.source !== 'static').map(([t]) => t);
		return [...tokens, ...this.refreshTokens.keys(), ...this.retired];
	}

	tokenCounts(): TokenCounts {
		return { issued: { ...this.counts.issued }, refreshed: { ...this.counts.refreshed }, authorizationCodes: { ...this.counts.authorizationCodes } };
	}

	resetTokenCounts(): void {
		this.counts = { issued: {}, refreshed: {}, authorizationCodes: {} };
	}

	/**
	 * Expires (or revokes: forgets) the connection tokens the System API or Link issued, of
	 * one connection or all; with `includeStatic` also the startup tokens. Returns how many.
	 */
	endConnectionTokens(how: 'expire' | 'revoke', connectionId?: string, includeStatic = false): number {
		let count = 0;
		for (const [token, grant] of this.grants) {
			if (grant.kind !== 'connection' || (connectionId && grant.connectionId !== connectionId)) continue;
			if (grant.source === 'static' && !includeStatic) continue;
			if (how === 'revoke') {
				this.grants.delete(token);
				this.retired.push(token);
			} else {
				grant.expiresAt = 0;
			}
			count++;
		}
		return count;
	}

	issueSystemToken(): { access_token: string; token_type: 'Bearer'; expires_in: number } {
		const token = newSecret('mks_');
		this.grants.set(token, { kind: 'system', expiresAt: this.clock() + this.systemTokenTtlSeconds * 1000 });
		return { access_token: token, token_type: 'Bearer', expires_in: this.systemTokenTtlSeconds };
	}

	/** Makes every system token expire now, so a client's refresh path can be tested. */
	expireSystemTokens(): number {
		let count = 0;
		for (const grant of this.grants.values()) {
			if (grant.kind === 'system') {
				grant.expiresAt = 0;
				count++;
			}
		}
		return count;
	}

	/** The grant of a bearer token, if it is still valid. */
	lookup(token: string): Grant | undefined {
		const grant = this.grants.get(token);
		if (!grant) return undefined;
		if (grant.kind === 'system') return grant.expiresAt > this.clock() ? grant : undefined;
		if (grant.expiresAt !== undefined && grant.expiresAt <= this.clock()) return undefined;
		return this.connection(grant.connectionId) ? grant : undefined;
	}

	/** Disconnects: the connection's tokens stop working at once. */
	disconnect(connectionId: string): boolean {
		const connection = this.connection(connectionId);
		if (!connection) return false;
		connection.disconnected = true;
		connection.updatedAt = this.clock();
		for (const [token, grant] of this.grants) {
			if (grant.kind === 'connection' && grant.connectionId === connectionId) this.grants.delete(token);
		}
		return true;
	}

	/** Public view of a connection in the system API's field names. */
	describe(connection: Connection): Record<string, unknown> {
		const iso = (ms: number) => new Date(ms).toISOString();
		return {
			key: connection.id,
			id: connection.id,
			name: connection.name,
			email: connection.email,
			status: connection.disconnected ? 'disconnected' : connection.reauthorizationRequired ? 'reauthorization_required' : 'active',
			integration_name: productOf(connection.provider).name,
			provider: connection.provider,
			redirect: null,
			scopes: 'read write',
			tags: connection.tags,
			user_metadata: Object.fromEntries(connection.metadata),
			client_id: this.clientId,
			sync_status: connection.syncStatus,
			sync_updated_at: iso(connection.syncUpdatedAt),
			updated_at: iso(connection.updatedAt),
			created_at: iso(connection.createdAt),
			connected_at: iso(connection.connectedAt),
		};
	}
}
