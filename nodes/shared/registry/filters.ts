/**
 * What a list's Filters offer, field by field: which fields can be filtered (scalars a
 * condition can compare), and which input a field's value takes (a date, a status from
 * the live status list, another record picked from its list, or text). The form shows the
 * matching input for the picked field and execution reads the same one, so both follow
 * this one rule.
 */
import { findOperation, recordFields } from './index';
import { isDateTimeName } from './fields';
import { keyTarget } from './keyTargets';
import type { ContractField, ContractOperation } from './types';

export type FilterValueKind = 'date' | 'statusKey' | 'statusName' | 'record' | 'text';

/** The row value parameter that holds each kind of value (a record key's: recordValueParameter). */
export const FILTER_VALUE_PARAMETER: Record<Exclude<FilterValueKind, 'record'>, string> = {
	date: 'dateValue',
	statusKey: 'statusValue',
	statusName: 'statusNameValue',
	text: 'value',
};

/** Fields a condition can compare: no lists or structures. */
export function filterableFields(op: ContractOperation): ContractField[] {
	return recordFields(op).filter((field) => field.type !== 'array' && field.type !== 'object' && !field.fields);
}

export function isDateField(field: Pick<ContractField, 'name' | 'type'>): boolean {
	return field.type === 'date' || isDateTimeName(field.name);
}

/** Whether the list's resource documents a status list (`/statuses/work-orders`, ...). */
function hasStatusList(op: ContractOperation): boolean {
	return findOperation(op.system, op.resource, 'getStatuses') !== undefined;
}

/** The list a key field's records are picked from (a vendorKey's vendors), when the registry has one. */
export function filterRecordTarget(op: ContractOperation, name: string): string | undefined {
	const target = keyTarget(op.system, op.resource, name);
	return target?.kind === 'record' ? target.resource : undefined;
}

/** One row input per record list the keys point at: `vendorValue` for vendorKey, fromVendorKey, ... */
export function recordValueParameter(resource: string): string {
	return `${resource}Value`;
}

export function filterValueKind(op: ContractOperation, field: Pick<ContractField, 'name' | 'type'>): FilterValueKind {
	if (isDateField(field)) return 'date';
	if (hasStatusList(op) && field.name === 'statusKey') return 'statusKey';
	if (hasStatusList(op) && field.name === 'status') return 'statusName';
	if (filterRecordTarget(op, field.name)) return 'record';
	return 'text';
}

/** The filterable key fields of a list by the record list each is picked from. */
export function filterRecordFields(op: ContractOperation): Map<string, string[]> {
	const byTarget = new Map<string, string[]>();
	for (const name of filterFieldsOfKind(op, 'record')) {
		const target = filterRecordTarget(op, name)!;
		byTarget.set(target, [...(byTarget.get(target) ?? []), name]);
	}
	return byTarget;
}

/** The filterable fields of a list whose value takes the given kind of input. */
export function filterFieldsOfKind(op: ContractOperation, kind: FilterValueKind): string[] {
	return filterableFields(op)
		.filter((field) => filterValueKind(op, field) === kind)
		.map((field) => field.name);
}

/** The kind of a field given by name (from the picker or an expression); unknown names are text. */
export function filterValueKindOf(op: ContractOperation, name: string): FilterValueKind {
	const field = filterableFields(op).find((f) => f.name === name);
	return field ? filterValueKind(op, field) : 'text';
}

/** The row parameter that holds the value of a field given by name. */
export function filterValueParameterOf(op: ContractOperation, name: string): string {
	const kind = filterValueKindOf(op, name);
	return kind === 'record' ? recordValueParameter(filterRecordTarget(op, name)!) : FILTER_VALUE_PARAMETER[kind];
}
