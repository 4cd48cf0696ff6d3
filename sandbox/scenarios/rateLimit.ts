/** Per-token requests per minute over a sliding window, with Retry-After in seconds. */

const WINDOW = 60_000;

export interface RateDecision {
	allowed: boolean;
	limit: number;
	remaining: number;
	/** Seconds until the window frees a slot (when not allowed). */
	retryAfter: number;
}

export class RateLimiter {
	private readonly hits = new Map<string, number[]>();

	constructor(public limit: number) {}

	take(token: string, now: number): RateDecision {
		let times = this.hits.get(token);
		if (!times) {
			times = [];
			this.hits.set(token, times);
		}
		let expired = 0;
		while (expired < times.length && times[expired] <= now - WINDOW) expired++;
		if (expired) times.splice(0, expired);
		if (times.length >= this.limit) {
			const retryAfter = Math.max(1, Math.ceil((times[0] + WINDOW - now) / 1000));
			return { allowed: false, limit: this.limit, remaining: 0, retryAfter };
		}
		times.push(now);
		return { allowed: true, limit: this.limit, remaining: this.limit - times.length, retryAfter: 0 };
	}

	reset(): void {
		this.hits.clear();
	}
}
