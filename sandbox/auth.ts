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

export type Grant =
	| { kind: 'connection'; connectionId: string }
	| { kind: 'system'; expiresAt: number };

const COMPANIES = ['Nordic Process Industries', 'Continental Packaging Group', 'Baltic Castings', 'Iberia Bottling', 'Rhine Valley Chemicals', 'Alpine Dairy Works'];

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
	private readonly refreshTokens = new Map<string, string>();
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
			tags: input.tags ?? ['sandbox'],
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

	issueConnectionToken(connectionId: string, token = newSecret('mk_')): string {
		this.grants.set(token, { kind: 'connection', connectionId });
		return token;
	}

	/** The authorization-code and refresh-token grants: an access token plus a refresh token. */
	issueTokenPair(connectionId: string): { access_token: string; refresh_token: string; token_type: 'Bearer'; expires_in: number } {
		const refresh = newSecret('mkr_');
		this.refreshTokens.set(refresh, connectionId);
		return { access_token: this.issueConnectionToken(connectionId), refresh_token: refresh, token_type: 'Bearer', expires_in: 30 * 86_400 };
	}

	issueAuthorizationCode(connectionId: string): string {
		const code = newSecret('code_');
		this.authorizationCodes.set(code, connectionId);
		return code;
	}

	redeemAuthorizationCode(code: string): string | undefined {
		const connectionId = this.authorizationCodes.get(code);
		this.authorizationCodes.delete(code);
		return connectionId && this.connection(connectionId) ? connectionId : undefined;
	}

	redeemRefreshToken(token: string): string | undefined {
		const connectionId = this.refreshTokens.get(token);
		this.refreshTokens.delete(token);
		return connectionId && this.connection(connectionId) ? connectionId : undefined;
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
