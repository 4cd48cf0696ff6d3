/**
 * Resource → Operation of one family node, from the registry and its naming overlay; the
 * node's system is a hidden parameter that holds its family.
 *
 * One Operation parameter per resource, shown for that resource alone: n8n's node panel
 * files a resource's actions under the first Operation parameter whose `resource`
 * condition names it, and sets the parameters of an added action from the first value of
 * each condition, so an Operation shared by two resources files and sets the actions of
 * the second under the first.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { operationsOf, type MakiniSystem } from '../../shared/registry';
import { familyNaming, familyResources, PLATFORM_RESOURCES, type MakiniFamily } from '../../shared/registry/families';
import { NO_DELETE_HINT, operationNaming, resourceNaming } from '../../shared/registry/naming';

const DEFAULT_RESOURCE: Record<MakiniFamily, string> = {
	eam: 'workOrder',
	erp: 'purchaseOrder',
	wms: 'stock',
};

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The system of a resource in a family node: the family's own, or the platform's. */
export function systemOfResource(family: MakiniFamily, resource: string): MakiniSystem {
	return PLATFORM_RESOURCES.includes(resource) ? 'platform' : family;
}

/** Hidden: which Makini API the node calls (execution and the option loaders read it). */
export function systemProperty(family: MakiniFamily): INodeProperties {
	return {
		displayName: 'System',
		name: 'system',
		type: 'hidden',
		noDataExpression: true,
		default: family,
		description: `The kind of system behind the Makini connection: ${familyNaming(family).kind}`,
	};
}

export function resourceProperty(family: MakiniFamily): INodeProperties {
	const options = familyResources(family)
		.map((resource) => {
			const naming = resourceNaming(resource);
			return { name: naming.name, value: resource, description: naming.description };
		})
		.sort(byName);
	const defaultResource = DEFAULT_RESOURCE[family];
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options,
		default: defaultResource,
	};
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

export function operationProperties(family: MakiniFamily): INodeProperties[] {
	return familyResources(family).map((resource): INodeProperties => {
		const system = systemOfResource(family, resource);
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
			displayOptions: { show: { resource: [resource] } },
			options,
			default: defaultOperation,
		};
		const hint = deleteHint(system, resource);
		if (hint) property.hint = hint;
		return property;
	});
}
