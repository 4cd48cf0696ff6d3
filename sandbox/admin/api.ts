/**
 * The in-process control API (handle.admin, handle.webhooks, handle.stats). The HTTP
 * endpoints under /__sandbox/ call exactly these functions, so tests may use either.
 */
import { SYNC_STATUSES, type Connection, type SyncStatus, type TokenCounts } from '../auth';
import { integrationOf, announceConnection } from '../api/platform';
import { createRecord, updateRecord } from '../api/records';
import { resolveCollection } from '../data/collections';
import { productOf } from '../data/products';
import type { SandboxRecord } from '../data/store';
import type { FailureRule, LatencyRule, OfflineMode } from '../scenarios/scenarios';
import { scopedTo, type SandboxState } from '../state';
import type { StatsSnapshot } from '../stats';
import { CONNECTION_EVENTS } from '../webhooks/events';
import type { DeliveryAttempt, SendOptions, WebhookTarget } from '../webhooks/sender';
import { answerShapeOf } from '../options';

export interface SandboxInfo {
	url: string;
	apiToken: string;
	systemClientId: string;
	systemClientSecret: string;
	webhookSecret: string;
	connections: Array<{ id: string; apiToken: string; provider: string }>;
}

/** What the offline switch needs from the HTTP server. */
export interface OfflineSwitch {
	goOffline(): Promise<void>;
	goOnline(): Promise<void>;
}

export interface SandboxAdmin {
	info(): SandboxInfo;
	setSyncStatus(input: { connectionId?: string; syncStatus: SyncStatus; syncUpdatedAt?: string }): Record<string, unknown>;
	requireReauthorization(input?: { connectionId?: string; required?: boolean }): Record<string, unknown>;
	/** 'refuse' closes the port (connection refused; admin HTTP unreachable too), 'unavailable' answers 503. */
	goOffline(input?: { mode?: OfflineMode; forMs?: number }): Promise<void>;
	goOnline(): Promise<void>;
	injectLatency(rule: LatencyRule): void;
	injectFailure(rule: FailureRule): { id: number };
	setRateLimit(input: { perMinute: number }): void;
	/** Answers in the sandbox's own types or in the spec's literal schemas (see SandboxOptions.answerShape). */
	setAnswerShape(input: { shape: string }): void;
	/** Back to normal: online, no latency or failures, default rate limit, connections healthy. */
	resetScenarios(): Promise<void>;
	/** Inserts or updates records as if the connected system changed them (webhooks fire if on). */
	upsertRecords(input: { collection: string; records: Array<Record<string, unknown>>; connectionId?: string }): SandboxRecord[];
	/** `connectionId` reads another connection's data (each connection has its own plant). */
	getRecord(input: { collection: string; key: string; connectionId?: string }): SandboxRecord | undefined;
	listRecords(input: { collection: string; connectionId?: string }): readonly SandboxRecord[];
	setClockOffset(input: { ms: number }): void;
	setProduct(input: { product: string; connectionId?: string }): void;
	expireSystemTokens(): { expired: number };
	issueAuthorizationCode(input?: { connectionId?: string }): { code: string };
	/** Per connection: tokens the System API issued, Link refreshes, authorization codes redeemed. */
	tokenCounts(): TokenCounts;
	/** Every connection token and refresh token the System API or Link issued (to scan n8n's data for them). */
	issuedTokens(): string[];
	resetTokenCounts(): void;
	/** Connection tokens issued by the System API or Link stop working now (401), of one connection or all. */
	expireConnectionTokens(input?: { connectionId?: string; includeStatic?: boolean }): { expired: number };
	revokeConnectionTokens(input?: { connectionId?: string; includeStatic?: boolean }): { revoked: number };
	/** A Link token pair as the authorization-code grant issues it; `expiresInSeconds: 0` gives an access token already expired. */
	issueTokenPair(input?: { connectionId?: string; expiresInSeconds?: number }): { access_token: string; refresh_token: string; token_type: 'Bearer'; expires_in: number };
	addAlert(body: unknown): { count: number };
	alerts(): Array<{ receivedAt: string; body: unknown }>;
	clearAlerts(): void;
}

export interface SandboxWebhooks {
	register(input: { url: string; secret?: string; events?: string[] }): WebhookTarget;
	unregister(id: string): boolean;
	targets(): WebhookTarget[];
	send(options: SendOptions): Promise<DeliveryAttempt[]>;
	setAuto(input: { enabled: boolean; includeTimestamp?: boolean }): void;
	log(): DeliveryAttempt[];
	clearLog(): void;
	/** Resolves when no delivery, retry or pending batch is under way. */
	idle(): Promise<void>;
}

export interface SandboxStats {
	snapshot(): StatsSnapshot;
	reset(): void;
}

export class AdminError extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

function connectionOf(state: SandboxState, id?: string): Connection {
	if (!id || id === 'primary') return state.primary;
	const connection = state.auth.connections.find((c) => c.id === id);
	if (!connection) throw new AdminError(`No connection "${id}"`, 404);
	return connection;
}

function collectionName(state: SandboxState, name: string): string {
	const collection = resolveCollection(name, (n) => state.store.has(n));
	if (!collection) throw new AdminError(`Unknown collection "${name}"`, 404);
	return collection;
}

export function createAdmin(state: SandboxState, server: OfflineSwitch, info: () => SandboxInfo): { admin: SandboxAdmin; dispose(): void } {
	let restoreTimer: NodeJS.Timeout | undefined;
	const setOnline = async () => {
		if (restoreTimer) clearTimeout(restoreTimer);
		restoreTimer = undefined;
		const was = state.scenarios.offline;
		if (!was) return;
		state.scenarios.offline = undefined;
		if (was === 'refuse') await server.goOnline();
		announceConnection(state, CONNECTION_EVENTS.statusChanged, state.primary, { status: 'online' });
	};

	/** The state whose store is that connection's data (the primary one's without an id). */
	const dataState = (connectionId?: string) => (connectionId ? scopedTo(state, connectionOf(state, connectionId)) : state);

	const admin: SandboxAdmin = {
		info,
		setSyncStatus({ connectionId, syncStatus, syncUpdatedAt }) {
			if (!SYNC_STATUSES.includes(syncStatus)) throw new AdminError(`syncStatus must be one of ${SYNC_STATUSES.join(', ')}`);
			const connection = connectionOf(state, connectionId);
			const at = syncUpdatedAt === undefined ? state.now() : Date.parse(syncUpdatedAt);
			if (Number.isNaN(at)) throw new AdminError('syncUpdatedAt must be an ISO date');
			connection.syncStatus = syncStatus;
			connection.syncUpdatedAt = at;
			connection.updatedAt = state.now();
			if (syncStatus === 'done' || syncStatus === 'fulldone') {
				announceConnection(state, CONNECTION_EVENTS.syncCompleted, connection, { sync_status: syncStatus, full: syncStatus === 'fulldone', sync_updated_at: new Date(at).toISOString() });
			} else if (syncStatus === 'error' || syncStatus === 'fail') {
				announceConnection(state, CONNECTION_EVENTS.syncFailed, connection, { sync_status: syncStatus, error: syncStatus === 'fail' ? 'Authentication error: invalid platform credentials' : 'The last synchronisation failed', sync_updated_at: new Date(at).toISOString() });
			}
			return integrationOf(connection);
		},
		requireReauthorization({ connectionId, required = true } = {}) {
			const connection = connectionOf(state, connectionId);
			connection.reauthorizationRequired = required;
			connection.syncStatus = required ? 'fail' : 'done';
			connection.syncUpdatedAt = state.now();
			connection.updatedAt = state.now();
			if (required) {
				announceConnection(state, CONNECTION_EVENTS.reauthorizationRequired, connection, { reason: 'The connected system rejected the stored credentials', sync_status: 'fail' });
			} else {
				announceConnection(state, CONNECTION_EVENTS.statusChanged, connection, { status: 'active' });
			}
			return integrationOf(connection);
		},
		async goOffline({ mode = 'unavailable', forMs } = {}) {
			if (mode !== 'refuse' && mode !== 'unavailable') throw new AdminError("mode must be 'refuse' or 'unavailable'");
			if (state.scenarios.offline) await setOnline();
			state.scenarios.offline = mode;
			if (mode === 'refuse') await server.goOffline();
			announceConnection(state, CONNECTION_EVENTS.statusChanged, state.primary, { status: 'offline' });
			if (forMs !== undefined) restoreTimer = setTimeout(() => void setOnline(), forMs);
		},
		goOnline: setOnline,
		injectLatency(rule) {
			try {
				state.scenarios.addLatency(rule);
			} catch (error) {
				throw new AdminError((error as Error).message);
			}
		},
		injectFailure(rule) {
			try {
				return { id: state.scenarios.addFailure(rule) };
			} catch (error) {
				throw new AdminError((error as Error).message);
			}
		},
		setAnswerShape({ shape }) {
			try {
				state.options.answerShape = answerShapeOf(shape);
			} catch (error) {
				throw new AdminError((error as Error).message);
			}
		},
		setRateLimit({ perMinute }) {
			if (!(Number.isInteger(perMinute) && perMinute > 0)) throw new AdminError('perMinute must be a positive integer');
			state.limiter.limit = perMinute;
		},
		async resetScenarios() {
			await setOnline();
			state.scenarios.reset();
			state.limiter.limit = state.options.rateLimitPerMinute;
			state.limiter.reset();
			for (const connection of state.auth.connections) {
				connection.reauthorizationRequired = false;
				connection.syncStatus = 'done';
			}
		},
		upsertRecords({ collection, records, connectionId }) {
			const on = dataState(connectionId);
			const name = collectionName(on, collection);
			if (!Array.isArray(records)) throw new AdminError('records must be an array of objects');
			return records.map((input) => {
				if (!input || typeof input !== 'object') throw new AdminError('records must be an array of objects');
				const { key, createdAt, updatedAt, ...fields } = input as Record<string, unknown>;
				const stamps: Record<string, unknown> = {};
				if (typeof createdAt === 'string') stamps.createdAt = createdAt;
				if (typeof updatedAt === 'string') stamps.updatedAt = updatedAt;
				const existing = typeof key === 'string' ? on.store.collection(name).get(key) : undefined;
				if (existing) return updateRecord(on, name, existing, fields, stamps);
				return createRecord(on, name, fields, typeof key === 'string' ? { ...stamps, key } : stamps);
			});
		},
		getRecord({ collection, key, connectionId }) {
			const on = dataState(connectionId);
			return on.store.collection(collectionName(on, collection)).get(key);
		},
		listRecords({ collection, connectionId }) {
			const on = dataState(connectionId);
			return on.store.collection(collectionName(on, collection)).rows;
		},
		setClockOffset({ ms }) {
			if (!Number.isFinite(ms)) throw new AdminError('ms must be a number');
			state.clockOffsetMs = ms;
		},
		setProduct({ product, connectionId }) {
			try {
				productOf(product);
			} catch (error) {
				throw new AdminError((error as Error).message);
			}
			const connection = connectionOf(state, connectionId);
			connection.provider = product;
			if (connection === state.primary) state.options.product = product;
		},
		expireSystemTokens() {
			return { expired: state.auth.expireSystemTokens() };
		},
		issueAuthorizationCode({ connectionId } = {}) {
			return { code: state.auth.issueAuthorizationCode(connectionOf(state, connectionId).id) };
		},
		tokenCounts() {
			return state.auth.tokenCounts();
		},
		issuedTokens() {
			return state.auth.issuedTokens();
		},
		resetTokenCounts() {
			state.auth.resetTokenCounts();
		},
		expireConnectionTokens({ connectionId, includeStatic } = {}) {
			const id = connectionId ? connectionOf(state, connectionId).id : undefined;
			return { expired: state.auth.endConnectionTokens('expire', id, includeStatic) };
		},
		revokeConnectionTokens({ connectionId, includeStatic } = {}) {
			const id = connectionId ? connectionOf(state, connectionId).id : undefined;
			return { revoked: state.auth.endConnectionTokens('revoke', id, includeStatic) };
		},
		issueTokenPair({ connectionId, expiresInSeconds } = {}) {
			if (expiresInSeconds !== undefined && !(Number.isFinite(expiresInSeconds) && expiresInSeconds >= 0)) throw new AdminError('expiresInSeconds must be 0 or more');
			return state.auth.issueTokenPair(connectionOf(state, connectionId).id, expiresInSeconds);
		},
		addAlert(body) {
			state.alerts.push({ receivedAt: new Date(state.now()).toISOString(), body });
			return { count: state.alerts.length };
		},
		alerts() {
			return state.alerts.slice();
		},
		clearAlerts() {
			state.alerts.length = 0;
		},
	};
	const dispose = () => {
		if (restoreTimer) clearTimeout(restoreTimer);
	};
	return { admin, dispose };
}

export function createWebhooksApi(state: SandboxState): SandboxWebhooks {
	const { webhooks } = state;
	return {
		register: (input) => {
			try {
				return webhooks.register(input);
			} catch (error) {
				throw new AdminError((error as Error).message);
			}
		},
		unregister: (id) => webhooks.unregister(id),
		targets: () => webhooks.targets.slice(),
		send: async (options) => {
			if (!options || typeof options.event !== 'string') throw new AdminError('event is required');
			try {
				return await webhooks.send(options);
			} catch (error) {
				throw new AdminError((error as Error).message);
			}
		},
		setAuto: ({ enabled, includeTimestamp }) => {
			state.autoWebhooks = Boolean(enabled);
			if (includeTimestamp !== undefined) webhooks.includeTimestamp = includeTimestamp;
		},
		log: () => webhooks.log.slice(),
		clearLog: () => {
			webhooks.log.length = 0;
		},
		idle: () => webhooks.idle(),
	};
}

export function createStatsApi(state: SandboxState): SandboxStats {
	return { snapshot: () => state.stats.snapshot(), reset: () => state.stats.reset() };
}
