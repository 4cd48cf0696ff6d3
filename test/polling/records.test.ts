/**
 * Makini Record Changes Trigger against the sandbox: what it emits is compared with what
 * the sandbox changed between polls, so a missed, repeated or misclassified record fails.
 */
import type { IDataObject } from 'n8n-workflow';

import { CLOCK_MARGIN_MS } from '../../nodes/MakiniRecordChangesTrigger/changes';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { WATCHED_RESOURCES } from '../../nodes/MakiniRecordChangesTrigger/resources';
import type { SandboxHandle } from '../../sandbox';
import { credentialsOf, Poller, prng, startProxy, useSandbox } from './helpers';

const node = new MakiniRecordChangesTrigger();
type Kind = 'new' | 'updated';

/** What the sandbox changed since the last drain, key → how the trigger should report it. */
class Ledger {
	readonly expected = new Map<string, Kind>();

	insert(records: IDataObject[]) {
		for (const r of records) this.expected.set(String(r.key), 'new');
	}

	update(records: IDataObject[]) {
		for (const r of records) if (!this.expected.has(String(r.key))) this.expected.set(String(r.key), 'updated');
	}
}

interface Verdict {
	missed: string[];
	duplicated: string[];
	unexpected: string[];
	misclassified: string[];
}

function judge(ledger: Ledger, emitted: IDataObject[]): Verdict {
	const count = new Map<string, number>();
	for (const item of emitted) count.set(String(item.key), (count.get(String(item.key)) ?? 0) + 1);
	return {
		missed: [...ledger.expected.keys()].filter((key) => !count.has(key)),
		duplicated: [...count].filter(([, n]) => n > 1).map(([key]) => key),
		unexpected: [...count.keys()].filter((key) => !ledger.expected.has(key)),
		misclassified: emitted.filter((item) => ledger.expected.get(String(item.key)) !== item.makiniChange).map((i) => String(i.key)),
	};
}

/** Polls until a poll emits nothing, as the next minutes' polls would. */
async function drain(poller: Poller, maxPolls = 50): Promise<IDataObject[]> {
	const emitted: IDataObject[] = [];
	for (let i = 0; i < maxPolls; i++) {
		const batch = await poller.poll();
		if (!batch.length) return emitted;
		emitted.push(...batch);
	}
	throw new Error(`still emitting after ${maxPolls} polls`);
}

/** Now, as Makini's sandbox stamps records: whole seconds (so changes within a second share a timestamp). */
function syncStamp(): string {
	return new Date().toISOString().slice(0, 19) + 'Z';
}

function workOrders(sb: SandboxHandle): IDataObject[] {
	return sb.admin.listRecords({ collection: 'work-orders' }) as unknown as IDataObject[];
}

function insertWorkOrders(sb: SandboxHandle, count: number, stamp?: string, title = 'Polling test'): IDataObject[] {
	const records = Array.from({ length: count }, (_, i) => ({
		title: `${title} ${i}`,
		...(stamp ? { createdAt: stamp, updatedAt: stamp } : {}),
	}));
	return sb.admin.upsertRecords({ collection: 'work-orders', records }) as unknown as IDataObject[];
}

function updateWorkOrders(sb: SandboxHandle, keys: string[], stamp?: string): IDataObject[] {
	const records = keys.map((key) => ({ key, notes: `changed ${Math.random()}`, ...(stamp ? { updatedAt: stamp } : {}) }));
	return sb.admin.upsertRecords({ collection: 'work-orders', records }) as unknown as IDataObject[];
}

describe('Makini Record Changes Trigger: cursor', () => {
	// Small pages, so that ties and batches cross page boundaries.
	const env = useSandbox({ maxPageSize: 10 });

	test('the first poll starts from now and emits nothing; an idle poll emits nothing', async () => {
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(env.sb));
		expect(await poller.poll()).toEqual([]);
		expect(poller.staticData.makiniRecordChanges).toMatchObject({ kind: 'timestamp' });
		expect(await poller.poll()).toEqual([]);
	});

	test('inserts and updates between polls: every change once, new told from updated (20 rounds)', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder', options: { maxRecords: 15 } }, credentialsOf(sb));
		expect(await poller.poll()).toEqual([]);
		const random = prng(20240501);
		const totals = { rounds: 0, changes: 0, emitted: 0, missed: 0, duplicated: 0, unexpected: 0, misclassified: 0 };
		for (let round = 0; round < 20; round++) {
			const ledger = new Ledger();
			const steps = 1 + Math.floor(random() * 6);
			for (let step = 0; step < steps; step++) {
				const all = workOrders(sb);
				const pick = (n: number) => Array.from({ length: n }, () => String(all[Math.floor(random() * all.length)].key));
				const choice = random();
				// A batch stamped with one timestamp, as one sync writes it: larger than a page and than the poll limit.
				const stamp = random() < 0.4 ? syncStamp() : undefined;
				if (choice < 0.35) ledger.insert(insertWorkOrders(sb, 1 + Math.floor(random() * 25), stamp));
				else if (choice < 0.8) ledger.update(updateWorkOrders(sb, [...new Set(pick(1 + Math.floor(random() * 25)))], stamp));
				else {
					// Inserted, then updated before the next poll: still one "new" item.
					const inserted = insertWorkOrders(sb, 3, stamp);
					ledger.insert(inserted);
					ledger.update(updateWorkOrders(sb, inserted.map((r) => String(r.key))));
				}
			}
			const emitted = await drain(poller);
			const verdict = judge(ledger, emitted);
			totals.rounds++;
			totals.changes += ledger.expected.size;
			totals.emitted += emitted.length;
			totals.missed += verdict.missed.length;
			totals.duplicated += verdict.duplicated.length;
			totals.unexpected += verdict.unexpected.length;
			totals.misclassified += verdict.misclassified.length;
			expect(verdict).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
		}
		console.log(`record polling: ${totals.rounds} rounds, ${poller.polls} polls, ${totals.changes} changed records, ${totals.emitted} emitted, ${totals.missed} missed, ${totals.duplicated} duplicated, ${totals.misclassified} misclassified`);
		expect(totals.emitted).toBe(totals.changes);
	});

	test('many records sharing one timestamp across page boundaries and the poll limit', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder', options: { maxRecords: 7 } }, credentialsOf(sb));
		await poller.poll();
		const stamp = syncStamp();
		const ledger = new Ledger();
		ledger.insert(insertWorkOrders(sb, 34, stamp));
		const batches: number[] = [];
		const emitted: IDataObject[] = [];
		for (let batch = await poller.poll(); batch.length; batch = await poller.poll()) {
			batches.push(batch.length);
			emitted.push(...batch);
		}
		expect(batches).toEqual([7, 7, 7, 7, 6]);
		expect(judge(ledger, emitted)).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
		// The boundary keys are remembered; nothing older than the cursor is. The cursor is at
		// the stamp, held back to Makini's clock less the margin (the stamp is "now").
		const cursor = poller.staticData.makiniRecordChanges as { cursor: string; seen: Array<[string, string]> };
		expect(Date.parse(cursor.cursor)).toBeLessThanOrEqual(Date.parse(stamp));
		expect(Date.parse(cursor.cursor)).toBeGreaterThanOrEqual(Date.parse(stamp) - CLOCK_MARGIN_MS - 1000);
		expect([...ledger.expected.keys()].every((key) => cursor.seen.some(([seen]) => seen === key))).toBe(true);
		expect(cursor.seen.every(([, mark]) => Date.parse(mark.split('|')[0]) >= Date.parse(cursor.cursor))).toBe(true);
	});

	test.each([
		['ignores filter[key:gt]', 'filter[key:gt]', (query: URLSearchParams) => void query.delete('filter[key:gt]')],
		['refuses sort[key]', 'sort[key]', (query: URLSearchParams) => (query.has('sort[key]') ? 400 : undefined)],
	])('a timestamp shared by more than a page, on a server that %s', async (_name, parameter, rewrite) => {
		const { sb } = env;
		let hits = 0;
		const proxy = await startProxy(sb.url, (query) => {
			if (query.has(parameter)) hits++;
			return rewrite(query);
		});
		try {
			const credentials = credentialsOf({ ...sb, url: proxy.url });
			const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentials);
			await poller.poll();
			const ledger = new Ledger();
			ledger.insert(insertWorkOrders(sb, 27, syncStamp()));
			expect(judge(ledger, await drain(poller))).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
			// The timestamp was read on its own, so the server's quirk was met.
			expect(hits).toBeGreaterThan(0);
		} finally {
			await proxy.close();
		}
	});

	test('more records than one page, with records updated while the poll pages through', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		await poller.poll();
		const inserted = insertWorkOrders(sb, 45).map((r) => String(r.key));
		// Each page answers late; meanwhile early records are updated and move to the end of the order.
		sb.admin.injectLatency({ ms: 15, calls: 6, path: '/api/eam/work-orders' });
		const updated = [0, 3, 6, 9, 12].map((i) => inserted[i]);
		const during = (async () => {
			for (const key of updated) {
				await new Promise((resolve) => setTimeout(resolve, 10));
				updateWorkOrders(sb, [key]);
			}
		})();
		const first = await poller.poll();
		await during;
		const emitted = [...first, ...(await drain(poller))];
		const times = (key: string) => emitted.filter((r) => String(r.key) === key);
		// Nothing missed, nothing foreign; an untouched record exactly once, as new.
		expect(inserted.filter((key) => !times(key).length)).toEqual([]);
		expect(emitted.filter((r) => !inserted.includes(String(r.key)))).toEqual([]);
		for (const key of inserted.filter((k) => !updated.includes(k))) {
			expect(times(key).map((r) => r.makiniChange)).toEqual(['new']);
		}
		// A record changed again after the poll read it comes once more, for that change, ending on its final state.
		for (const key of updated) {
			const seen = times(key);
			expect(seen.length).toBeLessThanOrEqual(2);
			expect(seen[0].makiniChange).toBe('new');
			expect(seen[seen.length - 1].notes).toBe(sb.admin.getRecord({ collection: 'work-orders', key })!.notes);
		}
	});

	test('manual runs return a sample and leave the cursor where it was', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		await poller.poll();
		const ledger = new Ledger();
		ledger.insert(insertWorkOrders(sb, 4));
		const before = structuredClone(poller.staticData);
		const sample = await poller.manual();
		expect(sample.length).toBeGreaterThan(0);
		expect(sample.length).toBeLessThanOrEqual(5);
		for (const item of sample) expect(['new', 'updated']).toContain(item.makiniChange);
		// The most recently changed records come first.
		const newest = Math.max(...workOrders(sb).map((r) => Date.parse(String(r.updatedAt))));
		expect(Date.parse(String(sample[0].updatedAt))).toBe(newest);
		expect(poller.staticData).toEqual(before);
		// The activated trigger still emits the changes the manual run showed.
		expect(judge(ledger, await drain(poller))).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
	});

	test('a manual run before activation stores nothing', async () => {
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(env.sb));
		expect((await poller.manual()).length).toBeGreaterThan(0);
		expect(poller.staticData).toEqual({});
	});

	test('changing what is watched starts the cursor over', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		await poller.poll();
		insertWorkOrders(sb, 2);
		poller.parameters = { system: 'eam', resource: 'workOrder', filters: { conditions: [{ field: 'title', operator: 'contains', value: 'other' }] } };
		// A new watch: a first poll again, nothing emitted.
		expect(await poller.poll()).toEqual([]);
		const ledger = new Ledger();
		ledger.insert(insertWorkOrders(sb, 2, undefined, 'An other order'));
		insertWorkOrders(sb, 2, undefined, 'Not matching');
		expect(judge(ledger, await drain(poller))).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
	});
});

describe('Makini Record Changes Trigger: keys named like object members', () => {
	const env = useSandbox({ maxPageSize: 10 });
	const ODD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
	/** Static data as n8n saves and loads it (JSON), between every poll. */
	const throughJson = (poller: Poller) => {
		const saved = JSON.parse(JSON.stringify(poller.staticData)) as IDataObject;
		for (const name of Object.keys(poller.staticData)) delete poller.staticData[name];
		Object.assign(poller.staticData, saved);
	};

	test('records keyed __proto__, constructor, toString...: new once, then updated once per change, never again', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		await poller.poll();
		sb.admin.upsertRecords({ collection: 'work-orders', records: ODD_KEYS.map((key) => ({ key, title: `Keyed ${key}` })) });
		const counts = { polls: 0, emitted: 0, repeats: 0 };
		const first = await poller.poll();
		expect(first.map((r) => [r.key, r.makiniChange]).sort()).toEqual(ODD_KEYS.map((key) => [key, 'new']).sort());
		counts.emitted += first.length;
		for (let i = 0; i < 5; i++) {
			throughJson(poller);
			const again = await poller.poll();
			counts.polls++;
			counts.repeats += again.length;
		}
		expect(counts.repeats).toBe(0);
		updateWorkOrders(sb, ODD_KEYS);
		throughJson(poller);
		const updated = await poller.poll();
		expect(updated.map((r) => [r.key, r.makiniChange]).sort()).toEqual(ODD_KEYS.map((key) => [key, 'updated']).sort());
		throughJson(poller);
		expect(await poller.poll()).toEqual([]);
		console.log(`record polling, keys named like object members: ${first.length} of ${ODD_KEYS.length} new once, ${counts.repeats} repeats in ${counts.polls} polls, ${updated.length} of ${ODD_KEYS.length} updates as updated`);
	});

	test('records without timestamps keyed constructor, toString...: new, then unchanged, then updated', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'unitOfMeasure' }, credentialsOf(sb));
		expect(await poller.poll()).toEqual([]);
		sb.admin.upsertRecords({ collection: 'uom', records: ODD_KEYS.map((key) => ({ key, name: `Unit ${key}`, code: key.slice(0, 6) })) });
		throughJson(poller);
		expect((await poller.poll()).map((r) => [r.key, r.makiniChange]).sort()).toEqual(ODD_KEYS.map((key) => [key, 'new']).sort());
		throughJson(poller);
		expect(await poller.poll()).toEqual([]);
		sb.admin.upsertRecords({ collection: 'uom', records: ODD_KEYS.map((key) => ({ key, name: `Unit ${key} (renamed)` })) });
		throughJson(poller);
		expect((await poller.poll()).map((r) => [r.key, r.makiniChange]).sort()).toEqual(ODD_KEYS.map((key) => [key, 'updated']).sort());
	});

	test('a cursor stored by the earlier version (keys as object members) is read on', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		await poller.poll();
		const stored = poller.staticData.makiniRecordChanges as IDataObject;
		// What the earlier version stored: objects keyed by record key.
		poller.staticData.makiniRecordChanges = {
			...stored,
			seen: Object.fromEntries(stored.seen as Array<[string, string]>),
			fresh: Object.fromEntries(stored.fresh as Array<[string, string]>),
		};
		expect(await poller.poll()).toEqual([]);
		const ledger = new Ledger();
		ledger.insert(insertWorkOrders(sb, 3));
		expect(judge(ledger, await drain(poller))).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
	});
});

describe('Makini Record Changes Trigger: backfill, kinds and filters', () => {
	const env = useSandbox({ maxPageSize: 25 });

	test('backfill: the first poll emits the last N days, over several polls, each record once', async () => {
		const { sb } = env;
		const days = 45;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder', options: { backfillDays: days, maxRecords: 30 } }, credentialsOf(sb));
		const earliest = Date.now() - days * 86_400_000;
		const emitted = await drain(poller);
		const latest = Date.now() - days * 86_400_000;
		const all = workOrders(sb);
		const surely = all.filter((r) => Date.parse(String(r.updatedAt)) >= latest).map((r) => String(r.key));
		const possibly = new Set(all.filter((r) => Date.parse(String(r.updatedAt)) >= earliest).map((r) => String(r.key)));
		const keys = emitted.map((r) => String(r.key));
		expect(surely.length).toBeGreaterThan(30);
		expect(new Set(keys).size).toBe(keys.length);
		expect(keys.filter((key) => !possibly.has(key))).toEqual([]);
		expect(surely.filter((key) => !keys.includes(key))).toEqual([]);
		// New: created within the backfilled days (the cutoff lies between earliest and latest).
		for (const item of emitted) {
			const created = Date.parse(String(item.createdAt));
			if (created >= latest) expect(item.makiniChange).toBe('new');
			if (created < earliest) expect(item.makiniChange).toBe('updated');
		}
		expect(emitted.filter((item) => item.makiniChange === 'new').length).toBeGreaterThan(0);
		expect(emitted.filter((item) => item.makiniChange === 'updated').length).toBeGreaterThan(0);
		console.log(`record polling backfill: ${days} days, ${poller.polls} polls, ${keys.length} records emitted of ${surely.length} in range, 0 duplicated`);
	});

	test('New Records only and Updated Records only', async () => {
		const { sb } = env;
		const onlyNew = new Poller(node, { system: 'eam', resource: 'workOrder', changes: 'new' }, credentialsOf(sb));
		const onlyUpdated = new Poller(node, { system: 'eam', resource: 'workOrder', changes: 'updated' }, credentialsOf(sb));
		await onlyNew.poll();
		await onlyUpdated.poll();
		const inserted = insertWorkOrders(sb, 3).map((r) => String(r.key));
		const existing = workOrders(sb).slice(0, 4).map((r) => String(r.key));
		updateWorkOrders(sb, existing);
		expect((await drain(onlyNew)).map((r) => String(r.key)).sort()).toEqual([...inserted].sort());
		expect((await drain(onlyUpdated)).map((r) => String(r.key)).sort()).toEqual([...existing].sort());
	});

	test('filters: all conditions go to Makini, any is checked on the changed records', async () => {
		const { sb } = env;
		const all = new Poller(
			node,
			{
				system: 'eam',
				resource: 'workOrder',
				filters: { conditions: [{ field: 'title', operator: 'startsWith', value: 'Pump' }, { field: 'severity', operator: 'equals', value: 'high' }] },
			},
			credentialsOf(sb),
		);
		const any = new Poller(
			node,
			{
				system: 'eam',
				resource: 'workOrder',
				filters: { conditions: [{ field: 'title', operator: 'startsWith', value: 'Pump' }, { field: 'severity', operator: 'equals', value: 'high' }] },
				options: { filterMatch: 'any' },
			},
			credentialsOf(sb),
		);
		await all.poll();
		await any.poll();
		const add = (title: string, severity: string) =>
			String((sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title, severity }] })[0] as IDataObject).key);
		const both = add('Pump seal leaking', 'high');
		const pumpOnly = add('Pump inspection', 'low');
		const highOnly = add('Conveyor stopped', 'HIGH');
		add('Paint the fence', 'low');
		expect((await drain(all)).map((r) => String(r.key))).toEqual([both]);
		expect((await drain(any)).map((r) => String(r.key)).sort()).toEqual([both, pumpOnly, highOnly].sort());
	});

	test('lookback: records that reach Makini stamped before the cursor are caught, once', async () => {
		const { sb } = env;
		const withLookback = new Poller(node, { system: 'eam', resource: 'workOrder', options: { lookbackMinutes: 5 } }, credentialsOf(sb));
		const without = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		// The cursors start at a record changed now.
		insertWorkOrders(sb, 1);
		await withLookback.poll();
		await without.poll();
		const ledger = new Ledger();
		ledger.insert(insertWorkOrders(sb, 2));
		// A sync brings records the connected system stamped two minutes ago.
		const late = new Date(Date.now() - 120_000).toISOString().slice(0, 19) + 'Z';
		ledger.insert(insertWorkOrders(sb, 3, late, 'Late'));
		expect(judge(ledger, await drain(withLookback))).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
		// Re-reading the last five minutes does not repeat them.
		expect(await withLookback.poll()).toEqual([]);
		updateWorkOrders(sb, [...ledger.expected.keys()].slice(0, 1));
		expect((await drain(withLookback)).map((r) => r.makiniChange)).toEqual(['updated']);
		// Without a lookback, the late records are behind the cursor.
		expect((await drain(without)).filter((r) => String(r.title).startsWith('Late'))).toEqual([]);
	});

	test('other systems: ERP sales orders', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'erp', resource: 'salesOrder' }, credentialsOf(sb));
		await poller.poll();
		const records = sb.admin.upsertRecords({ collection: 'sales-orders', records: [{ orderNumber: 'SO-POLL-1' }, { orderNumber: 'SO-POLL-2' }] }) as unknown as IDataObject[];
		const emitted = await drain(poller);
		expect(emitted.map((r) => r.orderNumber).sort()).toEqual(['SO-POLL-1', 'SO-POLL-2']);
		expect(emitted.every((r) => r.makiniChange === 'new')).toBe(true);
		expect(new Set(emitted.map((r) => r.key))).toEqual(new Set(records.map((r) => r.key)));
	});

	test('records with only createdAt (meter readings): new records by createdAt', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'meterReading' }, credentialsOf(sb));
		await poller.poll();
		const records = sb.admin.upsertRecords({ collection: 'meter-readings', records: [{ reading: '1200' }, { reading: '1201' }] }) as unknown as IDataObject[];
		const emitted = await drain(poller);
		expect(emitted.map((r) => r.key).sort()).toEqual(records.map((r) => r.key).sort());
		expect(emitted.every((r) => r.makiniChange === 'new')).toBe(true);
	});

	test('records without timestamps (units of measure): compared with the last poll', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'unitOfMeasure' }, credentialsOf(sb));
		expect(await poller.poll()).toEqual([]);
		const units = sb.admin.listRecords({ collection: 'uom' }) as unknown as IDataObject[];
		const [added] = sb.admin.upsertRecords({ collection: 'uom', records: [{ name: 'Pallet', code: 'PAL' }] }) as unknown as IDataObject[];
		sb.admin.upsertRecords({ collection: 'uom', records: [{ key: units[0].key, name: 'Each (renamed)' }] });
		const emitted = await poller.poll();
		expect(emitted.map((r) => [r.key, r.makiniChange]).sort()).toEqual(
			[
				[added.key, 'new'],
				[units[0].key, 'updated'],
			].sort(),
		);
		expect(await poller.poll()).toEqual([]);
	});

	test('every watched resource of every system can be activated against the sandbox', async () => {
		const { sb } = env;
		const tracking: Record<string, number> = {};
		for (const watched of WATCHED_RESOURCES) {
			const poller = new Poller(node, { system: watched.system, resource: watched.resource }, credentialsOf(sb));
			expect(await poller.poll()).toEqual([]);
			expect(await poller.poll()).toEqual([]);
			tracking[watched.tracking] = (tracking[watched.tracking] ?? 0) + 1;
		}
		console.log(`record polling: ${WATCHED_RESOURCES.length} watchable lists (${JSON.stringify(tracking)})`);
		expect(WATCHED_RESOURCES.length).toBe(86);
	});
});

describe('Makini Record Changes Trigger: cursor paging', () => {
	const env = useSandbox({ maxPageSize: 10, cursorPaging: true });

	test('a server that offers next_cursor: the same changes, once each', async () => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder', options: { maxRecords: 12 } }, credentialsOf(sb));
		await poller.poll();
		const ledger = new Ledger();
		ledger.insert(insertWorkOrders(sb, 23, syncStamp()));
		ledger.update(updateWorkOrders(sb, workOrders(sb).slice(0, 15).map((r) => String(r.key))));
		expect(judge(ledger, await drain(poller))).toEqual({ missed: [], duplicated: [], unexpected: [], misclassified: [] });
	});
});
