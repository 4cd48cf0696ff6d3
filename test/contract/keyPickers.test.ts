/**
 * Every field that names another record by key is a picker (From List / By Key) wherever
 * the registry has a list that serves it, in bodies, Additional / Update Fields and line
 * items; each picker's list search exists on the node; the others stay text with a hint.
 */
import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS, operationId } from '../../nodes/shared/registry';
import { bodyFields, hasFieldBody, lineFields, pathPlaceholders } from '../../nodes/shared/registry/fields';
import { keyStem, keyTarget, targetSearchMethod } from '../../nodes/shared/registry/keyTargets';
import { nodeFor } from '../node/helpers';

/** The family node's parameters and list searches for an operation (its conditions name no system). */
const propertiesFor = (op: { system: string }) => nodeFor(op.system).description.properties;
const listSearchFor = (op: { system: string }) => (nodeFor(op.system).methods?.listSearch ?? {}) as Record<string, unknown>;

const shows = (p: INodeProperties, dimension: string, value: string) => {
	const values = p.displayOptions?.show?.[dimension] as string[] | undefined;
	return !values || values.includes(value);
};

/** Every parameter reachable in a property (collection options, fixedCollection values), with its own. */
function walk(property: INodeProperties): INodeProperties[] {
	const inner = (property.options ?? []).flatMap((option) => {
		if ('values' in option) return (option.values as INodeProperties[]).flatMap(walk);
		if ('type' in option && 'displayName' in option) return walk(option as INodeProperties);
		return [];
	});
	return [property, ...inner];
}

describe('key fields are pickers', () => {
	it('wherever the registry has a list that serves the key', () => {
		let withPicker = 0;
		let keyFields = 0;
		const wrong: string[] = [];
		for (const op of OPERATIONS.filter(hasFieldBody)) {
			const listSearch = listSearchFor(op);
			const shown = propertiesFor(op)
				.filter((p) => shows(p, 'resource', op.resource) && shows(p, 'operation', op.operation))
				.filter((p) => p.displayOptions?.show?.resource)
				.flatMap(walk);
			const fields = bodyFields(op).flatMap((f) => [f, ...(f.fields ? lineFields(op, f) : [])]);
			// A key the path names (a material line's materialKey) is the path's parameter.
			for (const field of fields.filter((f) => keyStem(f.name) && !pathPlaceholders(op).includes(f.name))) {
				keyFields++;
				const target = keyTarget(op.system, op.resource, field.name);
				const parameter = shown.find((p) => p.name === field.name || p.name === `${field.name}Field`);
				if (!parameter) continue;
				if (target) {
					withPicker++;
					const method = (parameter.modes ?? []).find((m) => m.name === 'list')?.typeOptions?.searchListMethod;
					if (parameter.type !== 'resourceLocator' || method !== targetSearchMethod(target) || !(method in listSearch)) {
						wrong.push(`${operationId(op)} ${field.name}: ${parameter.type} ${String(method)}`);
					}
				} else if (parameter.type !== 'string' || !parameter.placeholder) {
					wrong.push(`${operationId(op)} ${field.name}: no list, but ${parameter.type} without a hint`);
				}
			}
		}
		console.log(`Key fields with a picker: ${withPicker}/${keyFields}`);
		expect(wrong).toEqual([]);
		expect(withPicker).toBeGreaterThan(keyFields * 0.8);
	});

	it('vendor, site, status and material of an ERP purchase order and its lines', () => {
		expect(keyTarget('erp', 'purchaseOrder', 'vendorKey')).toMatchObject({ kind: 'record', resource: 'vendor' });
		expect(keyTarget('erp', 'purchaseOrder', 'fromLocationKey')).toMatchObject({ resource: 'location' });
		expect(keyTarget('erp', 'purchaseOrder', 'userRequestedKey')).toMatchObject({ resource: 'user' });
		expect(keyTarget('erp', 'purchaseOrder', 'uomKey')).toMatchObject({ resource: 'unitOfMeasure' });
		expect(keyTarget('erp', 'purchaseOrder', 'statusKey')).toMatchObject({ kind: 'status', resource: 'purchaseOrder' });
		expect(keyTarget('erp', 'purchaseOrder', 'noSuchThingKey')).toBeUndefined();
	});
});
