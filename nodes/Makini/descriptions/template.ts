/**
 * The JSON Body's starting point, built from the schema: the fields a builder usually sets
 * (the same as the form's top-level fields) with a placeholder of each one's type, and one
 * line of each nested list with the fields the form shows on a line. Better than `{ }`: it shows the
 * names and shapes the API expects.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ContractField, ContractOperation } from '../../shared/registry';
import { bodyLayout, fieldInput, isMainLineField, lineFields } from '../../shared/registry/fields';

function placeholder(op: ContractOperation, field: ContractField): unknown {
	switch (fieldInput(field)) {
		case 'number':
		case 'integer':
			return 0;
		case 'boolean':
			return false;
		case 'keyList':
			return [];
		case 'lines': {
			const line: IDataObject = {};
			for (const sub of lineFields(op, field).filter(isMainLineField)) line[sub.name] = placeholder(op, sub) as IDataObject[string];
			return [line];
		}
		case 'json':
			return field.type === 'array' ? [] : field.type === 'object' ? {} : '';
		default:
			return '';
	}
}

export function bodyTemplate(op: ContractOperation): string {
	const body: IDataObject = {};
	for (const field of bodyLayout(op).primary) body[field.name] = placeholder(op, field) as IDataObject[string];
	return JSON.stringify(body, null, 2);
}
