/**
 * Create or Get on Create: look for a record whose Match On field has the value the body
 * sends, return it when there is one, create the record otherwise (actions/createOrGet.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import type { ContractOperation } from '../../shared/registry';
import { matchFields } from '../../shared/registry/createOrGet';
import { humanize, pluralOf } from '../../shared/registry/naming';
import { forOperation } from './scope';

/** The Create or Get switch and its Match On field, for a create that offers it; none otherwise. */
export function createOrGetProperties(op: ContractOperation): INodeProperties[] {
	const fields = matchFields(op);
	if (!fields.length) return [];
	const records = pluralOf(op.resource);
	const preferred = fields[0];
	return [
		forOperation(op, {
			displayName: 'Create or Get',
			name: 'createOrGet',
			type: 'boolean',
			default: false,
			description: `Whether to return the existing record instead of creating another when one of the ${records} already has the Match On value this body sends. The output's _makini.found says which happened.`,
		}),
		forOperation(
			op,
			{
				displayName: 'Match On',
				name: 'createOrGetField',
				type: 'options',
				options: fields
					.map((field) => ({ name: humanize(field), value: field, description: `The ${records}' ${field} field` }))
					.sort((a, b) => a.name.localeCompare(b.name)),
				default: preferred,
				hint: 'Set this field in the body: its value is what is looked for. Several matching records stop the item with an error.',
				description: `The field that identifies the record among the ${records}, e.g. an order number or code`,
			},
			{ createOrGet: [true] },
		),
	];
}
