import { RateLimiter } from '../../sandbox/scenarios/rateLimit';

describe('RateLimiter', () => {
	it('lets R through at once with the default one-minute window', () => {
		const limiter = new RateLimiter(600);
		const allowed = Array.from({ length: 700 }, () => limiter.take('t', 1_000)).filter((d) => d.allowed).length;
		expect(allowed).toBe(600);
	});

	it('spreads R over the minute with a one-second window: ceil(R / 60) a second', () => {
		const limiter = new RateLimiter(600, 1_000);
		let allowed = 0;
		for (let ms = 0; ms < 60_000; ms += 5) {
			for (let i = 0; i < 3; i++) if (limiter.take('t', ms).allowed) allowed++;
		}
		expect(allowed).toBe(600);
		const refused = limiter.take('t', 60_000 - 1);
		expect(refused).toMatchObject({ allowed: false, retryAfter: 1 });
		// Per token: another token has its own window.
		expect(limiter.take('other', 0).allowed).toBe(true);
	});
});
