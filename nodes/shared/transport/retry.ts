/**
 * When to retry a failed Makini call, and how long to wait first.
 *
 * A create must never be doubled: a POST is retried only when the answer proves it was
 * not applied (429, or 503 with Retry-After). Reads and updates (idempotent PUT) are
 * also retried on 500/502/503/504 and connection resets.
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
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	rateLimitAttempts: 10,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 60_000,
};

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/** Retry-After in milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter between half and all of the step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Whether a failure proves the request was not applied, so a write is safe to repeat:
 * rate limited, a 503 with a usable Retry-After, or a connection that was never opened.
 */
export function provesNotApplied(failure: Pick<HttpFailure, 'status' | 'networkCode' | 'headers'>): boolean {
	if (failure.status === 429) return true;
	if (failure.status === 503) return parseRetryAfter(failure.headers['retry-after']) !== undefined;
	return failure.status === undefined && failure.networkCode === 'ECONNREFUSED';
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
	const retryAfter = parseRetryAfter(failure.headers['retry-after']);
	const capped = retryAfter === undefined ? undefined : Math.min(retryAfter, policy.maxRetryAfterMs);
	const isWrite = method.toUpperCase() === 'POST' || method.toUpperCase() === 'DELETE';

	if (failure.status === 429) {
		if (attempt >= policy.rateLimitAttempts) return undefined;
		return capped ?? backoffDelay(attempt, policy, random);
	}
	if (attempt >= policy.maxAttempts) return undefined;
	if (isWrite) {
		// Only an answer that proves nothing happened makes a POST safe to repeat.
		if (!provesNotApplied(failure)) return undefined;
		return capped ?? backoffDelay(attempt, policy, random);
	}
	if (failure.status !== undefined && TRANSIENT_STATUSES.has(failure.status)) {
		return capped ?? backoffDelay(attempt, policy, random);
	}
	if (failure.status === undefined && failure.networkCode) {
		return backoffDelay(attempt, policy, random);
	}
	return undefined;
}
