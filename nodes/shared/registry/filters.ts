/**
 * What a list's Filters offer, field by field: which fields can be filtered (scalars a
 * condition can compare), and which input a field's value takes (a date, a status from
 * the live status list, or text). The form shows the matching input for the picked field
 * and execution reads the same one, so both follow this one rule.
 */
import { findOperation, recordFields } from './index';
import { isDateTimeName } from './fields';
import type { ContractField, ContractOperation } from './types';

export type FilterValueKind = 'date' | 'statusKey' | 'statusName' | 'text';

/** The row value parameter that holds each kind of value. */
export const FILTER_VALUE_PARAMETER: Record<FilterValueKind, string> = {
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

export function filterValueKind(op: ContractOperation, field: Pick<ContractField, 'name' | 'type'>): FilterValueKind {
	if (isDateField(field)) return 'date';
	if (hasStatusList(op) && field.name === 'statusKey') return 'statusKey';
	if (hasStatusList(op) && field.name === 'status') return 'statusName';
	return 'text';
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
