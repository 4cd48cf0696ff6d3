import type { IDataObject } from 'n8n-workflow';

import {
	DeliveryLedger,
	deliveryIdentity,
	ExpiringMap,
	RETRY_HORIZON_MS,
} from '../../nodes/MakiniTrigger/deliveryStore';

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
		expect(first.claim('d1', 60_000)).toBe(true);
		expect(first.claim('d1', 60_000)).toBe(false);
		// Another request in the same process (its own static data copy) sees the memory.
		expect(new DeliveryLedger(s, {}, t0 + 1000).claim('d1', 60_000)).toBe(false);
		expect(new DeliveryLedger(s, {}, t0 + 1000).claim('d2', 60_000)).toBe(true);
	});

	it('lets the same identity through again after its time to live', () => {
		const s = scope();
		expect(new DeliveryLedger(s, {}, t0).claim('d1', 60_000)).toBe(true);
		expect(new DeliveryLedger(s, {}, t0 + 59_999).claim('d1', 60_000)).toBe(false);
		expect(new DeliveryLedger(s, {}, t0 + 60_000).claim('d1', 60_000)).toBe(true);
	});

	it('keeps scopes (workflow + node) apart', () => {
		expect(new DeliveryLedger(scope(), {}, t0).claim('same', 60_000)).toBe(true);
		expect(new DeliveryLedger(scope(), {}, t0).claim('same', 60_000)).toBe(true);
	});

	it('survives a restart through static data', () => {
		const staticData: IDataObject = {};
		const before = new DeliveryLedger(scope(), staticData, t0);
		before.claim('d1', RETRY_HORIZON_MS);
		before.persist();
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		// A new scope stands for a fresh process: its memory is empty.
		const after = new DeliveryLedger(scope(), saved, t0 + 23 * 3600_000);
		expect(after.claim('d1', RETRY_HORIZON_MS)).toBe(false);
		expect(after.claim('d2', RETRY_HORIZON_MS)).toBe(true);
	});

	it('writes the whole recent memory into static data, so the last save does not lose another execution’s entry', () => {
		const s = scope();
		const copyA: IDataObject = {};
		const copyB: IDataObject = {};
		const a = new DeliveryLedger(s, copyA, t0);
		const b = new DeliveryLedger(s, copyB, t0);
		a.claim('dA', RETRY_HORIZON_MS);
		b.claim('dB', RETRY_HORIZON_MS);
		a.persist();
		b.persist();
		// Only B's copy gets saved (last writer wins), yet it holds A's delivery too.
		const restarted = new DeliveryLedger(scope(), JSON.parse(JSON.stringify(copyB)), t0 + 1000);
		expect(restarted.claim('dA', RETRY_HORIZON_MS)).toBe(false);
		expect(restarted.claim('dB', RETRY_HORIZON_MS)).toBe(false);
	});

	it('bounds what it writes into static data', () => {
		const staticData: IDataObject = {};
		const ledger = new DeliveryLedger(scope(), staticData, t0);
		for (let i = 0; i < 3000; i++) ledger.claim(`d${i}`, RETRY_HORIZON_MS);
		ledger.persist();
		const stored = staticData.makiniDeliveries as { deliveries: unknown[] };
		const keys = stored.deliveries.filter((_, i) => i % 3 === 0);
		expect(keys.length).toBeGreaterThan(0);
		expect(keys.length).toBeLessThanOrEqual(1000);
		expect(keys).toContain('d2999');
		expect(keys).not.toContain('d0');
	});

	it('writes flat lists of text and numbers, one object in all instead of one per entry', () => {
		// n8n parses static data from the database and wraps every object of it in a proxy on
		// each webhook call: a thousand entries as pairs cost a thousand objects per delivery.
		const staticData: IDataObject = {};
		const ledger = new DeliveryLedger(scope(), staticData, t0);
		for (let i = 0; i < 50; i++) ledger.claim(`d${i}`, RETRY_HORIZON_MS);
		ledger.noteTime('wo-1', t0);
		ledger.persist();
		const stored = staticData.makiniDeliveries as { v: number; deliveries: unknown[]; newest: unknown[] };
		expect(stored.v).toBe(2);
		expect(stored.deliveries).toHaveLength(150);
		expect(stored.deliveries.every((value) => typeof value === 'string' || typeof value === 'number')).toBe(true);
		expect(stored.newest).toEqual(['wo-1', t0, t0 + RETRY_HORIZON_MS]);
	});

	it('still reads the first layout (key → [value, expiresAt]) saved by earlier versions', () => {
		const saved: IDataObject = {
			makiniDeliveries: { v: 1, deliveries: { d1: [t0, t0 + RETRY_HORIZON_MS] }, newest: { 'wo-1': [t0, t0 + RETRY_HORIZON_MS] } },
		};
		const ledger = new DeliveryLedger(scope(), saved, t0 + 1000);
		expect(ledger.claim('d1', RETRY_HORIZON_MS)).toBe(false);
		expect(ledger.isOutdated('wo-1', t0 - 1)).toBe(true);
	});

	it('merges a ledger another process saved into a memory that has written one of its own', () => {
		const s = scope();
		const mine = new DeliveryLedger(s, {}, t0);
		mine.claim('mine', RETRY_HORIZON_MS);
		mine.persist();
		// Saved by another n8n process (queue mode, or before a restart): merged, not mistaken for this one's write.
		const foreign: IDataObject = { makiniDeliveries: { v: 2, w: 'elsewhere.1', deliveries: ['theirs', t0, t0 + RETRY_HORIZON_MS], newest: [] } };
		const ledger = new DeliveryLedger(s, foreign, t0 + 1);
		expect(ledger.claim('theirs', RETRY_HORIZON_MS)).toBe(false);
		expect(ledger.claim('mine', RETRY_HORIZON_MS)).toBe(false);
	});

	it('ignores static data it does not understand', () => {
		const ledger = new DeliveryLedger(scope(), { makiniDeliveries: { v: 99, deliveries: { d1: [t0, t0 + 1e9] } } }, t0);
		expect(ledger.claim('d1', 1000)).toBe(true);
		const broken = new DeliveryLedger(scope(), { makiniDeliveries: { v: 1, deliveries: { d1: 'x' } } } as IDataObject, t0);
		expect(broken.claim('d1', 1000)).toBe(true);
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

describe('deliveryIdentity', () => {
	const fingerprint = 'f'.repeat(64);

	it('prefers the delivery ID, remembered for the whole retry horizon', () => {
		const withId = deliveryIdentity({ deliveryId: 'dlv_1', fingerprint, hasTimestamp: false, windowMs: 120_000 });
		expect(withId).toMatchObject({ basis: 'deliveryId', ttlMs: RETRY_HORIZON_MS });
		expect(withId.key).not.toContain('dlv_1');
		const otherId = deliveryIdentity({ deliveryId: 'dlv_2', fingerprint, hasTimestamp: false, windowMs: 120_000 });
		expect(otherId.key).not.toBe(withId.key);
	});

	it('falls back to the body: for the retry horizon with a timestamp, for the window without', () => {
		expect(deliveryIdentity({ deliveryId: undefined, fingerprint, hasTimestamp: true, windowMs: 120_000 })).toMatchObject({
			basis: 'fingerprint',
			ttlMs: RETRY_HORIZON_MS,
		});
		expect(deliveryIdentity({ deliveryId: undefined, fingerprint, hasTimestamp: false, windowMs: 120_000 })).toMatchObject({
			basis: 'fingerprint',
			ttlMs: 120_000,
		});
	});
});
