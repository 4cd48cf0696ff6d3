import type { IDataObject } from 'n8n-workflow';

import { BACKLOG_LIMIT, BACKLOG_MAX_AGE_MS, BACKLOG_STALE_MS, WriteBacklog } from '../../nodes/MakiniTrigger/backlog';
import { DeliveryLedger, RETRY_HORIZON_MS } from '../../nodes/MakiniTrigger/deliveryStore';

const t0 = Date.parse('2025-06-01T00:00:00Z');
let scopes = 0;
const scope = () => `backlog-test-${++scopes}`;
const identity = (key: string) => ({ key, ttlMs: RETRY_HORIZON_MS, dated: false });

describe('WriteBacklog', () => {
	it('counts writes handed to n8n until one of them, or a later one, is seen saved', () => {
		const backlog = new WriteBacklog(3, 10_000, 5_000);
		backlog.handed(1, t0);
		backlog.handed(2, t0);
		backlog.handed(3, t0);
		expect(backlog.full(t0)).toBe(true);
		backlog.saved(2);
		expect(backlog.pending(t0)).toBe(1);
		expect(backlog.full(t0)).toBe(false);
		backlog.saved(7);
		expect(backlog.pending(t0)).toBe(0);
	});

	it('stops counting a write never seen saved after the stale time, so it never refuses forever', () => {
		const backlog = new WriteBacklog(2, 10_000, 20_000);
		backlog.handed(1, t0);
		backlog.handed(2, t0 + 5_000);
		expect(backlog.full(t0 + 9_999)).toBe(true);
		expect(backlog.pending(t0 + 10_000)).toBe(1);
		expect(backlog.pending(t0 + 15_000)).toBe(0);
	});

	it('is full while the oldest unseen write is older than the longest n8n may take to save one', () => {
		const backlog = new WriteBacklog(100, 30_000, 3_000);
		backlog.handed(1, t0);
		backlog.handed(2, t0 + 2_000);
		expect(backlog.full(t0 + 2_999)).toBe(false);
		expect(backlog.full(t0 + 3_000)).toBe(true);
		backlog.saved(1);
		expect(backlog.full(t0 + 3_000)).toBe(false);
		expect(backlog.full(t0 + 5_000)).toBe(true);
		backlog.saved(2);
		expect(backlog.full(t0 + 60_000)).toBe(false);
	});
});

describe('DeliveryLedger backpressure', () => {
	it('is full once the limit of accepted deliveries has written a ledger n8n has not saved yet', () => {
		const s = scope();
		for (let i = 0; i < BACKLOG_LIMIT; i++) {
			// Every request reads static data as the database holds it: nothing saved yet.
			const ledger = new DeliveryLedger(s, {}, t0 + i);
			expect(ledger.backlogFull).toBe(false);
			expect(ledger.claim(identity(`d${i}`), null)).toBe('new');
			ledger.persist();
		}
		expect(new DeliveryLedger(s, {}, t0 + BACKLOG_LIMIT).backlogFull).toBe(true);
	});

	it('empties when a request reads back a ledger this process wrote, and only this process', () => {
		const s = scope();
		let last: IDataObject = {};
		for (let i = 0; i < BACKLOG_LIMIT; i++) {
			last = {};
			const ledger = new DeliveryLedger(s, last, t0);
			ledger.claim(identity(`e${i}`), null);
			ledger.persist();
		}
		const saved = JSON.parse(JSON.stringify(last)) as IDataObject;
		// Another process's ledger (another write name) says nothing about this one's writes.
		const foreign = JSON.parse(JSON.stringify(saved)) as { makiniDeliveries: { w: string; p: Array<string | number> } };
		foreign.makiniDeliveries.w = `other000.${Number.MAX_SAFE_INTEGER}`;
		foreign.makiniDeliveries.p = ['other000', Number.MAX_SAFE_INTEGER];
		expect(new DeliveryLedger(s, foreign as unknown as IDataObject, t0).backlogFull).toBe(true);
		expect(new DeliveryLedger(s, saved, t0).backlogFull).toBe(false);
	});

	it('forgets unseen writes after the stale time', () => {
		const s = scope();
		for (let i = 0; i < BACKLOG_LIMIT; i++) {
			const ledger = new DeliveryLedger(s, {}, t0);
			ledger.claim(identity(`f${i}`), null);
			ledger.persist();
		}
		expect(new DeliveryLedger(s, {}, t0 + BACKLOG_STALE_MS - 1).backlogFull).toBe(true);
		expect(new DeliveryLedger(s, {}, t0 + BACKLOG_STALE_MS).backlogFull).toBe(false);
	});

	it('is full when n8n takes longer than the limit to save a write, empty once it is seen saved', () => {
		const s = scope();
		const staticData: IDataObject = {};
		const ledger = new DeliveryLedger(s, staticData, t0);
		ledger.claim(identity('slow'), null);
		ledger.persist();
		expect(new DeliveryLedger(s, {}, t0 + BACKLOG_MAX_AGE_MS - 1).backlogFull).toBe(false);
		expect(new DeliveryLedger(s, {}, t0 + BACKLOG_MAX_AGE_MS).backlogFull).toBe(true);
		expect(new DeliveryLedger(s, JSON.parse(JSON.stringify(staticData)) as IDataObject, t0 + BACKLOG_MAX_AGE_MS).backlogFull).toBe(false);
	});

	it('learns that a write was saved from another process’s ledger that passed its mark on (queue mode)', () => {
		const s = scope();
		let mine: IDataObject = {};
		for (let i = 0; i < BACKLOG_LIMIT; i++) {
			mine = {};
			const ledger = new DeliveryLedger(s, mine, t0);
			ledger.claim(identity(`g${i}`), null);
			ledger.persist();
		}
		const written = (mine.makiniDeliveries as { w: string; p: Array<string | number> });
		const [tag, n] = written.p;
		expect(written.w).toBe(`${String(tag)}.${String(n)}`);
		// Another webhook process read this one's ledger, then saved its own over it.
		const theirs = { makiniDeliveries: { v: 2, w: 'other000.7', deliveries: [], newest: [], p: ['other000', 7, tag, n] } } as unknown as IDataObject;
		const withoutMark = { makiniDeliveries: { v: 2, w: 'other000.8', deliveries: [], newest: [], p: ['other000', 8] } } as unknown as IDataObject;
		expect(new DeliveryLedger(s, withoutMark, t0).backlogFull).toBe(true);
		const reader = new DeliveryLedger(s, theirs, t0);
		expect(reader.backlogFull).toBe(false);
		// And this process passes the other's mark on in its next write.
		const next: IDataObject = {};
		const ledger = new DeliveryLedger(s, next, t0);
		ledger.persist();
		expect((next.makiniDeliveries as { p: Array<string | number> }).p).toEqual(expect.arrayContaining(['other000', 8]));
	});
});
