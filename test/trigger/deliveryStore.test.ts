import type { IDataObject } from 'n8n-workflow';

import {
	checkTimestamp,
	DATED_MEMORY_ENTRIES,
	DATED_PERSISTED_ENTRIES,
	DeliveryLedger,
	deliveryIdentity,
	ExpiringMap,
	PENDING_MS,
	RETRY_HORIZON_MS,
	type DeliveryIdentity,
} from '../../nodes/MakiniTrigger/deliveryStore';

const undated = (key: string, ttlMs: number): DeliveryIdentity => ({ key, ttlMs, dated: false });
const dated = (key: string): DeliveryIdentity => ({ key, ttlMs: RETRY_HORIZON_MS + 30 * 60_000, dated: true });

/** A request's claim whose execution n8n stored: what claim() found, the claim confirmed when new. */
function take(ledger: DeliveryLedger, identity: DeliveryIdentity, timestampMs: number | null) {
	const found = ledger.claim(identity, timestampMs);
	if (found === 'new') ledger.confirm();
	return found;
}

let scopes = 0;
const scope = () => `store-test-${++scopes}`;
const t0 = Date.parse('2025-06-01T00:00:00Z');

describe('ExpiringMap', () => {
	it('forgets entries once they expire', () => {
		const map = new ExpiringMap(10);
		map.set('a', 1, t0 + 1000);
		expect(map.get('a', t0 + 999)).toBe(1);
		expect(map.get('a', t0 + 1000)).toBeUndefined();
	});

	it('holds at most its limit, dropping the oldest written first', () => {
		const map = new ExpiringMap(3);
		for (const key of ['a', 'b', 'c', 'd']) map.set(key, 1, t0 + 1000);
		expect(map.size).toBe(3);
		expect(map.get('a', t0)).toBeUndefined();
		map.set('b', 2, t0 + 1000); // rewritten: now the newest
		map.set('e', 1, t0 + 1000);
		expect(map.get('b', t0)).toBe(2);
		expect(map.get('c', t0)).toBeUndefined();
	});

	it('lists the newest live entries, oldest first', () => {
		const map = new ExpiringMap(10);
		map.set('a', 1, t0 + 10);
		map.set('b', 2, t0 + 1000);
		map.set('c', 3, t0 + 1000);
		map.set('d', 4, t0 + 1000);
		expect(map.newest(2, t0).map(([k]) => k)).toEqual(['c', 'd']);
		expect(map.newest(10, t0 + 100).map(([k]) => k)).toEqual(['b', 'c', 'd']);
	});
});

describe('DeliveryLedger', () => {
	it('lets a delivery through once; every copy after it is refused', () => {
		const s = scope();
		const first = new DeliveryLedger(s, {}, t0);
		expect(take(first, undated('d1', 60_000), null)).toBe('new');
		expect(take(first, undated('d1', 60_000), null)).toBe('duplicate');
		// Another request in the same process (its own static data copy) sees the memory.
		expect(take(new DeliveryLedger(s, {}, t0 + 1000), undated('d1', 60_000), null)).toBe('duplicate');
		expect(take(new DeliveryLedger(s, {}, t0 + 1000), undated('d2', 60_000), null)).toBe('new');
	});

	it('lets the same identity through again after its time to live', () => {
		const s = scope();
		expect(take(new DeliveryLedger(s, {}, t0), undated('d1', 60_000), null)).toBe('new');
		expect(take(new DeliveryLedger(s, {}, t0 + 59_999), undated('d1', 60_000), null)).toBe('duplicate');
		expect(take(new DeliveryLedger(s, {}, t0 + 60_000), undated('d1', 60_000), null)).toBe('new');
	});

	it('keeps scopes (workflow + node) apart', () => {
		expect(take(new DeliveryLedger(scope(), {}, t0), undated('same', 60_000), null)).toBe('new');
		expect(take(new DeliveryLedger(scope(), {}, t0), undated('same', 60_000), null)).toBe('new');
	});

	it('survives a restart through static data', () => {
		const staticData: IDataObject = {};
		const before = new DeliveryLedger(scope(), staticData, t0);
		take(before, undated('d1', RETRY_HORIZON_MS), null);
		before.persist();
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		// A new scope stands for a fresh process: its memory is empty.
		const after = new DeliveryLedger(scope(), saved, t0 + 23 * 3600_000);
		expect(take(after, undated('d1', RETRY_HORIZON_MS), null)).toBe('duplicate');
		expect(take(after, undated('d2', RETRY_HORIZON_MS), null)).toBe('new');
	});

	it('writes the whole recent memory into static data, so the last save does not lose another execution’s entry', () => {
		const s = scope();
		const copyA: IDataObject = {};
		const copyB: IDataObject = {};
		const a = new DeliveryLedger(s, copyA, t0);
		const b = new DeliveryLedger(s, copyB, t0);
		take(a, undated('dA', RETRY_HORIZON_MS), null);
		take(b, undated('dB', RETRY_HORIZON_MS), null);
		a.persist();
		b.persist();
		// Only B's copy gets saved (last writer wins), yet it holds A's delivery too.
		const restarted = new DeliveryLedger(scope(), JSON.parse(JSON.stringify(copyB)), t0 + 1000);
		expect(take(restarted, undated('dA', RETRY_HORIZON_MS), null)).toBe('duplicate');
		expect(take(restarted, undated('dB', RETRY_HORIZON_MS), null)).toBe('duplicate');
	});

	it('bounds what it writes into static data', () => {
		const staticData: IDataObject = {};
		const ledger = new DeliveryLedger(scope(), staticData, t0);
		for (let i = 0; i < 3000; i++) take(ledger, undated(`d${i}`, RETRY_HORIZON_MS), null);
		ledger.persist();
		const stored = staticData.makiniDeliveries as { deliveries: string };
		const keys = stored.deliveries.split(',').map((entry) => entry.split(' ')[0]);
		expect(keys.length).toBeGreaterThan(0);
		expect(keys.length).toBeLessThanOrEqual(1000);
		expect(keys).toContain('d2999');
		expect(keys).not.toContain('d0');
	});

	it('writes each list as one string, so n8n walks no list elements when it loads static data', () => {
		// n8n parses static data from the database and wraps it in a change-tracking proxy on
		// each webhook call and execution, walking every element of every list.
		const staticData: IDataObject = {};
		const ledger = new DeliveryLedger(scope(), staticData, t0);
		for (let i = 0; i < 50; i++) take(ledger, undated(`d${i}`, RETRY_HORIZON_MS), null);
		ledger.noteTime('wo-1', t0);
		ledger.persist();
		const stored = staticData.makiniDeliveries as Record<string, unknown>;
		expect(stored.v).toBe(3);
		for (const list of ['deliveries', 'newest', 'dated', 'e']) expect(typeof stored[list]).toBe('string');
		expect((stored.deliveries as string).split(',')).toHaveLength(50);
		expect(stored.newest).toBe(`wo-1 ${t0.toString(36)} ${(t0 + RETRY_HORIZON_MS).toString(36)}`);
		// Read back by another process (a fresh memory): the same deliveries and times.
		const other = new DeliveryLedger(scope(), JSON.parse(JSON.stringify(staticData)), t0 + 1);
		expect(take(other, undated('d0', RETRY_HORIZON_MS), null)).toBe('duplicate');
		expect(take(other, undated('d49', RETRY_HORIZON_MS), null)).toBe('duplicate');
		expect(take(other, undated('d50', RETRY_HORIZON_MS), null)).toBe('new');
		expect(other.isOutdated('wo-1', t0 - 1)).toBe(true);
		expect(other.isOutdated('wo-1', t0 + 1)).toBe(false);
	});

	it('skips malformed entries of a packed list instead of trusting them', () => {
		const e = (t0 + RETRY_HORIZON_MS).toString(36);
		const saved: IDataObject = {
			makiniDeliveries: { v: 3, w: 'elsewhere.1', deliveries: `ok ${t0.toString(36)} ${e},bad 1 2 ${e},x ? ${e},,y ${t0.toString(36)},z ${t0.toString(36)} ${e}${e}`, newest: '', dated: '', f: 0, e: '' },
		};
		const ledger = new DeliveryLedger(scope(), saved, t0 + 1);
		expect(take(ledger, undated('ok', RETRY_HORIZON_MS), null)).toBe('duplicate');
		for (const key of ['bad', 'x', 'y', 'z']) expect(take(ledger, undated(key, RETRY_HORIZON_MS), null)).toBe('new');
	});

	it('still reads the first layout (key → [value, expiresAt]) saved by earlier versions', () => {
		const saved: IDataObject = {
			makiniDeliveries: { v: 1, deliveries: { d1: [t0, t0 + RETRY_HORIZON_MS] }, newest: { 'wo-1': [t0, t0 + RETRY_HORIZON_MS] } },
		};
		const ledger = new DeliveryLedger(scope(), saved, t0 + 1000);
		expect(take(ledger, undated('d1', RETRY_HORIZON_MS), null)).toBe('duplicate');
		expect(ledger.isOutdated('wo-1', t0 - 1)).toBe(true);
	});

	it('merges a ledger another process saved into a memory that has written one of its own', () => {
		const s = scope();
		const mine = new DeliveryLedger(s, {}, t0);
		take(mine, undated('mine', RETRY_HORIZON_MS), null);
		mine.persist();
		// Saved by another n8n process (queue mode, or before a restart): merged, not mistaken for this one's write.
		const foreign: IDataObject = { makiniDeliveries: { v: 2, w: 'elsewhere.1', deliveries: ['theirs', t0, t0 + RETRY_HORIZON_MS], newest: [] } };
		const ledger = new DeliveryLedger(s, foreign, t0 + 1);
		expect(take(ledger, undated('theirs', RETRY_HORIZON_MS), null)).toBe('duplicate');
		expect(take(ledger, undated('mine', RETRY_HORIZON_MS), null)).toBe('duplicate');
	});

	it('does not merge back an earlier write of its own memory: an entry let go since stays gone', () => {
		const s = scope();
		// Two deliveries arrive together: each reads the static data as it was, then writes.
		const staticData: IDataObject = {};
		const first = new DeliveryLedger(s, staticData, t0);
		const old = undated('old', RETRY_HORIZON_MS);
		expect(take(first, old, null)).toBe('new');
		first.persist();
		const earlier = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		// The memory lets it go (pushed out by 5,000 newer deliveries).
		for (let i = 0; i < 5000; i++) take(first, undated(`n${i}`, RETRY_HORIZON_MS), null);
		// A request that read the earlier write must not bring it back.
		const late = new DeliveryLedger(s, earlier, t0 + 1);
		expect(take(late, old, null)).toBe('new');
		// The same write read by a fresh memory (another process, or after a restart) is merged.
		const restarted = new DeliveryLedger(scope(), JSON.parse(JSON.stringify(earlier)), t0 + 2);
		expect(take(restarted, old, null)).toBe('duplicate');
	});

	it('keeps a claim pending until n8n stored its execution: copies wait, static data never holds it, a release lets the retry run', async () => {
		const s = scope();
		const staticData: IDataObject = {};
		const first = new DeliveryLedger(s, staticData, t0);
		const delivery = undated('pending', RETRY_HORIZON_MS);
		expect(first.claim(delivery, null)).toBe('new');
		first.persist();
		// Not in static data: a restart (or another process reading it) judges it new.
		expect(new DeliveryLedger(scope(), JSON.parse(JSON.stringify(staticData)), t0 + 1).claim(delivery, null)).toBe('new');
		// A copy in this process is told it is pending, and what it ends in.
		const copy = new DeliveryLedger(s, {}, t0 + 1);
		expect(copy.claim(delivery, null)).toBe('pending');
		const ranOut = () => Promise.resolve();
		const never = () => new Promise<void>(() => undefined);
		expect(await copy.settled(delivery, 1, ranOut)).toBe('pending');
		const outcome = copy.settled(delivery, 5000, never);
		first.release();
		expect(await outcome).toBe('released');
		// Released: the retry takes its place, and once stored every later copy is a duplicate.
		const retry = new DeliveryLedger(s, staticData, t0 + 2);
		expect(retry.claim(delivery, null)).toBe('new');
		const stored = new DeliveryLedger(s, {}, t0 + 3).settled(delivery, 5000, never);
		retry.confirm();
		expect(await stored).toBe('stored');
		retry.persist();
		expect(take(new DeliveryLedger(scope(), JSON.parse(JSON.stringify(staticData)), t0 + 4), delivery, null)).toBe('duplicate');
	});

	it('forgets a claim n8n never settled after PENDING_MS: a copy then runs', () => {
		const s = scope();
		const delivery = undated('stuck', RETRY_HORIZON_MS);
		expect(new DeliveryLedger(s, {}, t0).claim(delivery, null)).toBe('new');
		expect(new DeliveryLedger(s, {}, t0 + PENDING_MS - 1).claim(delivery, null)).toBe('pending');
		expect(new DeliveryLedger(s, {}, t0 + PENDING_MS).claim(delivery, null)).toBe('new');
	});

	it('restores what Resolve Records marked emitted when the claim is released', () => {
		const s = scope();
		const ledger = new DeliveryLedger(s, {}, t0);
		expect(take(ledger, undated('first', RETRY_HORIZON_MS), null)).toBe('new');
		expect(ledger.takeChanged('rec', 100)).toBe(true);
		const next = new DeliveryLedger(s, {}, t0 + 1);
		expect(next.claim(undated('second', RETRY_HORIZON_MS), null)).toBe('new');
		expect(next.takeChanged('rec', 200)).toBe(true);
		expect(next.takeChanged('other', 50)).toBe(true);
		next.release();
		const retry = new DeliveryLedger(s, {}, t0 + 2);
		expect(retry.takeChanged('rec', 100)).toBe(false);
		expect(retry.takeChanged('rec', 200)).toBe(true);
		expect(retry.takeChanged('other', 50)).toBe(true);
	});

	it('ignores static data it does not understand', () => {
		const ledger = new DeliveryLedger(scope(), { makiniDeliveries: { v: 99, deliveries: { d1: [t0, t0 + 1e9] } } }, t0);
		expect(take(ledger, undated('d1', 1000), null)).toBe('new');
		const broken = new DeliveryLedger(scope(), { makiniDeliveries: { v: 1, deliveries: { d1: 'x' } } } as IDataObject, t0);
		expect(take(broken, undated('d1', 1000), null)).toBe('new');
	});

	it('tracks the newest event time per record', () => {
		const ledger = new DeliveryLedger(scope(), {}, t0);
		expect(ledger.isOutdated('wo-1', t0 - 5000)).toBe(false);
		ledger.noteTime('wo-1', t0);
		expect(ledger.isOutdated('wo-1', t0 - 1)).toBe(true);
		expect(ledger.isOutdated('wo-1', t0)).toBe(false);
		ledger.noteTime('wo-1', t0 - 10_000); // older: does not move the newest back
		expect(ledger.isOutdated('wo-1', t0 - 1)).toBe(true);
		expect(ledger.isOutdated('wo-2', t0 - 1)).toBe(false);
	});
});

describe('dated deliveries', () => {
	it('are remembered for the retry horizon, across a restart through static data', () => {
		const s = scope();
		const staticData: IDataObject = {};
		const first = new DeliveryLedger(s, staticData, t0);
		expect(take(first, dated('x'), t0)).toBe('new');
		first.persist();
		expect(take(new DeliveryLedger(s, staticData, t0 + 23 * 3600_000), dated('x'), t0)).toBe('duplicate');
		// A restarted process (another scope name, same static data) still knows it.
		expect(take(new DeliveryLedger(scope(), staticData, t0 + 23 * 3600_000), dated('x'), t0)).toBe('duplicate');
	});

	it('past the memory bound, refuse what may be a replay of a forgotten one and judge newer ones exactly', () => {
		const s = scope();
		const ledger = new DeliveryLedger(s, {}, t0);
		for (let i = 0; i <= DATED_MEMORY_ENTRIES; i++) expect(take(ledger, dated(`d${i}`), t0 - 3600_000 + i)).toBe('new');
		// d0 was pushed out: its replay is not run again.
		expect(ledger.forgottenBefore).toBe(t0 - 3600_000);
		expect(take(ledger, dated('d0'), t0 - 3600_000)).toBe('forgotten');
		expect(take(ledger, dated('d1'), t0 - 3600_000 + 1)).toBe('duplicate');
		expect(take(ledger, dated('new'), t0 - 3600_000 + 1)).toBe('new');
	});

	it('left out of static data raise its floor, so a restart refuses their replays rather than running them', () => {
		const s = scope();
		const staticData: IDataObject = {};
		const ledger = new DeliveryLedger(s, staticData, t0);
		const count = DATED_PERSISTED_ENTRIES + 10;
		for (let i = 0; i < count; i++) take(ledger, dated(`p${i}`), t0 - 60_000 + i);
		ledger.persist();
		const restarted = new DeliveryLedger(scope(), staticData, t0 + 1000);
		expect(restarted.forgottenBefore).toBe(t0 - 60_000 + 9);
		expect(take(restarted, dated('p0'), t0 - 60_000)).toBe('forgotten');
		expect(take(restarted, dated(`p${count - 1}`), t0 - 60_000 + count - 1)).toBe('duplicate');
		expect(take(restarted, dated('fresh'), t0)).toBe('new');
	});
});

describe('checkTimestamp', () => {
	const skew = 15 * 60_000;
	it('accepts anything within the 24-hour retry period plus the skew, and up to the skew ahead', () => {
		expect(checkTimestamp(t0 - RETRY_HORIZON_MS - skew, t0, skew)).toBe('fresh');
		expect(checkTimestamp(t0 - RETRY_HORIZON_MS - skew - 1, t0, skew)).toBe('stale');
		expect(checkTimestamp(t0 + skew, t0, skew)).toBe('fresh');
		expect(checkTimestamp(t0 + skew + 1, t0, skew)).toBe('future');
		expect(checkTimestamp(null, t0, skew)).toBe('unchecked');
	});
});

describe('deliveryIdentity', () => {
	const fingerprint = 'f'.repeat(64);

	it('is the body fingerprint alone, never a caller-chosen ID', () => {
		const a = deliveryIdentity({ fingerprint, dated: false, windowMs: 120_000, skewMs: 0 });
		expect(a).toEqual({ key: expect.any(String), ttlMs: 120_000, dated: false });
		expect(deliveryIdentity({ fingerprint: 'e'.repeat(64), dated: false, windowMs: 120_000, skewMs: 0 }).key).not.toBe(a.key);
	});

	it('is remembered for the retry horizon plus the skew either way when dated, for the window when not', () => {
		expect(deliveryIdentity({ fingerprint, dated: true, windowMs: 120_000, skewMs: 60_000 }).ttlMs).toBe(RETRY_HORIZON_MS + 120_000);
		expect(deliveryIdentity({ fingerprint, dated: false, windowMs: 120_000, skewMs: 60_000 }).ttlMs).toBe(120_000);
	});
});
