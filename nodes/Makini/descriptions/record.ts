/** The parameters that fill a documented path's placeholders: {key}, {materialKey}, {id}, {table}. */
import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS, type ContractOperation } from '../../shared/registry';
import { pathPlaceholders } from '../../shared/registry/fields';
import { hasLocator } from '../../shared/registry/locators';
import { resourceNaming } from '../../shared/registry/naming';
import { listOrTyped } from '../../shared/descriptions/locator';
import { forOperation } from './scope';

function keyProperty(op: ContractOperation): INodeProperties {
	const name = resourceNaming(op.resource).name;
	const description = `The ${name.toLowerCase()}'s key: its \`key\` field in Makini, not its number or code`;
	if (hasLocator(op.resource)) {
		return {
			displayName: name,
			name: 'key',
			...listOrTyped('searchRecords'),
			required: true,
			description,
		};
	}
	return {
		displayName: `${name} Key`,
		name: 'key',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 06000223041215',
		description,
	};
}

function placeholderProperty(op: ContractOperation, placeholder: string): INodeProperties {
	switch (placeholder) {
		case 'key':
			return keyProperty(op);
		case 'materialKey':
			return {
				displayName: 'Material Key',
				name: 'materialKey',
				type: 'string',
				default: '',
				required: true,
				description: "Key of the material on the work order (the material's key, or the material line's own key)",
			};
		case 'id':
			return {
				displayName: 'Connection ID',
				name: 'connectionId',
				type: 'string',
				default: '',
				required: true,
				description: 'ID of the connection (the `key` field of Connection → Get Many)',
			};
		case 'table':
			return {
				displayName: 'Table Name or ID',
				name: 'table',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getRawTables' },
				default: '',
				required: true,
				description:
					'Raw table of the connected system. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			};
		default:
			throw new Error(`No parameter for path placeholder {${placeholder}}`);
	}
}

export function pathProperties(): INodeProperties[] {
	return OPERATIONS.flatMap((op) =>
		pathPlaceholders(op).map((placeholder) => forOperation(op, placeholderProperty(op, placeholder))),
	);
}
