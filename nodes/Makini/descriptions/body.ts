/**
 * Request bodies: the fields a builder almost always sets as top-level parameters,
 * every other documented field in Additional Fields (or Update Fields), custom fields
 * as key/value pairs, and a JSON mode for full control. Document upload is multipart.
 */
import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS, type ContractOperation } from '../../shared/registry';
import { bodyLayout, hasFieldBody, takesCustomFields } from '../../shared/registry/fields';
import { bodyTemplate } from './template';
import { humanize } from '../../shared/registry/naming';
import { createOrGetProperties } from './createOrGet';
import { fieldProperty } from './fields';
import { pairValues, rowsProperty } from '../../shared/descriptions/rows';
import { forOperation } from './scope';

const FIELDS_MODE = { bodyMode: ['fields'] };

function bodyModeProperty(): INodeProperties {
	return {
		displayName: 'Body',
		name: 'bodyMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields', value: 'fields', description: 'Set the documented fields one by one' },
			{ name: 'JSON', value: 'json', description: 'Write the whole request body as JSON' },
		],
		default: 'fields',
	};
}

function jsonBodyProperty(op: ContractOperation): INodeProperties {
	return {
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: bodyTemplate(op),
		required: true,
		description:
			'The request body, sent as it is: any documented field and any custom field. Starts from the fields a builder usually sets: fill them in and remove the ones you do not need.',
	};
}

function collectionProperty(op: ContractOperation): INodeProperties | undefined {
	const layout = bodyLayout(op);
	if (!layout.additional.length) return undefined;
	const isUpdate = layout.collection === 'updateFields';
	return {
		displayName: isUpdate ? 'Update Fields' : 'Additional Fields',
		name: layout.collection,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: layout.additional
			.map((field) => fieldProperty(field, false, op))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

function customFieldsProperty(): INodeProperties {
	return rowsProperty({
		displayName: 'Custom Fields',
		name: 'customFields',
		placeholder: 'Add Custom Field',
		description: 'Fields of a customised system, sent beside the standard fields',
		row: 'field',
		rowDisplayName: 'Field',
		values: pairValues('name', 'Field name as the connected system spells it'),
	});
}

function fieldBodyProperties(op: ContractOperation): INodeProperties[] {
	const layout = bodyLayout(op);
	const properties = [forOperation(op, bodyModeProperty())];
	for (const field of layout.primary) properties.push(forOperation(op, fieldProperty(field, true, op), FIELDS_MODE));
	properties.push(forOperation(op, jsonBodyProperty(op), { bodyMode: ['json'] }));
	const collection = collectionProperty(op);
	if (collection) properties.push(forOperation(op, collection, FIELDS_MODE));
	if (takesCustomFields(op)) properties.push(forOperation(op, customFieldsProperty(), FIELDS_MODE));
	properties.push(...createOrGetProperties(op));
	return properties;
}

/** Document upload: the file from a binary property, and its name. */
function multipartProperties(op: ContractOperation): INodeProperties[] {
	const textFields = (op.body ?? []).filter((field) => field.type !== 'binary');
	return [
		forOperation(op, {
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field containing the file to upload',
		}),
		...textFields.map((field) =>
			forOperation(op, {
				...fieldProperty(field, true, op),
				displayName: `Document ${humanize(field.name)}`,
				description: 'Defaults to the file name',
			}),
		),
	];
}

export function bodyProperties(): INodeProperties[] {
	return OPERATIONS.flatMap((op) => {
		if (op.multipart) return multipartProperties(op);
		return hasFieldBody(op) ? fieldBodyProperties(op) : [];
	});
}
