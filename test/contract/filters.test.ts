/**
 * Get Many's Filters in the editor: only fields a condition can compare, by a person's
 * name; a date picker for date fields; the live status list for the status fields of a
 * resource that has one (its list search on the node); text for every other field. The
 * Record Changes Trigger's one Filters gives each field of each watched list the same input
 * (checked with n8n's own display rules). The expected sets are computed from the
 * contract's record schemas, not from the builder.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeProperties } from 'n8n-workflow';

import { OPERATIONS, recordFields, findOperation, type ContractOperation } from '../../nodes/shared/registry';
import { recordFieldOptions } from '../../nodes/shared/descriptions/filters';
import { filterDateText } from '../../nodes/shared/time';
import { keySearchMethod, keyTarget } from '../../nodes/shared/registry/keyTargets';
import { MakiniRecordChangesTrigger } from '../../nodes/MakiniRecordChangesTrigger/MakiniRecordChangesTrigger.node';
import { WATCHED_RESOURCES } from '../../nodes/MakiniRecordChangesTrigger/resources';
import { filterRecordTarget, filterValueKindOf, filterValueParameterOf, filterableFields } from '../../nodes/shared/registry/filters';
import { nodeFor } from '../node/helpers';

const shows = (p: INodeProperties, dimension: string, value: string) => {
	const values = p.displayOptions?.show?.[dimension] as string[] | undefined;
	return !values || values.includes(value);
};

function filtersOf(op: ContractOperation): INodeProperties[] {
	const node = nodeFor(op.system);
	const properties = node.description.properties.filter(
		(p) => p.name === 'filters' && shows(p, 'resource', op.resource) && shows(p, 'operation', op.operation),
	);
	expect(properties).toHaveLength(1);
	return ((properties[0].options?.[0] as { values: INodeProperties[] }).values ?? []) as INodeProperties[];
}

const lists = OPERATIONS.filter((op) => op.system !== 'platform' && op.filterable && op.operation === 'getMany');

describe('Get Many filters', () => {
	it('cover the families’ lists', () => {
		expect(lists.length).toBeGreaterThan(60);
	});

	it('offer only scalar fields, by a person’s name', () => {
		for (const op of lists) {
			const scalar = recordFields(op).filter((f) => !['array', 'object'].includes(f.type) && !f.fields);
			const options = recordFieldOptions(op);
			expect([op.path, options.map((o) => o.value).sort()]).toEqual([op.path, scalar.map((f) => f.name).sort()]);
			for (const option of options) expect(option.name).not.toMatch(/[a-z][A-Z]/);
		}
	});

	it('type each row’s value by the field picked: dates, live statuses, records from their lists, text', () => {
		let statusLists = 0;
		let recordPickers = 0;
		for (const op of lists) {
			const values = filtersOf(op);
			const byName = Object.fromEntries(values.map((v) => [v.name, v]));
			const fields = recordFields(op).filter((f) => !['array', 'object'].includes(f.type) && !f.fields);
			const dates = fields.filter((f) => f.type === 'date' || /[a-z](At|Date)$/.test(f.name) || f.name === 'date').map((f) => f.name);
			const statuses = findOperation(op.system, op.resource, 'getStatuses') ? fields.filter((f) => f.name === 'statusKey').map((f) => f.name) : [];
			const statusNames = findOperation(op.system, op.resource, 'getStatuses') ? fields.filter((f) => f.name === 'status').map((f) => f.name) : [];

			expect([op.path, byName.field?.type]).toEqual([op.path, 'options']);
			if (dates.length) {
				expect([op.path, byName.dateValue?.type]).toEqual([op.path, 'dateTime']);
				expect([op.path, [...(byName.dateValue.displayOptions?.show?.field as string[])].sort()]).toEqual([op.path, dates.sort()]);
			} else {
				expect([op.path, byName.dateValue]).toEqual([op.path, undefined]);
			}
			if (statuses.length) {
				statusLists++;
				const status = byName.statusValue;
				expect([op.path, status?.type]).toEqual([op.path, 'resourceLocator']);
				expect(status.displayOptions?.show?.field).toEqual(['statusKey']);
				expect(status.modes?.map((m) => [m.name, m.typeOptions?.searchListMethod])).toEqual([['list', 'searchStatuses'], ['id', undefined]]);
				expect(nodeFor(op.system).methods?.listSearch?.searchStatuses).toBeInstanceOf(Function);
			} else {
				expect([op.path, byName.statusValue]).toEqual([op.path, undefined]);
			}
			if (statusNames.length) expect(byName.statusNameValue?.modes?.[0].typeOptions?.searchListMethod).toBe('searchStatusNames');
			// Every other key field whose records have a list: that list's picker, one input per list.
			const recordKeys = fields.filter((f) => f.name !== 'statusKey' && /[a-z]Key$/.test(f.name) && keyTarget(op.system, op.resource, f.name)?.kind === 'record');
			for (const field of recordKeys) {
				const resource = keyTarget(op.system, op.resource, field.name)!.resource;
				const input = byName[`${resource}Value`];
				expect([op.path, field.name, input?.type]).toEqual([op.path, field.name, 'resourceLocator']);
				expect([op.path, field.name, (input.displayOptions?.show?.field as string[]).includes(field.name)]).toEqual([op.path, field.name, true]);
				const method = input.modes?.find((m) => m.name === 'list')?.typeOptions?.searchListMethod as string;
				expect(method).toBe(keySearchMethod(resource));
				expect([op.path, method, nodeFor(op.system).methods?.listSearch?.[method]]).toEqual([op.path, method, expect.any(Function)]);
				recordPickers++;
			}
			const hidden = [...((byName.value.displayOptions?.hide?.field as string[] | undefined) ?? [])].sort();
			expect([op.path, hidden]).toEqual([op.path, [...dates, ...statuses, ...statusNames, ...recordKeys.map((f) => f.name)].sort()]);
			expect(byName.value.type).toBe('string');
		}
		// Work orders, purchase orders, invoices, fulfillments... have a status list.
		expect(statusLists).toBeGreaterThanOrEqual(4);
		console.log(`Filter key fields with a record picker: ${recordPickers} (plus ${statusLists} status lists)`);
		// Vendor, site, asset, location... keys across the families' lists.
		expect(recordPickers).toBeGreaterThan(50);
	});
});

describe('filter dates as Makini takes them', () => {
	it.each([
		['2026-03-01T09:30:00', 'UTC', '2026-03-01T09:30:00Z'],
		['2026-01-15T09:30:00', 'Europe/Berlin', '2026-01-15T08:30:00Z'],
		['2026-07-15T09:30:00', 'Europe/Berlin', '2026-07-15T07:30:00Z'],
		['2026-03-29T03:30:00', 'Europe/Berlin', '2026-03-29T01:30:00Z'],
		['2026-07-15 09:30', 'America/New_York', '2026-07-15T13:30:00Z'],
		['2026-07-15T09:30:00+02:00', 'America/New_York', '2026-07-15T07:30:00Z'],
		['2026-07-15T09:30:00.000Z', 'Europe/Berlin', '2026-07-15T09:30:00Z'],
		['2026-07-15T09:30:00.123456Z', 'Europe/Berlin', '2026-07-15T09:30:00.123456Z'],
		['2026-07-15', 'Asia/Tokyo', '2026-07-15'],
	])('%s in %s → %s', (value, zone, expected) => {
		expect(filterDateText(value, zone)).toBe(expected);
	});

	it('takes Date and Luxon-like values, refuses what is no date', () => {
		expect(filterDateText(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'UTC')).toBe('2026-01-02T03:04:05Z');
		expect(filterDateText({ toMillis: () => Date.UTC(2026, 0, 2) }, 'UTC')).toBe('2026-01-02T00:00:00Z');
		for (const bad of ['last tuesday', '2026-13-45', '', 42, null, {}]) expect(filterDateText(bad, 'UTC')).toBeUndefined();
	});
});

const trigger = new MakiniRecordChangesTrigger();

/** The trigger's filter row inputs other than field and operator. */
const filterValues = (): INodeProperties[] => {
	const filters = trigger.description.properties.filter((p) => p.name === 'filters');
	expect(filters).toHaveLength(1);
	return (filters[0].options?.[0] as { values: INodeProperties[] }).values.filter((v) => v.name !== 'field' && v.name !== 'operator');
};

/** The value inputs n8n shows (and keeps) for a row with this field in the watched list. */
function shownInputs(system: string, resource: string, field: string, typeVersion = 2): INodeProperties[] {
	const root = { system, resource, filters: { conditions: [{ field }] } };
	return filterValues().filter((p) => NodeHelpers.displayParameter({ field }, p, { typeVersion } as INode, trigger.description, root));
}

const SEARCH: Record<string, string> = { statusKey: 'searchStatuses', statusName: 'searchStatusNames' };

describe('Record Changes Trigger filters: the form', () => {
	test('every field of every watched list shows exactly the input Get Many gives it, with its list search on the trigger', () => {
		let typed = 0;
		for (const w of WATCHED_RESOURCES) {
			for (const field of filterableFields(w.list)) {
				const shown = shownInputs(w.system, w.resource, field.name);
				const where = `${w.system}.${w.resource}.${field.name}`;
				const parameter = filterValueParameterOf(w.list, field.name);
				expect([where, shown.map((p) => p.name)]).toEqual([where, [parameter]]);
				const kind = filterValueKindOf(w.list, field.name);
				const type = { text: 'string', date: 'dateTime' }[kind as string] ?? 'resourceLocator';
				expect([where, shown[0].type]).toEqual([where, type]);
				if (type !== 'resourceLocator') continue;
				typed++;
				const method = shown[0].modes?.find((m) => m.name === 'list')?.typeOptions?.searchListMethod as string;
				const expected = SEARCH[kind] ?? keySearchMethod(filterRecordTarget(w.list, field.name)!);
				expect([where, method]).toEqual([where, expected]);
				expect([where, typeof (trigger.methods.listSearch as Record<string, unknown>)[method]]).toEqual([where, 'function']);
			}
		}
		expect(typed).toBeGreaterThan(100);
	});

	test('a field given by expression keeps the text Value; version 1 shows text for every field', () => {
		expect(shownInputs('eam', 'workOrder', '={{ "status" }}').map((p) => p.name)).toContain('value');
		for (const field of ['status', 'createdAt', 'siteKey']) {
			expect(shownInputs('eam', 'workOrder', field, 1).map((p) => [p.name, p.type])).toEqual([['value', 'string']]);
		}
	});

	test('one Filters for every list: the description stays a fraction of one copy per list', () => {
		const size = JSON.stringify(trigger.description).length;
		console.log(`Record Changes Trigger description: ${size} characters, ${filterValues().length} value inputs for ${WATCHED_RESOURCES.length} lists`);
		expect(size).toBeLessThan(100_000);
	});

	test('the trigger registers every shared list search the Makini node has', () => {
		const own = Object.keys(nodeFor('eam').methods!.listSearch!).filter((m) => m !== 'searchRecords');
		expect(Object.keys(trigger.methods.listSearch)).toEqual(expect.arrayContaining(own));
	});
});
