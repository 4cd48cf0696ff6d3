/**
 * HTTP face of the control API, under /__sandbox/ (no auth; loopback only). Every route
 * calls the same function as handle.admin / handle.webhooks / handle.stats.
 */
import type { SyncStatus } from '../auth';
import type { FailureRule, LatencyRule, OfflineMode } from '../scenarios/scenarios';
import type { SendOptions } from '../webhooks/sender';
import { AdminError, type SandboxAdmin, type SandboxStats, type SandboxWebhooks } from './api';

type Args = Record<string, unknown>;
type RouteHandler = (body: Args, params: Record<string, string>) => unknown;

interface AdminRoute {
	method: 'GET' | 'POST' | 'DELETE';
	path: string;
	handler: RouteHandler;
	/** What the route does, listed by GET /__sandbox/routes. */
	description: string;
}

function number(value: unknown, name: string): number {
	const n = typeof value === 'string' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) throw new AdminError(`${name} must be a number`);
	return n;
}

export function adminRoutes(admin: SandboxAdmin, webhooks: SandboxWebhooks, stats: SandboxStats): AdminRoute[] {
	return [
		{ method: 'GET', path: '', description: 'URL, tokens and secrets of this sandbox', handler: () => admin.info() },
		{
			method: 'POST', path: 'connections/:id/sync-status', description: 'Set sync_status (inprogress, done, fulldone, error, fail) and sync_updated_at',
			handler: (b, p) => admin.setSyncStatus({ connectionId: p.id, syncStatus: (b.sync_status ?? b.syncStatus) as SyncStatus, syncUpdatedAt: (b.sync_updated_at ?? b.syncUpdatedAt) as string | undefined }),
		},
		{
			method: 'POST', path: 'connections/:id/reauthorization', description: 'Require (or clear with {required:false}) reauthorization',
			handler: (b, p) => admin.requireReauthorization({ connectionId: p.id, required: b.required === undefined ? true : Boolean(b.required) }),
		},
		{ method: 'POST', path: 'offline', description: "Go offline: {mode: 'unavailable' (503) | 'refuse' (port closed), forMs?}", handler: (b) => admin.goOffline({ mode: b.mode as OfflineMode | undefined, forMs: b.forMs === undefined ? undefined : number(b.forMs, 'forMs') }) },
		{ method: 'POST', path: 'online', description: 'Back online', handler: () => admin.goOnline() },
		{ method: 'POST', path: 'latency', description: 'Add latency: {ms, calls? | rate?, method?, path?}', handler: (b) => admin.injectLatency({ ...(b as unknown as LatencyRule), ms: number(b.ms, 'ms') }) },
		{ method: 'POST', path: 'failures', description: 'Inject failures: {status | reset:true, times? | rate?, method?, path?, phase?}', handler: (b) => admin.injectFailure(b as unknown as FailureRule) },
		{ method: 'POST', path: 'answer-shape', description: "Answer in the sandbox's types or the spec's: {shape: 'sandbox' | 'spec'}", handler: (b) => admin.setAnswerShape({ shape: String(b.shape) }) },
		{ method: 'POST', path: 'rate-limit', description: 'Change the per-token rate limit: {perMinute}', handler: (b) => admin.setRateLimit({ perMinute: number(b.perMinute, 'perMinute') }) },
		{ method: 'POST', path: 'reset', description: 'Reset every scenario', handler: () => admin.resetScenarios() },
		{
			method: 'POST', path: 'records/:collection', description: 'Insert or update records as the connected system: {records:[...]} or one record',
			handler: (b, p) => admin.upsertRecords({ collection: p.collection, records: Array.isArray(b.records) ? (b.records as Args[]) : [b], connectionId: b.connectionId as string | undefined }),
		},
		{
			method: 'GET', path: 'records/:collection/:key', description: 'One record as stored',
			handler: (_b, p) => {
				const record = admin.getRecord({ collection: p.collection, key: p.key });
				if (!record) throw new AdminError(`No record "${p.key}" in ${p.collection}`, 404);
				return record;
			},
		},
		{ method: 'POST', path: 'clock', description: 'Shift the sandbox clock: {offsetMs}', handler: (b) => admin.setClockOffset({ ms: number(b.offsetMs ?? b.ms, 'offsetMs') }) },
		{ method: 'POST', path: 'product', description: 'Switch the emulated product: {product, connectionId?}', handler: (b) => admin.setProduct({ product: String(b.product), connectionId: b.connectionId as string | undefined }) },
		{ method: 'POST', path: 'system-tokens/expire', description: 'Expire every system API token now', handler: () => admin.expireSystemTokens() },
		{ method: 'POST', path: 'authorization-codes', description: 'Issue a code for grant_type=authorization_code: {connectionId?}', handler: (b) => admin.issueAuthorizationCode({ connectionId: b.connectionId as string | undefined }) },
		{ method: 'GET', path: 'tokens', description: 'Per connection: tokens issued by the System API, Link refreshes, authorization codes redeemed', handler: () => admin.tokenCounts() },
		{ method: 'DELETE', path: 'tokens', description: 'Reset the token counts', handler: () => admin.resetTokenCounts() },
		{
			method: 'POST', path: 'connections/:id/tokens/expire', description: 'Expire the connection tokens issued by the System API or Link (:id may be all): {includeStatic?}',
			handler: (b, p) => admin.expireConnectionTokens({ connectionId: p.id === 'all' ? undefined : p.id, includeStatic: Boolean(b.includeStatic) }),
		},
		{
			method: 'POST', path: 'connections/:id/tokens/revoke', description: 'Revoke the connection tokens issued by the System API or Link (:id may be all): {includeStatic?}',
			handler: (b, p) => admin.revokeConnectionTokens({ connectionId: p.id === 'all' ? undefined : p.id, includeStatic: Boolean(b.includeStatic) }),
		},
		{
			method: 'POST', path: 'token-pairs', description: 'Issue a Link token pair: {connectionId?, expiresInSeconds?} (0: the access token is already expired)',
			handler: (b) => admin.issueTokenPair({ connectionId: b.connectionId as string | undefined, expiresInSeconds: b.expiresInSeconds === undefined ? undefined : number(b.expiresInSeconds, 'expiresInSeconds') }),
		},
		{ method: 'POST', path: 'alerts', description: 'Store any JSON (a stand-in for Slack or email)', handler: (b) => admin.addAlert(b) },
		{ method: 'GET', path: 'alerts', description: 'Alerts received', handler: () => admin.alerts() },
		{ method: 'DELETE', path: 'alerts', description: 'Forget the alerts', handler: () => admin.clearAlerts() },
		{ method: 'GET', path: 'webhooks/targets', description: 'Registered webhook targets', handler: () => webhooks.targets() },
		{ method: 'POST', path: 'webhooks/targets', description: 'Register a target: {url, secret?, events?}', handler: (b) => webhooks.register({ url: String(b.url), secret: b.secret as string | undefined, events: b.events as string[] | undefined }) },
		{
			method: 'DELETE', path: 'webhooks/targets/:id', description: 'Unregister a target',
			handler: (_b, p) => {
				if (!webhooks.unregister(p.id)) throw new AdminError(`No webhook target "${p.id}"`, 404);
				return { removed: p.id };
			},
		},
		{ method: 'POST', path: 'webhooks/send', description: 'Send an event now: {event, keys?, details?, mode?, copies?, delayMs?, batch?, includeTimestamp?}', handler: (b) => webhooks.send(b as unknown as SendOptions) },
		{ method: 'POST', path: 'webhooks/auto', description: 'Automatic deliveries on changes: {enabled, includeTimestamp?}', handler: (b) => webhooks.setAuto({ enabled: Boolean(b.enabled), includeTimestamp: b.includeTimestamp as boolean | undefined }) },
		{ method: 'GET', path: 'webhooks/log', description: 'Every delivery attempt with the status answered', handler: () => webhooks.log() },
		{ method: 'DELETE', path: 'webhooks/log', description: 'Clear the delivery log', handler: () => webhooks.clearLog() },
		{ method: 'POST', path: 'webhooks/idle', description: 'Wait until no delivery or retry is under way', handler: () => webhooks.idle() },
		{ method: 'GET', path: 'stats', description: 'Requests, writes, injected failures, rate-limited answers', handler: () => stats.snapshot() },
		{ method: 'DELETE', path: 'stats', description: 'Reset the stats', handler: () => stats.reset() },
	];
}

/** Finds the route for a path below /__sandbox (without that prefix). */
export function matchAdminRoute(routes: AdminRoute[], method: string, subPath: string): { route: AdminRoute; params: Record<string, string> } | { allowed: string[] } | undefined {
	const parts = subPath.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
	const allowed: string[] = [];
	for (const route of routes) {
		const pattern = route.path.split('/').filter(Boolean);
		if (pattern.length !== parts.length) continue;
		const params: Record<string, string> = {};
		const ok = pattern.every((segment, i) => {
			if (segment.startsWith(':')) {
				params[segment.slice(1)] = parts[i];
				return true;
			}
			return segment === parts[i];
		});
		if (!ok) continue;
		if (route.method === method) return { route, params };
		allowed.push(route.method);
	}
	return allowed.length ? { allowed } : undefined;
}
