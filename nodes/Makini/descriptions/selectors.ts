/** System → Resource → Operation, from the registry and its naming overlay. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { resourceProperty, systemProperty as systemPicker } from '../../shared/descriptions/selectors';
import { operationsOf, resourcesOf, type MakiniSystem } from '../../shared/registry';
import { operationNaming, SYSTEMS } from '../../shared/registry/naming';

const DEFAULT_RESOURCE: Record<MakiniSystem, string> = {
	eam: 'workOrder',
	erp: 'purchaseOrder',
	wms: 'stock',
	platform: 'connection',
};

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export function systemProperty(): INodeProperties {
	return systemPicker(
		SYSTEMS.map(({ value }) => value),
		'The kind of system behind the Makini connection, or the Makini platform itself',
	);
}

export function resourceProperties(): INodeProperties[] {
	return SYSTEMS.map(({ value: system }) => resourceProperty(system, resourcesOf(system), DEFAULT_RESOURCE[system]));
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
			// The resource's Get Many (or Get Status, or its first operation), from the registry.
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
			return property;
		}),
	);
}
