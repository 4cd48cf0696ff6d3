/** Everything a request handler may read or change, in one place. */
import type { Auth, Connection } from './auth';
import type { RawTables } from './data/rawTables';
import type { Store } from './data/store';
import type { ResolvedOptions } from './options';
import type { RateLimiter } from './scenarios/rateLimit';
import type { Scenarios } from './scenarios/scenarios';
import type { Stats } from './stats';
import type { WebhookSender } from './webhooks/sender';

export interface SandboxState {
	options: ResolvedOptions;
	store: Store;
	auth: Auth;
	scenarios: Scenarios;
	limiter: RateLimiter;
	stats: Stats;
	webhooks: WebhookSender;
	rawTables: RawTables;
	/** What example workflows post to /__sandbox/alerts. */
	alerts: Array<{ receivedAt: string; body: unknown }>;
	/** Added to the wall clock for every timestamp the sandbox writes. */
	clockOffsetMs: number;
	autoWebhooks: boolean;
	/** http://host:port once listening. */
	url: string;
	primary: Connection;
	now(): number;
	/**
	 * The data of one connection: the primary one's is `store`/`rawTables`; each other
	 * connection has its own plant, seeded on first use from its own seed, so that a
	 * request reaching the wrong connection shows.
	 */
	dataOf(connection: Connection): { store: Store; rawTables: RawTables };
}

/** The state as a handler acting on one connection sees it: that connection's store and raw tables. */
export function scopedTo(state: SandboxState, connection: Connection | undefined): SandboxState {
	if (!connection || connection === state.primary) return state;
	const { store, rawTables } = state.dataOf(connection);
	return Object.create(state, { store: { value: store }, rawTables: { value: rawTables } }) as SandboxState;
}

export function isoNow(state: Pick<SandboxState, 'now'>): string {
	return new Date(state.now()).toISOString().slice(0, 19) + 'Z';
}
