/**
 * Spacing the requests on one token once Makini has answered it 429: a small pure policy
 * (the functions below take the time as an argument and do no I/O) and its in-process
 * state, one entry per token, keyed by a hash, never the token.
 *
 * Named rules:
 * - PACE_AFTER_429: a token is paced only after a 429 for it; until then requests go as
 *   they come, so a run that is never limited waits for nothing.
 * - LIMIT_FROM_HEADER: the spacing is 60 s ÷ X-RateLimit-Limit (requests per minute, as
 *   CONTRACT.md says Makini's limits are), plus MARGIN.
 * - LIMIT_OBSERVED: without that header, the spacing is what the token got through: the
 *   answers Makini gave it in the minute before the 429, spread over the time from the
 *   first of them until Retry-After, plus MARGIN. Without Retry-After either, or with
 *   nothing observed, nothing is paced: each retry waits as retry.ts says (today's rule).
 * - OBSERVED_ONCE: LIMIT_OBSERVED measures only the first 429 of a pace; later ones
 *   without the header keep the spacing (what got through by then is the pace itself).
 * - NEVER_FASTER: a 429 while paced never makes the spacing shorter (it proved it too short).
 * - RETRY_AFTER_FIRST: no request on the token goes before the 429's Retry-After; those
 *   after it follow at the spacing, so the whole-second Retry-After is paid once, not
 *   once per burst.
 * - ONE_QUEUE: concurrent requests on a token (several items in flight) take slots in the
 *   order they ask, each one spacing after the one before; a request sent late moves the
 *   next slot on, so a late request and a punctual one never end up closer than the spacing.
 * - DECAY: pacing ends once for a minute no 429 came and no request had to wait for its
 *   slot (the load fell under the limit). A load that stays at the limit stays paced
 *   rather than provoking a 429, and losing a Retry-After, each minute.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** Rate limits are per minute (CONTRACT.md). */
export const MINUTE_MS = 60_000;

/**
 * Spacing added so that jitter does not provoke the next 429: n8n spends a varying few to
 * tens of milliseconds (credential, expression) between a request's slot and its sending.
 */
export const PACING_MARGIN = 0.02;

/** DECAY: a minute without a 429 and without a wait ends pacing. */
export const PACING_DECAY_MS = MINUTE_MS;

/** Answers remembered per token for LIMIT_OBSERVED (the last minute's, at most this many). */
export const MAX_OBSERVED_ANSWERS = 1_000;

/** Tokens with pacing state; the least recently used goes first. */
export const MAX_PACED_TOKENS = 500;

export interface PaceState {
	/** Milliseconds between requests; 0 while not paced. */
	intervalMs: number;
	/** The earliest time the next request may go (ms since the epoch). */
	nextSlot: number;
	/** When the last 429 came. */
	last429: number;
	/** When a request last had to wait for its slot. */
	lastWait: number;
	/** When the requests Makini answered (anything but 429) were sent, oldest first. */
	answered: number[];
}

export function newPaceState(): PaceState {
	return { intervalMs: 0, nextSlot: 0, last429: 0, lastWait: 0, answered: [] };
}

/** X-RateLimit-Limit as requests per minute, when it is a positive number. */
export function limitFromHeaders(headers: Record<string, string | undefined>): number | undefined {
	const raw = headers['x-ratelimit-limit'];
	const limit = raw === undefined ? NaN : Number(String(raw).trim());
	return Number.isFinite(limit) && limit > 0 ? limit : undefined;
}

const withMargin = (ms: number) => Math.ceil(ms * (1 + PACING_MARGIN));

/**
 * LIMIT_FROM_HEADER, LIMIT_OBSERVED and NEVER_FASTER: the spacing after a 429 at `now`;
 * 0 when neither the header nor what was observed tells it.
 */
export function spacingAfter429(
	previousMs: number,
	now: number,
	answered: readonly number[],
	retryAfterMs: number | undefined,
	limitPerMinute: number | undefined,
): number {
	let spacing = 0;
	if (limitPerMinute !== undefined) spacing = withMargin(MINUTE_MS / limitPerMinute);
	// OBSERVED_ONCE: while paced, what got through is the pace itself; measuring it again
	// would lengthen the spacing a little at every 429 (a flaky gateway's, say), without end.
	else if (previousMs > 0) return previousMs;
	else if (retryAfterMs !== undefined) {
		const recent = answered.filter((t) => t > now - MINUTE_MS && t <= now);
		if (recent.length > 0) spacing = withMargin((now + retryAfterMs - recent[0]) / recent.length);
	}
	return Math.max(previousMs, spacing);
}

/** PACE_AFTER_429 and RETRY_AFTER_FIRST: the state after a 429 at `now`. */
export function after429(
	state: PaceState,
	now: number,
	retryAfterMs: number | undefined,
	limitPerMinute: number | undefined,
): PaceState {
	return {
		...state,
		intervalMs: spacingAfter429(state.intervalMs, now, state.answered, retryAfterMs, limitPerMinute),
		nextSlot: Math.max(state.nextSlot, now + (retryAfterMs ?? 0)),
		last429: now,
	};
}

/** DECAY: whether pacing has lapsed at `now`. */
export function paceLapsed(state: PaceState, now: number): boolean {
	return state.intervalMs > 0 && now - Math.max(state.last429, state.lastWait) >= PACING_DECAY_MS;
}

/**
 * ONE_QUEUE: the slot for a request asking at `now` that may not go before `notBefore`
 * (a retry's own wait): how long it waits, and the state with the slot taken.
 */
export function takeSlot(state: PaceState, now: number, notBefore = now): { delayMs: number; state: PaceState } {
	const current = paceLapsed(state, now) ? { ...state, intervalMs: 0, nextSlot: 0 } : state;
	const slot = Math.max(now, notBefore, current.nextSlot);
	const delayMs = slot - now;
	const paced = current.intervalMs > 0 || current.nextSlot > now;
	return {
		delayMs,
		state: {
			...current,
			nextSlot: current.intervalMs > 0 ? slot + current.intervalMs : current.nextSlot,
			lastWait: paced && delayMs > 0 ? now : current.lastWait,
		},
	};
}

/** ONE_QUEUE: a request that actually went at `sentAt` (later than its slot) moves the next slot on. */
export function sentAt(state: PaceState, at: number): PaceState {
	if (state.intervalMs === 0 || at + state.intervalMs <= state.nextSlot) return state;
	return { ...state, nextSlot: at + state.intervalMs };
}

/** The key of a token's pacing state: a hash of what identifies it, never the token itself. */
export function paceKeyOf(credentialType: string, credentials: IDataObject, connectionId?: string): string {
	const oauth = (credentials.oauthTokenData ?? {}) as IDataObject;
	const identity = [credentials.apiToken, oauth.access_token, credentials.clientId, credentials.clientSecret]
		.map((value) => (typeof value === 'string' ? value : ''))
		.join('\u0000');
	return createHash('sha256')
		.update(`${credentialType}\u0000${String(credentials.baseUrl ?? '')}\u0000${connectionId ?? ''}\u0000${identity}`)
		.digest('hex');
}

/** The state of every token this process paces (or has seen answered), least recently used first. */
const states = new Map<string, PaceState>();

function stateOf(key: string): PaceState {
	const state = states.get(key) ?? newPaceState();
	states.delete(key);
	return state;
}

function store(key: string, state: PaceState): void {
	states.set(key, state);
	while (states.size > MAX_PACED_TOKENS) states.delete(states.keys().next().value as string);
}

/** Takes this request's slot on the token: how long to wait before sending it. */
export function reservePaceSlot(key: string, now: number, notBefore = now): number {
	const { delayMs, state } = takeSlot(stateOf(key), now, notBefore);
	store(key, state);
	return delayMs;
}

/** The request went at `at`. */
export function notePaceSent(key: string, at: number): void {
	const state = states.get(key);
	if (state) states.set(key, sentAt(state, at));
}

/** Makini answered the request sent at `sentAtMs` with something other than 429. */
export function notePaceAnswered(key: string, sentAtMs: number): void {
	const state = stateOf(key);
	state.answered.push(sentAtMs);
	const over = state.answered.length - MAX_OBSERVED_ANSWERS;
	if (over > 0) state.answered.splice(0, over);
	store(key, state);
}

/** Makini answered 429 at `now` with these headers. */
export function notePaceRateLimited(key: string, now: number, retryAfterMs: number | undefined, headers: Record<string, string>): void {
	store(key, after429(stateOf(key), now, retryAfterMs, limitFromHeaders(headers)));
}

/** The state kept for a key (tests). */
export function paceStateOf(key: string): PaceState | undefined {
	return states.get(key);
}

/** How many tokens have state (tests). */
export function pacedTokenCount(): number {
	return states.size;
}

/** Forgets all pacing (tests). */
export function clearPacing(): void {
	states.clear();
}
