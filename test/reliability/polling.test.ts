/**
 * Regression cases for the polling triggers (issue 19 item 10; issue 18's cases run in
 * test/polling and, on n8n's own scheduler, in test/e2e/polling.test.ts): records keyed
 * by names that an object inherits, with static data saved and loaded as JSON between
 * polls as n8n does.
 */
import type { IDataObject } from 'n8n-workflow';

import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { credentialsOf, Poller, useSandbox } from '../polling/helpers';

const node = new MakiniRecordChangesTrigger();
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__lookupGetter__', 'propertyIsEnumerable'];

function throughJson(poller: Poller): void {
	const saved = JSON.parse(JSON.stringify(poller.staticData)) as IDataObject;
	for (const name of Object.keys(poller.staticData)) delete poller.staticData[name];
	Object.assign(poller.staticData, saved);
}

describe('polling: record keys named like object members (issue 19 item 10)', () => {
	const env = useSandbox({ maxPageSize: 5 });

	const cases: Array<[string, string, string, (key: string) => Record<string, unknown>]> = [
		['work orders (timestamp cursor)', 'workOrder', 'work-orders', (key) => ({ key, title: `Keyed ${key}` })],
		['units of measure (snapshot)', 'unitOfMeasure', 'uom', (key) => ({ key, name: `Unit ${key}`, code: key.slice(0, 8) })],
	];
	test.each(cases)('%s: each emitted once as new, never on later polls, once as updated per change', async (label, resource, collection, record) => {
		const { sb } = env;
		const poller = new Poller(node, { system: 'eam', resource }, credentialsOf(sb));
		await poller.poll();
		sb.admin.upsertRecords({ collection, records: KEYS.map(record) });
		throughJson(poller);
		const first = await poller.poll();
		let repeats = 0;
		for (let i = 0; i < 10; i++) {
			throughJson(poller);
			repeats += (await poller.poll()).length;
		}
		sb.admin.upsertRecords({ collection, records: KEYS.map((key) => ({ key, description: `changed ${key}` })) });
		throughJson(poller);
		const updated = await poller.poll();
		const asNew = first.filter((r) => r.makiniChange === 'new').length;
		const asUpdated = updated.filter((r) => r.makiniChange === 'updated').length;
		console.log(
			`reliability, ${label} keyed like object members: ${asNew} of ${KEYS.length} emitted as new, ${repeats} repeats in 10 polls, ${asUpdated} of ${KEYS.length} changes as updated`,
		);
		expect(first.map((r) => [r.key, r.makiniChange]).sort()).toEqual(KEYS.map((key) => [key, 'new']).sort());
		expect(repeats).toBe(0);
		expect(updated.map((r) => [r.key, r.makiniChange]).sort()).toEqual(KEYS.map((key) => [key, 'updated']).sort());
	});
});
