/**
 * Every parameter is first built for exactly one documented operation, then copies that
 * differ only in the system, resource or operation they are shown for are merged. A
 * merge of two exact copies along one dimension is still exact, so a parameter never
 * shows for an operation it does not belong to, and the description stays small.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { ContractOperation } from '../registry';

type Show = NonNullable<IDisplayOptions['show']>;

/** Shows a property for one operation only (plus any extra conditions, e.g. bodyMode). */
export function forOperation(
	op: Pick<ContractOperation, 'system' | 'resource' | 'operation'>,
	property: INodeProperties,
	extra: Show = {},
): INodeProperties {
	return {
		...property,
		displayOptions: {
			...property.displayOptions,
			show: {
				system: [op.system],
				resource: [op.resource],
				operation: [op.operation],
				...extra,
			},
		},
	};
}

const DIMENSIONS = ['system', 'resource', 'operation'] as const;

function signature(property: INodeProperties, dimension: string): string {
	const show = { ...property.displayOptions?.show };
	delete show[dimension];
	return JSON.stringify({ ...property, displayOptions: { ...property.displayOptions, show } });
}

/** Merges copies of a property that differ only in one dimension, for each dimension in turn. */
export function mergeScopes(properties: INodeProperties[]): INodeProperties[] {
	let result = properties;
	for (const dimension of DIMENSIONS) {
		const merged = new Map<string, INodeProperties>();
		const order: INodeProperties[] = [];
		for (const property of result) {
			const values = property.displayOptions?.show?.[dimension];
			if (!values) {
				order.push(property);
				continue;
			}
			const key = signature(property, dimension);
			const existing = merged.get(key);
			if (existing) {
				const list = existing.displayOptions!.show![dimension] as Array<string | number | boolean>;
				for (const value of values as Array<string | number | boolean>) if (!list.includes(value)) list.push(value);
				continue;
			}
			const copy: INodeProperties = {
				...property,
				displayOptions: {
					...property.displayOptions,
					show: { ...property.displayOptions!.show, [dimension]: [...(values as string[])] },
				},
			};
			merged.set(key, copy);
			order.push(copy);
		}
		result = order;
	}
	return result;
}
