/**
 * The Makini sandbox: a local HTTP server on loopback that speaks Makini's documented
 * contract (every operation of the registry), with seeded plant data, scenario
 * controls and a webhook sender. Tests start it in-process:
 *
 *   const sb = await startSandbox({ port: 0 });
 *   // sb.url, sb.apiToken, sb.systemClientId, sb.systemClientSecret, sb.webhookSecret
 *   await sb.close();
 */
import { Auth, newSecret } from './auth';
import { createAdmin, createStatsApi, createWebhooksApi, type SandboxAdmin, type SandboxInfo, type SandboxStats, type SandboxWebhooks } from './admin/api';
import { adminRoutes } from './admin/routes';
import { seedPlant } from './data/generate';
import { RawTables } from './data/rawTables';
import { resolveOptions, type SandboxOptions } from './options';
import { RateLimiter } from './scenarios/rateLimit';
import { Scenarios } from './scenarios/scenarios';
import { SandboxServer } from './server';
import type { SandboxState } from './state';
import { Stats } from './stats';
import { WebhookSender } from './webhooks/sender';

export type { SandboxOptions } from './options';
export type { SandboxAdmin, SandboxInfo, SandboxStats, SandboxWebhooks } from './admin/api';
export type { DeliveryAttempt, DeliveryMode, SendOptions, WebhookTarget } from './webhooks/sender';
export type { FailureRule, LatencyRule, OfflineMode } from './scenarios/scenarios';
export type { StatsSnapshot } from './stats';
export type { SandboxRecord } from './data/store';
export { CONNECTION_EVENTS, ENTITY_EVENTS, ENTITY_WEBHOOK_COLLECTIONS } from './webhooks/events';
export { DELIVERY_ID_HEADER, SIGNATURE_HEADER } from './webhooks/sign';
export { DELIVERY_MODES } from './webhooks/sender';
export { ERROR_CODES } from './http/errors';
export { PRODUCTS } from './data/products';
export { SYNC_STATUSES } from './auth';

export interface SandboxHandle extends SandboxInfo {
	admin: SandboxAdmin;
	webhooks: SandboxWebhooks;
	stats: SandboxStats;
	close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
	const resolved = resolveOptions(options);
	const store = seedPlant({ seed: resolved.seed, workOrders: resolved.workOrders, now: resolved.now });
	const stateRef: { current?: SandboxState } = {};
	const now = () => Date.now() + (stateRef.current?.clockOffsetMs ?? 0);
	const auth = new Auth(resolved.seed, now, resolved.systemTokenTtlSeconds, {
		clientId: resolved.systemClientId,
		clientSecret: resolved.systemClientSecret,
	});
	const connections = Array.from({ length: resolved.connections }, (_, i) => {
		const connection = auth.addConnection(i === 0 ? { provider: resolved.product } : {});
		return { id: connection.id, apiToken: auth.issueConnectionToken(connection.id, i === 0 ? resolved.apiToken : undefined), provider: connection.provider };
	});
	const webhookSecret = resolved.webhookSecret ?? newSecret('whsec_');
	const secondary = new Map<string, { store: typeof store; rawTables: RawTables }>();
	auth.lifetimes.connectionToken = resolved.connectionTokenTtlSeconds;
	auth.lifetimes.linkAccessToken = resolved.linkAccessTokenTtlSeconds;
	const state: SandboxState = {
		options: resolved,
		store,
		auth,
		scenarios: new Scenarios(resolved.seed),
		limiter: new RateLimiter(resolved.rateLimitPerMinute, resolved.rateLimitWindowMs),
		stats: new Stats(),
		webhooks: new WebhookSender({
			secret: webhookSecret,
			retryBaseMs: resolved.retryBaseMs,
			maxAttempts: resolved.maxDeliveryAttempts,
			timeoutMs: resolved.webhookTimeoutMs,
			batchMs: resolved.webhookBatchMs,
			seed: resolved.seed,
			now,
			primaryConnectionId: () => auth.connections[0].id,
		}),
		rawTables: new RawTables(store),
		alerts: [],
		clockOffsetMs: 0,
		autoWebhooks: resolved.autoWebhooks,
		url: '',
		primary: auth.connections[0],
		now,
		dataOf(connection) {
			if (connection === state.primary) return { store: state.store, rawTables: state.rawTables };
			let data = secondary.get(connection.id);
			if (!data) {
				const index = auth.connections.indexOf(connection);
				const own = seedPlant({ seed: resolved.seed * 1000 + Math.max(1, index), workOrders: resolved.workOrders, now: resolved.now });
				data = { store: own, rawTables: new RawTables(own) };
				secondary.set(connection.id, data);
			}
			return data;
		},
	};
	stateRef.current = state;
	store.onChange((collection, kind, record) => {
		if (state.autoWebhooks) state.webhooks.announce(collection, kind, record.key);
	});

	const server = new SandboxServer(state);
	const info = (): SandboxInfo => ({
		url: state.url,
		apiToken: connections[0].apiToken,
		systemClientId: auth.clientId,
		systemClientSecret: auth.clientSecret,
		webhookSecret,
		connections: connections.map((c) => ({ ...c })),
	});
	const { admin, dispose } = createAdmin(state, server, info);
	const webhooks = createWebhooksApi(state);
	const stats = createStatsApi(state);
	server.setAdminRoutes(adminRoutes(admin, webhooks, stats));

	const port = await server.listen(resolved.port, resolved.host);
	state.url = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;

	let closed: Promise<void> | undefined;
	return {
		...info(),
		admin,
		webhooks,
		stats,
		close() {
			closed ??= (async () => {
				dispose();
				state.webhooks.close();
				await server.stop();
			})();
			return closed;
		},
	};
}
