/**
 * The Filters parameter (field / operator / value rows) and its Match option, as the
 * Makini node's lists and the Record Changes Trigger both offer them, and the field
 * options its field picker loads from the registry.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { recordFields, type ContractField, type ContractOperation } from '../registry';
import { isDateTimeName } from '../registry/fields';
import { humanize } from '../registry/naming';
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

/** `fieldDependsOn`: the parameters that choose the list whose fields are offered. */
export function filtersProperty(fieldDependsOn: string[]): INodeProperties {
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
			{
				displayName: 'Value',
				name: 'value',
				type: 'string',
				default: '',
				description: 'Dates as ISO 8601 (e.g. 2024-05-01 or 2024-05-01T08:00:00Z)',
			},
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
	if (field.type === 'date' || isDateTimeName(field.name)) return 'date and time (ISO 8601)';
	return field.type === 'json' ? 'any' : field.type;
}

/**
 * The fields a list's records document, as options of the field picker: by a person's name
 * for them (the API name in the description), and only fields a filter can compare (no
 * lists or structures).
 */
export function recordFieldOptions(op: ContractOperation): INodePropertyOptions[] {
	return recordFields(op)
		.filter((field) => field.type !== 'array' && field.type !== 'object' && !field.fields)
		.map((field) => ({ name: humanize(field.name), value: field.name, description: `${field.name}: ${typeLabel(field)}` }))
		.sort(byName);
}
