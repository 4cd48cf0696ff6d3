/**
 * The Filters parameter (field / operator / value rows) and its Match option, as the
 * Makini node's lists and the Record Changes Trigger both offer them, and the field
 * options its field picker loads from the registry.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ContractField, ContractOperation } from '../registry';
import { FILTER_VALUE_PARAMETER, filterableFields, filterFieldsOfKind, filterRecordFields, isDateField, recordValueParameter } from '../registry/filters';
import { keySearchMethod } from '../registry/keyTargets';
import { humanize } from '../registry/naming';
import { BY_KEY, listOrTyped } from './locator';
import { recordFieldValue, rowsProperty } from './rows';

/** By name, as n8n lists options; Equals stays the default. */
export const OPERATOR_OPTIONS = [
	{ name: 'At Least', value: 'gteq', description: 'Greater than or equal to' },
	{ name: 'At Most', value: 'lteq', description: 'Less than or equal to' },
	{ name: 'Contains', value: 'contains' },
	{ name: 'Equals', value: 'equals' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Starts With', value: 'startsWith' },
];

const TEXT_VALUE: INodeProperties = {
	displayName: 'Value',
	name: FILTER_VALUE_PARAMETER.text,
	type: 'string',
	default: '',
	description: 'Dates as ISO 8601 (e.g. 2024-05-01 or 2024-05-01T08:00:00Z)',
};

/** A status from the list's own status list (From List), or typed (By Key / By Name). */
function statusValue(name: string, searchListMethod: string, byName: 'By Key' | 'By Name', fields: string[]): INodeProperties {
	return {
		displayName: 'Value',
		name,
		...listOrTyped(searchListMethod, byName === 'By Key' ? BY_KEY : { displayName: byName, placeholder: 'e.g. Approved' }),
		description: 'A status of this kind of record: pick it from the connection’s status list, or type it',
		displayOptions: { show: { field: fields } },
	};
}

/** Another record picked from its list (a vendorKey's vendors), or its key typed. */
function recordValue(resource: string, fields: string[], searchListMethod: string): INodeProperties {
	return {
		displayName: 'Value',
		name: recordValueParameter(resource),
		...listOrTyped(searchListMethod, { displayName: 'By Key', placeholder: 'e.g. 0600022304' }),
		description: `A ${humanize(resource).toLowerCase()}: pick it from the connection’s list, or type its key`,
		displayOptions: { show: { field: fields } },
	};
}

/**
 * The value inputs of a row for one list: a date picker for date fields, the live status
 * list for the status fields, the record's own list for the other key fields, text for
 * the rest (and for a field given by expression).
 */
function valueInputs(op: ContractOperation): INodeProperties[] {
	const dates = filterFieldsOfKind(op, 'date');
	const statusKeys = filterFieldsOfKind(op, 'statusKey');
	const statusNames = filterFieldsOfKind(op, 'statusName');
	const records = filterRecordFields(op);
	const special = [...dates, ...statusKeys, ...statusNames, ...[...records.values()].flat()];
	const inputs: INodeProperties[] = [special.length ? { ...TEXT_VALUE, displayOptions: { hide: { field: special } } } : TEXT_VALUE];
	if (dates.length) {
		inputs.push({
			displayName: 'Value',
			name: FILTER_VALUE_PARAMETER.date,
			type: 'dateTime',
			default: '',
			description: 'Sent as ISO 8601 in UTC (a date and time without a zone is read in the workflow’s time zone)',
			displayOptions: { show: { field: dates } },
		});
	}
	if (statusKeys.length) inputs.push(statusValue(FILTER_VALUE_PARAMETER.statusKey, 'searchStatuses', 'By Key', statusKeys));
	if (statusNames.length) {
		inputs.push(statusValue(FILTER_VALUE_PARAMETER.statusName, 'searchStatusNames', 'By Name', statusNames));
	}
	for (const [resource, fields] of [...records].sort(([a], [b]) => a.localeCompare(b))) {
		inputs.push(recordValue(resource, fields, keySearchMethod(resource)));
	}
	return inputs;
}

/**
 * `fieldDependsOn`: the parameters that choose the list whose fields are offered. With the
 * list's operation, each row's value input follows the field picked (see valueInputs);
 * without it, the value is text.
 */
export function filtersProperty(fieldDependsOn: string[], op?: ContractOperation): INodeProperties {
	return rowsProperty({
		displayName: 'Filters',
		name: 'filters',
		placeholder: 'Add Filter',
		description: 'Conditions on the records’ fields; see Match in Options for all or any',
		row: 'conditions',
		rowDisplayName: 'Condition',
		values: [
			recordFieldValue(fieldDependsOn),
			{ displayName: 'Operator', name: 'operator', type: 'options', options: OPERATOR_OPTIONS, default: 'equals' },
			...(op ? valueInputs(op) : [TEXT_VALUE]),
		],
	});
}

/** The Options entry that says whether all filter rows must match or any one. */
export function filterMatchOption(): INodeProperties {
	return {
		displayName: 'Match',
		name: 'filterMatch',
		type: 'options',
		options: [
			{ name: 'All Filters', value: 'all' },
			{ name: 'Any Filter', value: 'any' },
		],
		default: 'all',
		description: 'Whether a record must match all filters or any one of them',
	};
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** How a field's type reads in the picker: dates as dates, whatever the spec's spelling. */
function typeLabel(field: ContractField): string {
	if (isDateField(field)) return 'date and time (ISO 8601)';
	return field.type === 'json' ? 'any' : field.type;
}

/**
 * The fields a list's records document, as options of the field picker: by a person's name
 * for them (the API name in the description), and only fields a filter can compare (no
 * lists or structures).
 */
export function recordFieldOptions(op: ContractOperation): INodePropertyOptions[] {
	return filterableFields(op)
		.map((field) => ({ name: humanize(field.name), value: field.name, description: `${field.name}: ${typeLabel(field)}` }))
		.sort(byName);
}
