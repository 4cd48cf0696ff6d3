/** System → Resource → Operation, from the registry and its naming overlay. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { operationsOf, resourcesOf, type MakiniSystem } from '../registry';
import { NO_DELETE_HINT, operationNaming, resourceNaming, SYSTEMS } from '../registry/naming';

const DEFAULT_RESOURCE: Record<MakiniSystem, string> = {
	eam: 'workOrder',
	erp: 'purchaseOrder',
	wms: 'stock',
	platform: 'connection',
};

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export function systemProperty(): INodeProperties {
	return {
		displayName: 'System',
		name: 'system',
		type: 'options',
		noDataExpression: true,
		options: SYSTEMS.map(({ value, name, description }) => ({ value, name, description })),
		default: 'eam',
		description: 'The kind of system behind the Makini connection, or the Makini platform itself',
	};
}

export function resourceProperties(): INodeProperties[] {
	return SYSTEMS.map(({ value: system }) => {
		const options = resourcesOf(system)
			.map((resource) => {
				const naming = resourceNaming(resource);
				return { name: naming.name, value: resource, description: naming.description };
			})
			.sort(byName);
		// The default is per system, from the registry, not a literal.
		const defaultResource = DEFAULT_RESOURCE[system];
		return {
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { system: [system] } },
			options,
			default: defaultResource,
		};
	});
}

function deleteHint(system: MakiniSystem, resource: string): string | undefined {
	if (system === 'platform') return undefined;
	const ops = operationsOf(system, resource).map((op) => op.operation);
	if (ops.includes('updateStatus')) return NO_DELETE_HINT;
	if (ops.includes('update')) {
		return 'Makini documents no Delete for records of the connected systems: deactivate the record with Update instead.';
	}
	return undefined;
}

export function operationProperties(): INodeProperties[] {
	return SYSTEMS.flatMap(({ value: system }) =>
		resourcesOf(system).map((resource): INodeProperties => {
			const ops = operationsOf(system, resource);
			const options = ops
				.map((op) => {
					const naming = operationNaming(op);
					return { name: naming.name, value: op.operation, action: naming.action, description: naming.description };
				})
				.sort(byName);
			const values = ops.map((op) => op.operation);
			// The default is the resource's Get Many (or its first operation), from the registry.
			const defaultOperation = values.includes('getMany') ? 'getMany' : values.includes('getStatus') ? 'getStatus' : values[0];
			const property: INodeProperties = {
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { system: [system], resource: [resource] } },
				options,
				default: defaultOperation,
			};
			const hint = deleteHint(system, resource);
			if (hint) property.hint = hint;
			return property;
		}),
	);
}
