/**
 * Pacing after a 429 (nodes/shared/transport/pacing.ts): the pure policy, and the
 * transport against the sandbox's one-second window, where bursting into each second's
 * 429 and waiting its whole-second Retry-After was the rule before.
 */
import {
	after429,
	clearPacing,
	limitFromHeaders,
	makiniApiRequest,
	MAX_PACED_TOKENS,
	newPaceState,
	notePaceAnswered,
	paceKeyOf,
	paceLapsed,
	pacedTokenCount,
	paceStateOf,
	PACING_DECAY_MS,
	reservePaceSlot,
	sentAt,
	spacingAfter429,
	takeSlot,
	type MakiniContext,
	type PaceState,
} from '../../nodes/shared/transport';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { NodeHarness, transportProbe } from '../harness/execute';

describe('pacing policy', () => {
	const T = 1_000_000;

	it('paces nothing before a 429: every slot is now', () => {
		let state = newPaceState();
		for (let i = 0; i < 20; i++) {
			const slot = takeSlot(state, T + i);
			expect(slot.delayMs).toBe(0);
			state = slot.state;
		}
	});

	it('LIMIT_FROM_HEADER: 60 s ÷ X-RateLimit-Limit apart, the first after Retry-After', () => {
		expect(limitFromHeaders({ 'x-ratelimit-limit': '600' })).toBe(600);
		expect(limitFromHeaders({ 'x-ratelimit-limit': 'many' })).toBeUndefined();
		expect(limitFromHeaders({})).toBeUndefined();
		let state = after429(newPaceState(), T, 1_000, 600);
		expect(state.intervalMs).toBeGreaterThanOrEqual(100);
		expect(state.intervalMs).toBeLessThanOrEqual(102);
		const delays: number[] = [];
		for (let i = 0; i < 3; i++) {
			const slot = takeSlot(state, T);
			delays.push(slot.delayMs);
			state = slot.state;
		}
		expect(delays).toEqual([1_000, 1_000 + state.intervalMs, 1_000 + 2 * state.intervalMs]);
	});

	it('LIMIT_OBSERVED: without the header, what got through before the 429, over the time until Retry-After', () => {
		// 10 answered in the first 50 ms, 429 at 55 ms, Retry-After 1 s: 10 per 1.055 s.
		const answered = Array.from({ length: 10 }, (_, i) => T + i * 5);
		const spacing = spacingAfter429(0, T + 55, answered, 1_000, undefined);
		expect(spacing).toBeGreaterThanOrEqual(105);
		expect(spacing).toBeLessThanOrEqual(108);
		// Answers older than a minute do not count.
		expect(spacingAfter429(0, T + 61_000, [T, T + 60_500], 1_000, undefined)).toBeGreaterThanOrEqual(1_500);
		// Nothing observed, or no Retry-After: no spacing (each retry waits as retry.ts says).
		expect(spacingAfter429(0, T, [], 1_000, undefined)).toBe(0);
		expect(spacingAfter429(0, T + 55, answered, undefined, undefined)).toBe(0);
		const state = after429(newPaceState(), T, 2_000, undefined);
		expect(state.intervalMs).toBe(0);
		expect(takeSlot(state, T).delayMs).toBe(2_000);
	});

	it('OBSERVED_ONCE: 429s without the header while paced keep the spacing instead of lengthening it each time', () => {
		// A gateway answering an occasional 429 to a paced token: what got through is the pace itself.
		let state: PaceState = { ...newPaceState(), intervalMs: 100 };
		for (let i = 0; i < 50; i++) {
			const now = T + i * 2_000;
			state = { ...state, answered: Array.from({ length: 600 }, (_, k) => now - 60_000 + k * 100) };
			state = after429(state, now, 1_000, undefined);
		}
		expect(state.intervalMs).toBe(100);
	});

	it('NEVER_FASTER: a 429 while paced keeps the longer spacing', () => {
		const paced: PaceState = { ...newPaceState(), intervalMs: 150 };
		expect(after429(paced, T, 1_000, 600).intervalMs).toBe(150);
		expect(after429({ ...paced, intervalMs: 50 }, T, 1_000, 600).intervalMs).toBeGreaterThanOrEqual(100);
	});

	it('ONE_QUEUE: concurrent requests take slots in the order they ask; a late send moves the next slot on', () => {
		let state = after429(newPaceState(), T, 1_000, 600);
		const interval = state.intervalMs;
		const order: number[] = [];
		for (let i = 0; i < 5; i++) {
			const slot = takeSlot(state, T + i);
			order.push(T + i + slot.delayMs);
			state = slot.state;
		}
		expect(order).toEqual([0, 1, 2, 3, 4].map((i) => T + 1_000 + i * interval));
		// A request that asked for the first slot but went 30 ms late.
		const late = sentAt(state, T + 1_000 + 4 * interval + 30);
		expect(late.nextSlot).toBe(T + 1_000 + 5 * interval + 30);
		expect(sentAt(state, T + 1_000).nextSlot).toBe(state.nextSlot);
		// A retry that may not go before its own delay waits for that, in the queue.
		expect(takeSlot(late, T, T + 10_000).delayMs).toBe(10_000);
	});

	it('DECAY: a minute without a 429 or a wait ends pacing; a load at the limit stays paced', () => {
		const state = after429(newPaceState(), T, 1_000, 600);
		expect(paceLapsed(state, T + PACING_DECAY_MS - 1)).toBe(false);
		expect(paceLapsed(state, T + PACING_DECAY_MS)).toBe(true);
		expect(takeSlot(state, T + PACING_DECAY_MS).delayMs).toBe(0);
		// One request after the other, each asking 5 ms after the one before went: every one
		// waits for its slot, which keeps the token paced past the minute.
		let busy = state;
		let now = T;
		while (now < T + 2 * PACING_DECAY_MS) {
			const slot = takeSlot(busy, now);
			busy = slot.state;
			now += slot.delayMs + 5;
		}
		expect(paceLapsed(busy, now)).toBe(false);
		expect(takeSlot(busy, now).delayMs).toBeGreaterThan(0);
	});

	it('keys are hashes, never the token, and the state stays bounded', () => {
		clearPacing();
		const key = paceKeyOf('makiniApi', { apiToken: 'tok-secret-1', baseUrl: 'https://api.makini.io' });
		expect(key).not.toContain('tok-secret-1');
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(paceKeyOf('makiniApi', { apiToken: 'tok-secret-2', baseUrl: 'https://api.makini.io' })).not.toBe(key);
		for (let i = 0; i < MAX_PACED_TOKENS + 50; i++) notePaceAnswered(`k${i}`, T);
		expect(pacedTokenCount()).toBe(MAX_PACED_TOKENS);
		expect(reservePaceSlot(key, T)).toBe(0);
		clearPacing();
	});
});

const probe = transportProbe;

describe('the transport under a one-second window of 10 requests (600 a minute)', () => {
	let sb: SandboxHandle;
	const COUNT = 40;

	beforeEach(async () => {
		clearPacing();
		sb = await startSandbox({ port: 0, workOrders: 1, autoWebhooks: false, rateLimitPerMinute: 600, rateLimitWindowMs: 1_000 });
	});
	afterEach(async () => {
		await sb.close();
		clearPacing();
	});

	const ctx = () =>
		new NodeHarness(probe, { parameters: {}, credentials: { makiniApi: { apiToken: sb.apiToken, baseUrl: sb.url } } }).executeContext() as unknown as MakiniContext;
	const create = (c: MakiniContext, i: number) =>
		makiniApiRequest.call(c, { method: 'POST', path: '/api/eam/service-requests', body: { title: `Paced ${i}` } });

	// Bursting into each second's limit costs a 429 a second: ceil(40 / 10) − 1 = 3 for 40 in a row.
	// Paced, the first burst's 429 and at most one more when a loaded machine delays a request.
	it('creates one after the other: the first 429 and at most one more, each create applied once', async () => {
		const c = ctx();
		for (let i = 0; i < COUNT; i++) await create(c, i);
		const stats = sb.stats.snapshot();
		expect(stats.rateLimited).toBeGreaterThanOrEqual(1);
		expect(stats.rateLimited).toBeLessThanOrEqual(2);
		expect(stats.writes.creates).toBe(COUNT);
		expect(new Set(stats.createdKeys).size).toBe(COUNT);
	});

	it('without X-RateLimit-Limit: paced at the rate observed before the 429, the first 429 only', async () => {
		const base = ctx();
		const helpers = base.helpers;
		// The same sandbox, its 429s stripped of the header: only Retry-After is left to go by.
		const stripped = Object.create(base) as MakiniContext;
		stripped.helpers = {
			...helpers,
			async httpRequestWithAuthentication(type, options) {
				try {
					return await helpers.httpRequestWithAuthentication.call(this, type, options);
				} catch (error) {
					for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
						const headers = (e as { response?: { headers?: Record<string, unknown> } }).response?.headers;
						if (headers) {
							delete headers['x-ratelimit-limit'];
							delete headers['X-RateLimit-Limit'];
						}
					}
					throw error;
				}
			},
		};
		for (let i = 0; i < COUNT; i++) await create(stripped, i);
		const stats = sb.stats.snapshot();
		expect(stats.rateLimited).toBeGreaterThanOrEqual(1);
		expect(stats.rateLimited).toBeLessThanOrEqual(2);
		expect(new Set(stats.createdKeys).size).toBe(COUNT);
		expect(stats.writes.creates).toBe(COUNT);
		// Longer than the header's 102 ms: 10 let through over the time until Retry-After.
		const state = paceStateOf(paceKeyOf('makiniApi', { apiToken: sb.apiToken, baseUrl: sb.url }));
		expect(state?.intervalMs).toBeGreaterThan(102);
	});

	// Four items in flight: before, each second's burst drew a 429 for each of them.
	it('four creates in flight share one queue: only the 429s of the first burst, each create applied once', async () => {
		const c = ctx();
		let next = 0;
		const worker = async () => {
			while (next < COUNT) await create(c, next++);
		};
		await Promise.all([worker(), worker(), worker(), worker()]);
		const stats = sb.stats.snapshot();
		expect(stats.rateLimited).toBeGreaterThanOrEqual(1);
		// Unpaced: 12. Paced: the first burst's (one per create in flight), and a late one or two on a loaded machine.
		expect(stats.rateLimited).toBeLessThanOrEqual(6);
		expect(stats.writes.creates).toBe(COUNT);
		expect(new Set(stats.createdKeys).size).toBe(COUNT);
	});
});
