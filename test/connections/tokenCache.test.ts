/** The per-connection token cache on its own: expiry with a margin, one request for concurrent callers, a bound. */
import {
	cachedConnectionTokenCount,
	clearConnectionTokens,
	connectionToken,
	connectionTokenKey,
	expiryMarginMs,
	forgetConnectionToken,
	MAX_CACHED_CONNECTION_TOKENS,
	parseConnectionToken,
} from '../../nodes/shared/transport/connectionToken';

beforeEach(() => clearConnectionTokens());

function issuer(expiresIn: number | string | undefined = 300) {
	let issued = 0;
	const issue = async () => {
		issued++;
		return { data: { token: `token-${issued}`, expires_in: expiresIn } };
	};
	return { issue, count: () => issued };
}

describe('connection token cache', () => {
	it('serves one token until shortly before it expires, then asks again', async () => {
		let now = 1_000_000;
		const clock = () => now;
		const { issue, count } = issuer(300);
		expect(await connectionToken('k', issue, clock)).toBe('token-1');
		now += 269_000;
		expect(await connectionToken('k', issue, clock)).toBe('token-1');
		// 300 s less a 30 s margin: at 270 s a new token is due.
		now += 1_000;
		expect(await connectionToken('k', issue, clock)).toBe('token-2');
		expect(count()).toBe(2);
	});

	it('the margin is a tenth of the lifetime, between 5 and 60 seconds', () => {
		expect(expiryMarginMs(300_000)).toBe(30_000);
		expect(expiryMarginMs(20_000)).toBe(5_000);
		expect(expiryMarginMs(30 * 86_400_000)).toBe(60_000);
	});

	it('a token too short-lived for its margin is used once and not kept', async () => {
		const { issue, count } = issuer(3);
		await connectionToken('k', issue);
		await connectionToken('k', issue);
		expect(count()).toBe(2);
		expect(cachedConnectionTokenCount()).toBe(0);
	});

	it('concurrent requests for one connection share one token request', async () => {
		const { issue, count } = issuer();
		const tokens = await Promise.all(Array.from({ length: 20 }, () => connectionToken('k', issue)));
		expect(new Set(tokens)).toEqual(new Set(['token-1']));
		expect(count()).toBe(1);
	});

	it('a refused token is forgotten; forgetting an older one keeps the newer', async () => {
		const { issue } = issuer();
		await connectionToken('k', issue);
		forgetConnectionToken('k', 'token-1');
		expect(await connectionToken('k', issue)).toBe('token-2');
		forgetConnectionToken('k', 'token-1');
		expect(await connectionToken('k', issue)).toBe('token-2');
	});

	it('holds at most MAX_CACHED_CONNECTION_TOKENS, dropping the least recently used', async () => {
		const { issue } = issuer();
		for (let i = 0; i < MAX_CACHED_CONNECTION_TOKENS + 10; i++) await connectionToken(`k${i}`, issue);
		expect(cachedConnectionTokenCount()).toBe(MAX_CACHED_CONNECTION_TOKENS);
	});

	it('keys differ per System API client (also by secret) and per connection', () => {
		const a = connectionTokenKey({ baseUrl: 'u', clientId: 'c', clientSecret: 's1' }, 'x');
		expect(connectionTokenKey({ baseUrl: 'u', clientId: 'c', clientSecret: 's2' }, 'x')).not.toBe(a);
		expect(connectionTokenKey({ baseUrl: 'u', clientId: 'c', clientSecret: 's1' }, 'y')).not.toBe(a);
		expect(a).not.toContain('s1');
	});

	it('reads the documented answer and its variants', () => {
		expect(parseConnectionToken({ data: { token: 't', expires_in: 300 } })).toEqual({ token: 't', expiresInSeconds: 300 });
		expect(parseConnectionToken({ token: 't', expires_in: '120' })).toEqual({ token: 't', expiresInSeconds: 120 });
		expect(parseConnectionToken({ data: { access_token: 't' } })).toEqual({ token: 't', expiresInSeconds: 300 });
		expect(parseConnectionToken({ data: {} })).toBeUndefined();
	});

	it('an answer without a token gives none and caches nothing', async () => {
		expect(await connectionToken('k', async () => ({ data: {} }))).toBeUndefined();
		expect(cachedConnectionTokenCount()).toBe(0);
	});
});
