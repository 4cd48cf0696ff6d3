/**
 * The Filters parameter (field / operator / value rows) and its Match option, as the
 * Makini node's lists and the Record Changes Trigger both offer them, and the field
 * options its field picker loads from the registry.
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ContractField, ContractOperation } from '../registry';
import { FILTER_VALUE_PARAMETER, type FilterValueKind, filterableFields, filterFieldsOfKind, filterRecordFields, isDateField, recordValueParameter } from '../registry/filters';
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

/**
 * One value input of a filter row: which kind of value, the row parameter holding it, and
 * when it shows (`show.field`: the fields it serves; further keys, such as `/resource`,
 * for a form that serves several lists). A record input names the list its records are
 * picked from.
 */
export interface FilterValueInput {
	kind: FilterValueKind;
	parameter: string;
	/** With kind `record`: the resource whose list the picker searches. */
	resource?: string;
	show?: NonNullable<IDisplayOptions['show']>;
	/** Fields whose row shows another input instead (the text input's). */
	hideFields?: string[];
}

function displayOptionsOf(input: FilterValueInput): Pick<INodeProperties, 'displayOptions'> {
	const displayOptions: NonNullable<INodeProperties['displayOptions']> = {};
	if (input.show) displayOptions.show = input.show;
	if (input.hideFields?.length) displayOptions.hide = { field: input.hideFields };
	return Object.keys(displayOptions).length ? { displayOptions } : {};
}

/** The form input of one value input. */
export function filterValueProperty(input: FilterValueInput): INodeProperties {
	const shown = displayOptionsOf(input);
	switch (input.kind) {
		case 'date':
			return {
				displayName: 'Value',
				name: input.parameter,
				type: 'dateTime',
				default: '',
				description: 'Sent as ISO 8601 in UTC (a date and time without a zone is read in the workflow’s time zone)',
				...shown,
			};
		case 'statusKey':
		case 'statusName':
			return {
				displayName: 'Value',
				name: input.parameter,
				...(input.kind === 'statusKey'
					? listOrTyped('searchStatuses', BY_KEY)
					: listOrTyped('searchStatusNames', { displayName: 'By Name', placeholder: 'e.g. Approved' })),
				description: 'A status of this kind of record: pick it from the connection’s status list, or type it',
				...shown,
			};
		case 'record':
			return {
				displayName: 'Value',
				name: input.parameter,
				...listOrTyped(keySearchMethod(input.resource!), { displayName: 'By Key', placeholder: 'e.g. 0600022304' }),
				description: `A ${humanize(input.resource!).toLowerCase()}: pick it from the connection’s list, or type its key`,
				...shown,
			};
		default:
			return { ...TEXT_VALUE, ...shown };
	}
}

/**
 * The value inputs of a row for one list: a date picker for date fields, the live status
 * list for the status fields, the record's own list for the other key fields, text for
 * the rest (and for a field given by expression).
 */
export function filterValueInputs(op: ContractOperation): FilterValueInput[] {
	const dates = filterFieldsOfKind(op, 'date');
	const statusKeys = filterFieldsOfKind(op, 'statusKey');
	const statusNames = filterFieldsOfKind(op, 'statusName');
	const records = filterRecordFields(op);
	const special = [...dates, ...statusKeys, ...statusNames, ...[...records.values()].flat()];
	const inputs: FilterValueInput[] = [{ kind: 'text', parameter: FILTER_VALUE_PARAMETER.text, hideFields: special }];
	if (dates.length) inputs.push({ kind: 'date', parameter: FILTER_VALUE_PARAMETER.date, show: { field: dates } });
	if (statusKeys.length) inputs.push({ kind: 'statusKey', parameter: FILTER_VALUE_PARAMETER.statusKey, show: { field: statusKeys } });
	if (statusNames.length) inputs.push({ kind: 'statusName', parameter: FILTER_VALUE_PARAMETER.statusName, show: { field: statusNames } });
	for (const [resource, fields] of [...records].sort(([a], [b]) => a.localeCompare(b))) {
		inputs.push({ kind: 'record', parameter: recordValueParameter(resource), resource, show: { field: fields } });
	}
	return inputs;
}

/**
 * `fieldDependsOn`: the parameters that choose the list whose fields are offered. With the
 * list's operation, each row's value input follows the field picked (filterValueInputs);
 * a form serving several lists passes their inputs (see the Record Changes Trigger);
 * without either, the value is text.
 */
export function filtersProperty(fieldDependsOn: string[], values?: ContractOperation | FilterValueInput[]): INodeProperties {
	const inputs = values === undefined ? [TEXT_VALUE] : (Array.isArray(values) ? values : filterValueInputs(values)).map(filterValueProperty);
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
			...inputs,
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
