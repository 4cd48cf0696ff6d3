/**
 * Every parameter is first built for exactly one documented operation, then copies that
 * differ only in the system, resource or operation they are shown for are merged. A
 * merge of two exact copies along one dimension is still exact, so a parameter never
 * shows for an operation it does not belong to, and the description stays small.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { operationsOf, type ContractOperation, type MakiniSystem } from '../../shared/registry';

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

const DIMENSIONS = ['operation', 'resource', 'system'] as const;

function signature(property: INodeProperties, dimension: string): string {
	const show = { ...property.displayOptions?.show };
	delete show[dimension];
	return JSON.stringify({ ...property, displayOptions: { ...property.displayOptions, show } });
}

/** Merges copies of a property that differ only in one dimension, dimension after dimension, until none merge. */
export function mergeScopes(properties: INodeProperties[]): INodeProperties[] {
	let result = properties;
	for (let before = Infinity; result.length < before; ) {
		before = result.length;
		result = mergeOnce(result).map(widen);
	}
	return result;
}

/**
 * A copy shown for every operation of each (system, resource) it covers needs no
 * operation condition; without it, it can merge with the copies of other resources.
 */
function widen(property: INodeProperties): INodeProperties {
	const show = property.displayOptions?.show;
	const operations = show?.operation as string[] | undefined;
	if (!show || !operations || !show.system || !show.resource) return property;
	const covered = (show.system as MakiniSystem[]).every((system) =>
		(show.resource as string[]).every((resource) => {
			const all = operationsOf(system, resource).map((op) => op.operation);
			return all.length > 0 && all.every((operation) => operations.includes(operation));
		}),
	);
	if (!covered) return property;
	const rest = { ...show };
	delete rest.operation;
	return { ...property, displayOptions: { ...property.displayOptions, show: rest } };
}

function mergeOnce(properties: INodeProperties[]): INodeProperties[] {
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
