/**
 * When to retry a failed Makini call, and how long to wait first: a small pure policy.
 *
 * Named rules, applied in this order:
 * - TIMED_OUT: an attempt that hit the request timeout is not repeated (another would
 *   wait the whole timeout again; a write may have been applied).
 * - WRITE_ONLY_IF_NOT_APPLIED: a write is repeated only when the answer proves it was not
 *   applied: 429 (rate limited before any work) or a connection refused before anything
 *   was sent. A 503, with or without Retry-After, is a gateway's answer like 502: the
 *   write may already have been applied behind it.
 * - RATE_LIMITED: a 429 is waited out (Retry-After, capped per wait) up to its own attempts;
 *   the request then waits for its slot on the token too (pacing.ts), within the same budget.
 * - TRANSIENT: reads and idempotent requests are repeated on 500/502/503/504 and network
 *   failures, up to maxAttempts; a request marked safe to repeat (another short-lived
 *   token) costs nothing to repeat and gets rateLimitAttempts, as a 429 does.
 * - BUDGET: all waits of one request together stay within maxTotalWaitMs.
 */
import type { HttpFailure } from './errors';

export interface RetryPolicy {
	/** Attempts in all for transient failures (5xx, resets). */
	maxAttempts: number;
	/** Attempts in all when rate limited: nothing was applied, so waiting is always safe. */
	rateLimitAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Cap on a server-sent Retry-After, so one answer cannot stall a workflow for hours. */
	maxRetryAfterMs: number;
	/** Cap on all waits of one request together (Retry-After and backoff). */
	maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	rateLimitAttempts: 10,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 60_000,
	maxTotalWaitMs: 120_000,
};

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/**
 * The one definition of a write: a request that could be applied twice if sent twice.
 * GET, HEAD, OPTIONS and PUT (Makini's updates replace the fields sent) are not. DELETE
 * counts as a write: Makini's only DELETEs disconnect a connection, and a repeat after an
 * applied disconnect whose answer was lost would be refused (401/404) and report a done
 * disconnect as a failure; the builder is told instead that it may have been applied.
 * `safeToRepeat` marks a request whose repetition has no effect beyond the first
 * (issuing another short-lived connection token): it is retried like a read.
 */
export function isWrite(method: string, safeToRepeat = false): boolean {
	if (safeToRepeat) return false;
	return !['GET', 'HEAD', 'OPTIONS', 'PUT'].includes(method.toUpperCase());
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A failure's Retry-After in ms, capped per wait (policy.maxRetryAfterMs); undefined without one. */
export function cappedRetryAfter(failure: Pick<HttpFailure, 'headers'>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number | undefined {
	const retryAfter = parseRetryAfter(failure.headers['retry-after']);
	return retryAfter === undefined ? undefined : Math.min(retryAfter, policy.maxRetryAfterMs);
}

/** Exponential backoff with full jitter between half and all of the step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Whether a failure proves the request was not applied, so a write is safe to repeat:
 * rate limited, or a connection that was never opened.
 */
export function provesNotApplied(failure: Pick<HttpFailure, 'status' | 'networkCode'>): boolean {
	if (failure.status === 429) return true;
	return failure.status === undefined && failure.networkCode === 'ECONNREFUSED';
}

/** Why a failed request is not retried. */
export type StopReason = 'not-retryable' | 'may-have-been-applied' | 'timed-out' | 'attempts' | 'budget';

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: StopReason };

export interface RetryRequest {
	method: string;
	safeToRepeat?: boolean;
	/** Attempts made so far (1 after the first). */
	attempt: number;
	/** Milliseconds already waited between this request's attempts. */
	waitedMs: number;
}

/** The decision after a failed attempt: wait this long and try again, or stop and why. */
export function nextAttempt(
	request: RetryRequest,
	failure: HttpFailure,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	random = Math.random,
): RetryDecision {
	const capped = cappedRetryAfter(failure, policy);
	const wait = (delayMs: number): RetryDecision =>
		request.waitedMs + delayMs > policy.maxTotalWaitMs ? { retry: false, reason: 'budget' } : { retry: true, delayMs };

	if (failure.timedOut) return { retry: false, reason: 'timed-out' };
	if (failure.status === 429) {
		if (request.attempt >= policy.rateLimitAttempts) return { retry: false, reason: 'attempts' };
		return wait(capped ?? backoffDelay(request.attempt, policy, random));
	}
	const transient =
		(failure.status !== undefined && TRANSIENT_STATUSES.has(failure.status)) ||
		(failure.status === undefined && failure.networkCode !== undefined);
	if (!transient) return { retry: false, reason: 'not-retryable' };
	if (isWrite(request.method, request.safeToRepeat) && !provesNotApplied(failure)) {
		return { retry: false, reason: 'may-have-been-applied' };
	}
	const attempts = request.safeToRepeat ? Math.max(policy.maxAttempts, policy.rateLimitAttempts) : policy.maxAttempts;
	if (request.attempt >= attempts) return { retry: false, reason: 'attempts' };
	return wait(failure.status === undefined ? backoffDelay(request.attempt, policy, random) : (capped ?? backoffDelay(request.attempt, policy, random)));
}

/**
 * The delay before the next attempt, or undefined when the failure must not be retried.
 * `attempt` is the number of attempts made so far (1 after the first).
 */
export function retryDelay(
	method: string,
	failure: HttpFailure,
	attempt: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	random = Math.random,
): number | undefined {
	const decision = nextAttempt({ method, attempt, waitedMs: 0 }, failure, policy, random);
	return decision.retry ? decision.delayMs : undefined;
}
