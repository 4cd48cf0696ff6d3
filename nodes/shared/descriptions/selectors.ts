/** The System and Resource pickers, from the registry and its naming overlay. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { type MakiniSystem } from '../registry';
import { resourceNaming, SYSTEMS } from '../registry/naming';

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The System picker over the given systems (in the naming overlay's order); the first is the default. */
export function systemProperty(systems: readonly MakiniSystem[], description: string): INodeProperties {
	const options = SYSTEMS.filter(({ value }) => systems.includes(value)).map(({ value, name, description }) => ({
		value,
		name,
		description,
	}));
	const firstSystem = options[0].value;
	return {
		displayName: 'System',
		name: 'system',
		type: 'options',
		noDataExpression: true,
		options,
		default: firstSystem,
		description,
	};
}

/** One system's Resource picker, its options sorted by name. */
export function resourceProperty(
	system: MakiniSystem,
	resources: readonly string[],
	defaultResource: string,
	description?: string,
): INodeProperties {
	const options = resources
		.map((resource) => {
			const naming = resourceNaming(resource);
			return { name: naming.name, value: resource, description: naming.description };
		})
		.sort(byName);
	const property: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { system: [system] } },
		options,
		default: defaultResource,
	};
	if (description) property.description = description;
	return property;
}
