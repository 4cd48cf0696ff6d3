/**
 * Makini Record Changes Trigger with clocks that disagree: a connected system whose clock
 * runs ahead stamps records in the future. Every later change must still be emitted, the
 * future-stamped record once, also after Makini's clock has passed it. The sandbox's
 * clock (its Date header and the stamps it gives) is moved with admin.setClockOffset.
 */
import type { IDataObject } from 'n8n-workflow';

import { CLOCK_MARGIN_MS } from '../../nodes/MakiniRecordChangesTrigger/changes';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { credentialsOf, Poller, useSandbox } from './helpers';

const node = new MakiniRecordChangesTrigger();

/** The sandbox clock's offset from this machine's, as last set. */
let clock = 0;

/** Makini's time (the sandbox clock) shifted by `ms`, in whole seconds as the sandbox stamps. */
function stampIn(ms: number): string {
	return new Date(Date.now() + clock + ms).toISOString().slice(0, 19) + 'Z';
}

async function drain(poller: Poller): Promise<IDataObject[]> {
	const emitted: IDataObject[] = [];
	for (let i = 0; i < 20; i++) {
		const batch = await poller.poll();
		if (!batch.length) return emitted;
		emitted.push(...batch);
	}
	throw new Error('still emitting after 20 polls');
}

describe('Makini Record Changes Trigger: records stamped in the future', () => {
	const env = useSandbox({ maxPageSize: 10 });
	const setClock = (ms: number) => {
		clock = ms;
		env.sb.admin.setClockOffset({ ms });
	};
	afterEach(() => setClock(0));

	test.each([
		['+45 s', 45_000],
		['+10 min', 600_000],
	])('a record stamped %s: emitted once; every later change emitted; still once after the clock passed it', async (label, aheadMs) => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder', options: { maxRecords: 4 } }, credentialsOf(sb));
		await poller.poll();
		const [future] = sb.admin.upsertRecords({
			collection: 'work-orders',
			records: [{ title: `Stamped ${label} by a clock that runs ahead`, updatedAt: stampIn(aheadMs), createdAt: stampIn(aheadMs) }],
		});
		const first = await drain(poller);
		expect(first.map((r) => r.key)).toEqual([future.key]);

		// Later changes, stamped by Makini's clock: before the future-stamped record.
		const later: string[] = [];
		for (let round = 0; round < 3; round++) {
			const made = sb.admin.upsertRecords({
				collection: 'work-orders',
				records: Array.from({ length: 2 + round }, (_, i) => ({ title: `Later change ${round}.${i}` })),
			});
			later.push(...made.map((r) => r.key));
			const emitted = (await drain(poller)).map((r) => String(r.key));
			expect(emitted.sort()).toEqual(made.map((r) => r.key).sort());
		}
		const cursor = poller.staticData.makiniRecordChanges as { cursor: string };
		expect(Date.parse(cursor.cursor)).toBeLessThan(Date.parse(String(future.updatedAt)));

		// Makini's clock passes the record: it is not emitted again, later changes still are.
		setClock(clock + aheadMs + CLOCK_MARGIN_MS + 2000);
		expect(await drain(poller)).toEqual([]);
		const after = sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: 'After the clock passed' }] });
		const emittedAfter = await drain(poller);
		expect(emittedAfter.map((r) => r.key)).toEqual([after[0].key]);
		expect(await drain(poller)).toEqual([]);
		console.log(
			`record polling, record stamped ${label}: emitted 1 time; later changes emitted ${later.length} of ${later.length}; after the clock passed it: ${emittedAfter.length} of 1 new change, the record not again`,
		);
	});

	test('activation while the newest record is stamped in the future: every later change emitted', async () => {
		const { sb } = env;
		sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: 'Newest, stamped +10 min', updatedAt: stampIn(600_000) }] });
		const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
		expect(await poller.poll()).toEqual([]);
		const made = sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: 'After activation A' }, { title: 'After activation B' }] });
		expect((await drain(poller)).map((r) => [r.key, r.makiniChange]).sort()).toEqual(made.map((r) => [r.key, 'new']).sort());
	});

	test('n8n and Makini disagree by an hour either way: the same changes, once each', async () => {
		const { sb } = env;
		for (const offset of [-3_600_000, 3_600_000]) {
			setClock(offset);
			const poller = new Poller(node, { system: 'eam', resource: 'workOrder' }, credentialsOf(sb));
			await poller.poll();
			const made = sb.admin.upsertRecords({ collection: 'work-orders', records: [{ title: `Clock ${offset} A` }, { title: `Clock ${offset} B` }] });
			expect((await drain(poller)).map((r) => r.key).sort()).toEqual(made.map((r) => r.key).sort());
			const again = sb.admin.upsertRecords({ collection: 'work-orders', records: [{ key: made[0].key, title: 'changed' }] });
			expect((await drain(poller)).map((r) => [r.key, r.makiniChange])).toEqual([[again[0].key, 'updated']]);
		}
	});
});
