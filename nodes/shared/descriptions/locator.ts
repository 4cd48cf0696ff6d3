/**
 * The picker every key parameter shares: n8n's resource locator with the record From List
 * (one of the node's list searches) or typed By Key (or By Name, for a status name).
 */
import type { INodeProperties } from 'n8n-workflow';

export const BY_KEY = { displayName: 'By Key', placeholder: 'e.g. 06000223041215' };

export function listOrTyped(
	searchListMethod: string,
	typed: { displayName: string; placeholder: string } = BY_KEY,
): Pick<INodeProperties, 'type' | 'default' | 'modes'> {
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true, searchFilterRequired: false },
			},
			{ displayName: typed.displayName, name: 'id', type: 'string', placeholder: typed.placeholder },
		],
	};
}
