import { REREAD_INTERVAL_MS, SECRET_TTL_MS, WebhookSecretCache, webhookSecretKey, type WebhookSecretCredentials } from '../../nodes/MakiniTrigger/webhookSecret';

/** A credential store whose secret can be changed, counting reads. */
function store(secret: string) {
	const state = { secret, reads: 0 };
	const load = jest.fn(async (): Promise<WebhookSecretCredentials> => {
		state.reads++;
		return { secret: state.secret };
	});
	return { state, load };
}
const accepts = (expected: string) => (credentials: WebhookSecretCredentials) => ({ ok: credentials.secret === expected });
const KEY = webhookSecretKey('wf', 'node', 'cred');

describe('WebhookSecretCache', () => {
	it('reads the credential once while the secret verifies', async () => {
		const cache = new WebhookSecretCache();
		const { state, load } = store('s1');
		for (let i = 0; i < 50; i++) {
			const { result } = await cache.use(KEY, 1_000 + i * 100, load, accepts('s1'));
			expect(result.ok).toBe(true);
		}
		expect(state.reads).toBe(1);
	});

	it('picks up a rotated secret on the first refusal, and reads again after the TTL', async () => {
		const cache = new WebhookSecretCache();
		const { state, load } = store('s1');
		await cache.use(KEY, 0, load, accepts('s1'));
		state.secret = 's2';
		// Signed with the new secret: the kept one refuses, the credential is read again and accepts.
		const rotated = await cache.use(KEY, 2 * REREAD_INTERVAL_MS, load, accepts('s2'));
		expect(rotated.result.ok).toBe(true);
		expect(rotated.credentials.secret).toBe('s2');
		expect(state.reads).toBe(2);
		// A removed secret verifies at most until the TTL ends.
		state.secret = 's3';
		expect((await cache.use(KEY, 3 * REREAD_INTERVAL_MS, load, accepts('s2'))).result.ok).toBe(true);
		expect((await cache.use(KEY, 2 * REREAD_INTERVAL_MS + SECRET_TTL_MS, load, accepts('s2'))).result.ok).toBe(false);
		expect(state.reads).toBe(3);
	});

	it('lets forged deliveries cause at most one read per interval', async () => {
		const cache = new WebhookSecretCache();
		const { state, load } = store('s1');
		await cache.use(KEY, 0, load, accepts('s1'));
		for (let t = 0; t < 5 * REREAD_INTERVAL_MS; t += 10) {
			expect((await cache.use(KEY, t, load, accepts('forged'))).result.ok).toBe(false);
		}
		expect(state.reads).toBeGreaterThanOrEqual(5);
		expect(state.reads).toBeLessThanOrEqual(6);
	});

	it('keeps nothing without a key, and keeps nodes apart', async () => {
		const cache = new WebhookSecretCache();
		const { state, load } = store('s1');
		await cache.use(undefined, 0, load, accepts('s1'));
		await cache.use(undefined, 1, load, accepts('s1'));
		expect(state.reads).toBe(2);
		expect(cache.size).toBe(0);
		expect(webhookSecretKey(undefined, 'node', 'cred')).toBeUndefined();
		expect(webhookSecretKey('wf', 'node', null)).toBeUndefined();
		const other = store('t1');
		await cache.use(webhookSecretKey('wf', 'node', 'a'), 0, load, accepts('s1'));
		const b = await cache.use(webhookSecretKey('wf', 'node', 'b'), 0, other.load, accepts('t1'));
		expect(b.credentials.secret).toBe('t1');
		expect(cache.size).toBe(2);
	});
});
