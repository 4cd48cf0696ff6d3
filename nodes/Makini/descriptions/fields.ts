/** One documented body field as a node parameter (top-level, collection option or line value). */
import type { INodeProperties } from 'n8n-workflow';

import type { ContractField } from '../../shared/registry';
import { fieldInput } from '../../shared/registry/fields';
import { humanize, pluralOf, RESOURCES } from '../../shared/registry/naming';
import { fieldParameterName } from '../../shared/registry/parameters';

function describe(field: ContractField): string | undefined {
	const input = fieldInput(field);
	const stem = /^(.+?)Keys?$/.exec(field.name)?.[1];
	const target = stem ? RESOURCES[stem] : undefined;
	if (input === 'keyList') {
		return `Comma-separated keys${stem && target ? ` of ${pluralOf(stem)}` : ''}, or a list from an expression`;
	}
	if (target) return `Key of the ${target.name.toLowerCase()} (its \`key\` field in Makini)`;
	if (input === 'dateTime') return 'Date and time, sent as ISO 8601';
	if (input === 'json') return 'Text, or JSON for a structured value';
	return undefined;
}

/** Nested values of a line (task, document, line item): simple inputs, structures as JSON text. */
function lineValue(field: ContractField): INodeProperties {
	const input = fieldInput(field);
	const base = { displayName: humanize(field.name), name: field.name };
	switch (input) {
		case 'number':
		case 'integer':
			return { ...base, type: 'number', default: 0 };
		case 'boolean':
			return { ...base, type: 'boolean', default: false };
		case 'dateTime':
			return { ...base, type: 'dateTime', default: '' };
		default:
			return { ...base, type: 'string', default: '', description: describe(field) };
	}
}

function singularOf(displayName: string): string {
	if (displayName.endsWith('ies')) return `${displayName.slice(0, -3)}y`;
	return displayName.endsWith('s') ? displayName.slice(0, -1) : displayName;
}

/**
 * A body field as a parameter. `top` makes it a top-level parameter (numbers and
 * booleans are then always sent, so they are marked required).
 */
export function fieldProperty(field: ContractField, top: boolean): INodeProperties {
	const input = fieldInput(field);
	const displayName = humanize(field.name);
	const property: INodeProperties = {
		displayName,
		name: top ? fieldParameterName(field) : field.name,
		type: 'string',
		default: '',
	};
	const description = describe(field);
	if (description) property.description = description;
	if (field.name === 'email') property.placeholder = 'name@email.com';
	switch (input) {
		case 'number':
		case 'integer':
			property.type = 'number';
			property.default = 0;
			if (input === 'integer') property.typeOptions = { numberPrecision: 0 };
			break;
		case 'boolean':
			property.type = 'boolean';
			property.default = false;
			break;
		case 'dateTime':
			property.type = 'dateTime';
			break;
		case 'lines': {
			const item = singularOf(displayName);
			property.type = 'fixedCollection';
			property.default = {};
			property.typeOptions = { multipleValues: true };
			property.placeholder = `Add ${item}`;
			property.description = `One entry per ${item.toLowerCase()}; sent as a list`;
			property.options = [
				{
					name: 'item',
					displayName: item,
					values: (field.fields ?? []).map((sub) => lineValue(sub)).sort((a, b) => a.displayName.localeCompare(b.displayName)),
				},
			];
			break;
		}
		case 'json':
			if (field.type === 'object' || field.type === 'array') {
				property.type = 'json';
				property.default = field.type === 'array' ? '[]' : '{}';
			}
			break;
		default:
			break;
	}
	if (top && (field.required || input === 'number' || input === 'integer')) {
		property.required = true;
	}
	return property;
}
