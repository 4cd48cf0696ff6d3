/** Options of startSandbox and their defaults. */
import { DEFAULT_PRODUCT, productOf } from './data/products';
import { ANSWER_SHAPES, type AnswerShape } from './contract/shape';

export interface SandboxOptions {
	/** 0 picks a free port (default). */
	port?: number;
	/** Default 127.0.0.1: the sandbox is for loopback only. */
	host?: string;
	/** Seed of the generated plant (default 1). */
	seed?: number;
	/** Work orders to generate (default 1000, up to 100000); other entities scale with it. */
	workOrders?: number;
	/** Emulated product of the primary connection: maximo (default), maintainx, upkeep, sap, netsuite. */
	product?: string;
	/** Largest page a list returns (default 200). */
	maxPageSize?: number;
	/** Page size when a request names none (default 100). */
	defaultPageSize?: number;
	/** Requests per token per minute before 429 (default 6000). */
	rateLimitPerMinute?: number;
	/** The rate limit's sliding window in ms (default 60,000: R may go at once; 1,000 spreads R over the minute). */
	rateLimitWindowMs?: number;
	/** Connections the system API client has (default 3); the first is the primary one. */
	connections?: number;
	/** Also offer next_cursor / cursor= paging (default false). */
	cursorPaging?: boolean;
	/** No request log on stdout (the sandbox never logs secrets either way). */
	quiet?: boolean;
	/** Reference time of the generated data, ms or ISO (default: now, rounded down to the hour). */
	now?: number | string;
	/** Lifetime of a system API access token (default 3600 s). */
	systemTokenTtlSeconds?: number;
	/** Lifetime of a connection token from POST /api/system/connections/{id}/token (default 300 s, the documented sample). */
	connectionTokenTtlSeconds?: number;
	/** Lifetime of a Makini Link access token (default 30 days; refresh tokens live 31 days). */
	linkAccessTokenTtlSeconds?: number;
	/** Webhook retries: first delay (default 200 ms; Makini waits 30 s), doubled each time. */
	retryBaseMs?: number;
	/** Webhook delivery attempts in all, first included (default 5). */
	maxDeliveryAttempts?: number;
	/** How long a webhook target may take to answer (default 10 s, as Makini). */
	webhookTimeoutMs?: number;
	/** Changes within this window are announced in one webhook (default 50 ms). */
	webhookBatchMs?: number;
	/** Send webhooks on record changes and connection events (default true). */
	autoWebhooks?: boolean;
	/**
	 * How answers are typed: 'sandbox' (default: the sandbox's own types) or 'spec' (the
	 * OpenAPI files' literal schemas: objects for quantities, prices and dates the spec types
	 * as objects, null only where nullable). Default from $SANDBOX_ANSWER_SHAPE.
	 */
	answerShape?: AnswerShape;
	/** Fixed secrets, e.g. for a long-running demo (random by default). */
	apiToken?: string;
	webhookSecret?: string;
	systemClientId?: string;
	systemClientSecret?: string;
}

export type ResolvedOptions = Required<Omit<SandboxOptions, 'now' | 'apiToken' | 'webhookSecret' | 'systemClientId' | 'systemClientSecret'>> &
	Pick<SandboxOptions, 'apiToken' | 'webhookSecret' | 'systemClientId' | 'systemClientSecret'> & { now: number };

export const MAX_WORK_ORDERS = 100_000;

function positive(value: number | undefined, fallback: number, name: string): number {
	if (value === undefined) return fallback;
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds`);
	return value;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
	const workOrders = options.workOrders ?? 1000;
	if (!Number.isInteger(workOrders) || workOrders < 0 || workOrders > MAX_WORK_ORDERS) {
		throw new Error(`workOrders must be an integer from 0 to ${MAX_WORK_ORDERS}`);
	}
	const product = options.product ?? DEFAULT_PRODUCT;
	productOf(product);
	const now = options.now === undefined ? Math.floor(Date.now() / 3_600_000) * 3_600_000 : typeof options.now === 'number' ? options.now : Date.parse(options.now);
	if (Number.isNaN(now)) throw new Error('now must be a timestamp in ms or an ISO date');
	const connections = options.connections ?? 3;
	if (!Number.isInteger(connections) || connections < 1) throw new Error('connections must be at least 1');
	return {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		seed: options.seed ?? 1,
		workOrders,
		product,
		maxPageSize: options.maxPageSize ?? 200,
		defaultPageSize: options.defaultPageSize ?? 100,
		rateLimitPerMinute: options.rateLimitPerMinute ?? 6000,
		rateLimitWindowMs: options.rateLimitWindowMs ?? 60_000,
		connections,
		cursorPaging: options.cursorPaging ?? false,
		quiet: options.quiet ?? true,
		now,
		systemTokenTtlSeconds: options.systemTokenTtlSeconds ?? 3600,
		connectionTokenTtlSeconds: positive(options.connectionTokenTtlSeconds, 300, 'connectionTokenTtlSeconds'),
		linkAccessTokenTtlSeconds: positive(options.linkAccessTokenTtlSeconds, 30 * 86_400, 'linkAccessTokenTtlSeconds'),
		retryBaseMs: options.retryBaseMs ?? 200,
		maxDeliveryAttempts: options.maxDeliveryAttempts ?? 5,
		webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
		webhookBatchMs: options.webhookBatchMs ?? 50,
		autoWebhooks: options.autoWebhooks ?? true,
		answerShape: answerShapeOf(options.answerShape ?? process.env.SANDBOX_ANSWER_SHAPE ?? 'sandbox'),
		apiToken: options.apiToken,
		webhookSecret: options.webhookSecret,
		systemClientId: options.systemClientId,
		systemClientSecret: options.systemClientSecret,
	};
}

export function answerShapeOf(value: string): AnswerShape {
	if (!(ANSWER_SHAPES as readonly string[]).includes(value)) throw new Error(`answerShape must be one of ${ANSWER_SHAPES.join(', ')}, not "${value}"`);
	return value as AnswerShape;
}
