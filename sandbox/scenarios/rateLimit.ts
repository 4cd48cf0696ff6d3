/**
 * Per-token requests per minute over a sliding window, with Retry-After in seconds.
 * The window is a minute by default (then R requests may go at once, and the rest as
 * the window frees); a shorter one spreads R over the minute: with a 1 s window, at
 * most ceil(R / 60) a second, so a client that does not pace itself is measured.
 */

const MINUTE = 60_000;

export interface RateDecision {
	allowed: boolean;
	limit: number;
	remaining: number;
	/** Seconds until the window frees a slot (when not allowed). */
	retryAfter: number;
}

export class RateLimiter {
	private readonly hits = new Map<string, number[]>();

	/** `limit`: requests per minute; `windowMs`: the sliding window (a divisor of a minute, at most one). */
	constructor(
		public limit: number,
		readonly windowMs = MINUTE,
	) {}

	/** Requests the window lets through: the per-minute limit scaled to the window. */
	private get perWindow(): number {
		return Math.max(1, Math.ceil((this.limit * this.windowMs) / MINUTE));
	}

	take(token: string, now: number): RateDecision {
		let times = this.hits.get(token);
		if (!times) {
			times = [];
			this.hits.set(token, times);
		}
		let expired = 0;
		while (expired < times.length && times[expired] <= now - this.windowMs) expired++;
		if (expired) times.splice(0, expired);
		const perWindow = this.perWindow;
		if (times.length >= perWindow) {
			const retryAfter = Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000));
			return { allowed: false, limit: this.limit, remaining: 0, retryAfter };
		}
		times.push(now);
		return { allowed: true, limit: this.limit, remaining: perWindow - times.length, retryAfter: 0 };
	}

	reset(): void {
		this.hits.clear();
	}
}
