/** One documented body field as a node parameter (top-level, collection option or line value). */
import type { INodeProperties } from 'n8n-workflow';

import type { ContractField, ContractOperation } from '../../shared/registry';
import { keyStem, keyTarget, targetSearchMethod } from '../../shared/registry/keyTargets';
import { fieldInput, isMainLineField, lineFields } from '../../shared/registry/fields';
import { listOrTyped } from '../../shared/descriptions/locator';
import { fieldParameterName, LINE_MORE, LINES_FROM_EXPRESSION, LINES_TYPED } from '../../shared/registry/parameters';
import { humanize, pluralOf, RESOURCES } from '../../shared/registry/naming';

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

type Scope = Pick<ContractOperation, 'system' | 'resource'>;

/**
 * A key field as a picker: From List (the records of the list that serves the key, in the
 * same system, labelled by number and name) or By Key. A key the registry has no list for
 * stays text, with a hint of what a key looks like.
 */
function keyProperty(op: Scope, field: ContractField, base: { displayName: string; name: string }): INodeProperties | undefined {
	if (!keyStem(field.name)) return undefined;
	const target = keyTarget(op.system, op.resource, field.name);
	if (!target) {
		return { ...base, type: 'string', default: '', placeholder: 'e.g. 06000223041215', description: describe(field) };
	}
	const what = target.kind === 'status' ? 'status' : (RESOURCES[target.resource]?.name ?? humanize(target.resource)).toLowerCase();
	return {
		...base,
		...listOrTyped(targetSearchMethod(target)),
		description: `The ${what}: pick it from the list, or give its key (its \`key\` field in Makini)`,
	};
}

/** Nested values of a line (task, document, line item): simple inputs, structures as JSON text. */
function lineValue(op: Scope, field: ContractField): INodeProperties {
	const input = fieldInput(field);
	const base = { displayName: humanize(field.name), name: field.name };
	const key = keyProperty(op, field, base);
	if (key) return key;
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
 * A nested list: typed rows ("Add Line Item"), and rows that take a whole list of objects
 * from an expression, e.g. what an Aggregate node made of earlier items
 * (`{{ $json.data }}`), so lines are mapped without code. Both may be combined.
 */
function linesProperty(op: Scope, field: ContractField, property: INodeProperties): void {
	const plural = property.displayName;
	const item = singularOf(plural);
	const byName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);
	const fields = lineFields(op, field);
	const values = fields.filter(isMainLineField).map((sub) => lineValue(op, sub));
	const more = fields.filter((sub) => !isMainLineField(sub)).map((sub) => lineValue(op, sub)).sort(byName);
	if (more.length) {
		values.push({ displayName: 'Additional Fields', name: LINE_MORE, type: 'collection', placeholder: 'Add Field', default: {}, options: more });
	}
	// n8n's convention (and lint rule): a row's values by name.
	values.sort(byName);
	property.type = 'fixedCollection';
	property.default = {};
	property.typeOptions = { multipleValues: true };
	property.placeholder = `Add ${item}`;
	const source = field.recordOnly
		? ` The create and update bodies do not document this list; its fields are the ${plural.toLowerCase()} of the record Makini returns`
		: '';
	property.description = `One entry per ${item.toLowerCase()}, or a list of objects from an expression; sent as one list${source}`;
	property.options = [
		{ name: LINES_TYPED, displayName: item, values },
		{
			name: LINES_FROM_EXPRESSION,
			displayName: `${plural} From Expression`,
			values: [
				{
					displayName: plural,
					name: 'list',
					type: 'string',
					default: '',
					placeholder: '{{ $json.data }}',
					description: `A list of objects with the fields of a ${item.toLowerCase()} (e.g. the output of an Aggregate node), or one object`,
				},
			],
		},
	];
}

/**
 * A body field as a parameter. `top` makes it a top-level parameter (numbers and
 * booleans are then always sent, so they are marked required).
 */
export function fieldProperty(field: ContractField, top: boolean, op: Scope): INodeProperties {
	const input = fieldInput(field);
	const displayName = humanize(field.name);
	const key = keyProperty(op, field, { displayName, name: top ? fieldParameterName(field) : field.name });
	if (key) {
		if (top && field.required) key.required = true;
		return key;
	}
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
		case 'lines':
			linesProperty(op, field, property);
			break;
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
