/**
 * Simplify on Get and Get Many: the items keep only the fields registry/simplify names
 * (those the record has), the same records come back, and without it every field does.
 */
import type { IDataObject } from 'n8n-workflow';

import { findOperation, OPERATIONS, operationId } from '../../nodes/shared/registry';
import { offersSimplify, simplifiedFields } from '../../nodes/shared/registry/simplify';
import { nodeFor, records, useNodeSandbox } from './helpers';

const env = useNodeSandbox({ workOrders: 60 });

const json = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

describe('Simplify', () => {
	const getMany = findOperation('eam', 'workOrder', 'getMany')!;
	const kept = simplifiedFields(getMany);

	it('keeps the identifying fields of a work order, not every field', () => {
		expect(kept).toEqual(expect.arrayContaining(['key', 'code', 'title', 'updatedAt']));
		expect(offersSimplify(getMany)).toBe(true);
	});

	it('Get Many: the same records, each cut to the kept fields', async () => {
		const full = json((await env.run({ system: 'eam', resource: 'workOrder', operation: 'getMany', simple: false })).items);
		const simple = json((await env.run({ system: 'eam', resource: 'workOrder', operation: 'getMany', simple: true })).items);
		// On by default, as n8n's own Simplify switches are: a node added without touching it gives the short items.
		const byDefault = json((await env.run({ system: 'eam', resource: 'workOrder', operation: 'getMany' })).items);
		expect(byDefault).toEqual(simple);
		expect(simple.map((r) => r.key)).toEqual(full.map((r) => r.key));
		for (const [i, record] of simple.entries()) {
			expect(Object.keys(record).every((name) => kept.includes(name))).toBe(true);
			for (const name of Object.keys(record)) expect(record[name]).toEqual(full[i][name]);
		}
		expect(Object.keys(full[0]).length).toBeGreaterThan(Object.keys(simple[0]).length);
	});

	it('Get: one record, cut the same way', async () => {
		const key = String(records(env.sb, 'work-orders')[0].key);
		const [record] = json((await env.run({ system: 'eam', resource: 'workOrder', operation: 'get', key, simple: true })).items);
		expect(record.key).toBe(key);
		expect(Object.keys(record).every((name) => simplifiedFields(findOperation('eam', 'workOrder', 'get')!).includes(name))).toBe(true);
	});

	it('is offered exactly on the Gets and Get Manys it applies to, in their family node', () => {
		const offered = OPERATIONS.filter(offersSimplify);
		expect(offered.length).toBeGreaterThan(50);
		for (const op of offered) {
			const shown = nodeFor(op.system).description.properties.filter(
				(p) =>
					p.name === 'simple' &&
					(p.displayOptions?.show?.resource as string[]).includes(op.resource) &&
					((p.displayOptions?.show?.operation as string[] | undefined) ?? [op.operation]).includes(op.operation),
			);
			expect([operationId(op), shown.length]).toEqual([operationId(op), 1]);
		}
	});
});
