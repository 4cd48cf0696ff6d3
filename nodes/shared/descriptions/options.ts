/** The Options collection every node ends its form with: the settings a builder rarely needs. */
import type { INodeProperties } from 'n8n-workflow';

export function optionsCollection(options: INodeProperties[], extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		...extra,
		options,
	};
}
