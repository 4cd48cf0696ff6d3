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

/**
 * Merges copies of a property that differ only in one dimension, dimension after dimension,
 * until none merge; then puts the merged list in an order that keeps every operation's own
 * order (see formOrder).
 */
export function mergeScopes(properties: INodeProperties[]): INodeProperties[] {
	let result = properties;
	for (let before = Infinity; result.length < before; ) {
		before = result.length;
		result = mergeOnce(result).map(widen);
	}
	return formOrder(properties, result);
}

const SCOPE = ['system', 'resource', 'operation'];

/** A property without the dimensions a merge widens: what its copies share. */
function content(property: INodeProperties): string {
	const show = { ...property.displayOptions?.show };
	for (const dimension of SCOPE) delete show[dimension];
	return JSON.stringify({ ...property, displayOptions: { ...property.displayOptions, show } });
}

function covers(property: INodeProperties, op: Record<string, string>): boolean {
	const show = property.displayOptions?.show ?? {};
	return SCOPE.every((dimension) => !show[dimension] || (show[dimension] as string[]).includes(op[dimension]));
}

/**
 * n8n shows parameters in description order. A merged copy sits where its first copy was,
 * so a parameter shared by many operations (Custom Fields) could land above the fields of
 * a later operation. This orders the merged copies so that each operation sees its
 * parameters in the order they were built for it (a topological order; ties keep the
 * merged order). A conflict between two operations' orders is a defect of the builders
 * and fails loudly.
 */
function formOrder(built: INodeProperties[], merged: INodeProperties[]): INodeProperties[] {
	const byContent = new Map<string, number[]>();
	merged.forEach((property, index) => {
		const key = content(property);
		byContent.set(key, [...(byContent.get(key) ?? []), index]);
	});
	const sequences = new Map<string, number[]>();
	for (const property of built) {
		const show = property.displayOptions?.show ?? {};
		const op = Object.fromEntries(SCOPE.map((dimension) => [dimension, String((show[dimension] as string[] | undefined)?.[0])]));
		const target = byContent.get(content(property))?.find((index) => covers(merged[index], op));
		if (target === undefined) continue;
		const id = SCOPE.map((dimension) => op[dimension]).join('.');
		sequences.set(id, [...(sequences.get(id) ?? []), target]);
	}
	const after = merged.map(() => new Set<number>());
	const indegree = merged.map(() => 0);
	for (const sequence of sequences.values()) {
		for (let i = 1; i < sequence.length; i++) {
			const [from, to] = [sequence[i - 1], sequence[i]];
			if (from === to || after[from].has(to)) continue;
			after[from].add(to);
			indegree[to]++;
		}
	}
	const order: number[] = [];
	const done = merged.map(() => false);
	for (let placed = 0; placed < merged.length; placed++) {
		const next = indegree.findIndex((count, index) => count === 0 && !done[index]);
		if (next === -1) {
			const stuck = merged.filter((_, index) => !done[index]).map((property) => property.name);
			throw new Error(`Operations disagree on the order of the parameters ${[...new Set(stuck)].join(', ')}`);
		}
		done[next] = true;
		order.push(next);
		for (const to of after[next]) indegree[to]--;
	}
	return order.map((index) => merged[index]);
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
