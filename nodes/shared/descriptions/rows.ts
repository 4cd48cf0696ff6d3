/** Repeated rows (fixedCollection with multiple values): filters, sort rules, key/value pairs. */
import type { INodeProperties } from 'n8n-workflow';

export interface RowsSpec {
	displayName: string;
	name: string;
	placeholder: string;
	description?: string;
	/** Name of the inner option the rows are stored under, e.g. `conditions`. */
	row: string;
	rowDisplayName: string;
	values: INodeProperties[];
}

export function rowsProperty(spec: RowsSpec): INodeProperties {
	const property: INodeProperties = {
		displayName: spec.displayName,
		name: spec.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: spec.placeholder,
		default: {},
		options: [{ name: spec.row, displayName: spec.rowDisplayName, values: spec.values }],
	};
	if (spec.description) property.description = spec.description;
	return property;
}

/** A text pair, e.g. Name / Value or Key / Value. */
export function pairValues(key: 'name' | 'key', keyDescription?: string): INodeProperties[] {
	const first: INodeProperties = { displayName: key === 'name' ? 'Name' : 'Key', name: key, type: 'string', default: '' };
	if (keyDescription) first.description = keyDescription;
	return [first, { displayName: 'Value', name: 'value', type: 'string', default: '' }];
}

/**
 * A field of the listed records, offered by the node's `getFilterFields` method (from the
 * registry, or a raw table's columns). `dependsOn`: the parameters that choose the list.
 */
export function recordFieldValue(dependsOn: string[]): INodeProperties {
	return {
		displayName: 'Field Name or ID',
		name: 'field',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getFilterFields',
			loadOptionsDependsOn: dependsOn,
		},
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	};
}
