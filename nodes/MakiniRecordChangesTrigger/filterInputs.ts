/**
 * The Filters' value inputs for every watched list in one form. The action node has one
 * Filters per list; a copy per watched list here would multiply the trigger's description
 * by about 16 (86 lists). Most fields take the same input in every list that has them
 * (createdAt a date, vendorKey a vendor), so an input shows by field; only the fields whose
 * input differs between lists (statusKey, status, parentKey, currencyKey...) add the
 * system, and where needed the resource, to its condition. The form and execution read
 * the same table (`filterUse`), so the input shown is the one read.
 *
 * Version 1 of the node kept every value as text: its saved rows carry `value` only, which
 * n8n would drop if the field now showed another input, so version 1 keeps that form.
 */
import type { DisplayCondition } from 'n8n-workflow';

import type { FilterValueInput } from '../shared/descriptions/filters';
import type { FilterRowTypes } from '../shared/filterRows';
import {
	FILTER_VALUE_PARAMETER,
	filterableFields,
	filterRecordTarget,
	filterValueKind,
	filterValueParameterOf,
	type FilterValueKind,
} from '../shared/registry/filters';
import { WATCHED_RESOURCES, type WatchedResource } from './resources';

/** The node version from which filter values are typed. */
export const TYPED_FILTERS_VERSION = 2;

export interface FilterUse {
	kind: FilterValueKind;
	parameter: string;
	resource?: string;
}

function listUse(w: WatchedResource, name: string): FilterUse | undefined {
	const field = filterableFields(w.list).find((f) => f.name === name);
	if (!field) return undefined;
	const kind = filterValueKind(w.list, field);
	const parameter = filterValueParameterOf(w.list, name);
	return kind === 'record' ? { kind, parameter, resource: filterRecordTarget(w.list, name) } : { kind, parameter };
}

const id = (w: WatchedResource) => `${w.system}.${w.resource}`;

interface Table {
	/** Field → the use it has in every list that has it. */
	everywhere: Map<string, FilterUse>;
	/** System → field → the use it has in every list of that system that has it. */
	bySystem: Map<string, Map<string, FilterUse>>;
	/** Inputs whose field takes them in some lists of a system only. */
	byResources: Array<{ use: FilterUse; system: string; resources: string[]; fields: string[] }>;
	/** Fields some list gives another input than text. */
	special: string[];
}

function buildTable(lists: readonly WatchedResource[]): Table {
	const uses = new Map<string, Map<string, FilterUse>>(); // field → list id → use
	for (const w of lists) {
		for (const field of filterableFields(w.list)) {
			if (!uses.has(field.name)) uses.set(field.name, new Map());
			uses.get(field.name)!.set(id(w), listUse(w, field.name)!);
		}
	}
	const table: Table = { everywhere: new Map(), bySystem: new Map(), byResources: [], special: [] };
	const byResources = new Map<string, { use: FilterUse; system: string; resources: string[]; fields: string[] }>();
	for (const [field, perList] of uses) {
		const all = [...perList.values()];
		if (all.some((u) => u.kind !== 'text')) table.special.push(field);
		if (all.every((u) => u.parameter === all[0].parameter)) {
			table.everywhere.set(field, all[0]);
			continue;
		}
		for (const system of [...new Set(lists.map((w) => w.system))]) {
			const here = lists.filter((w) => w.system === system && perList.has(id(w)));
			if (!here.length) continue;
			const parameters = [...new Set(here.map((w) => perList.get(id(w))!.parameter))];
			if (parameters.length === 1) {
				if (!table.bySystem.has(system)) table.bySystem.set(system, new Map());
				table.bySystem.get(system)!.set(field, perList.get(id(here[0]))!);
				continue;
			}
			for (const parameter of parameters) {
				const resources = here.filter((w) => perList.get(id(w))!.parameter === parameter).map((w) => w.resource);
				const key = `${parameter} ${system} ${resources.join(',')}`;
				const group = byResources.get(key) ?? { use: perList.get(`${system}.${resources[0]}`)!, system, resources, fields: [] };
				group.fields.push(field);
				byResources.set(key, group);
			}
		}
	}
	table.byResources = [...byResources.values()];
	return table;
}

const TABLE = buildTable(WATCHED_RESOURCES);

/** The input a row's value takes in the watched list, as the form shows it; unknown fields are text. */
export function filterUse(w: Pick<WatchedResource, 'system' | 'resource' | 'list'>, field: string): FilterUse {
	return (
		listUse(w as WatchedResource, field) ??
		TABLE.everywhere.get(field) ??
		TABLE.bySystem.get(w.system)?.get(field) ?? { kind: 'text', parameter: FILTER_VALUE_PARAMETER.text }
	);
}

/** How readFilterRows reads the watched list's rows. */
export function filterRowTypes(w: WatchedResource, timeZone: string): FilterRowTypes {
	return {
		kindOf: (field) => filterUse(w, field).kind,
		parameterOf: (field) => filterUse(w, field).parameter,
		timeZone,
	};
}

const TYPED: DisplayCondition = { _cnd: { gte: TYPED_FILTERS_VERSION } };
const UNTYPED: DisplayCondition = { _cnd: { lt: TYPED_FILTERS_VERSION } };

/** Groups fields by the input they take, in a stable order. */
function byParameter(entries: Iterable<[string, FilterUse]>): Array<{ use: FilterUse; fields: string[] }> {
	const groups = new Map<string, { use: FilterUse; fields: string[] }>();
	for (const [field, use] of entries) {
		if (use.kind === 'text') continue;
		const group = groups.get(use.parameter) ?? { use, fields: [] };
		group.fields.push(field);
		groups.set(use.parameter, group);
	}
	return [...groups.values()].sort((a, b) => a.use.parameter.localeCompare(b.use.parameter));
}

function input(use: FilterUse, fields: string[], show: Record<string, string[]> = {}): FilterValueInput {
	return { ...use, show: { '@version': [TYPED], ...show, field: [...fields].sort() } };
}

/** Every value input of the trigger's Filters rows. */
export function filterValueInputs(): FilterValueInput[] {
	const inputs: FilterValueInput[] = [
		{ kind: 'text', parameter: FILTER_VALUE_PARAMETER.text, show: { '@version': [UNTYPED] } },
		{ kind: 'text', parameter: FILTER_VALUE_PARAMETER.text, show: { '@version': [TYPED] }, hideFields: [...TABLE.special].sort() },
	];
	for (const { use, fields } of byParameter(TABLE.everywhere)) inputs.push(input(use, fields));
	for (const [system, fields] of TABLE.bySystem) {
		for (const group of byParameter(fields)) inputs.push(input(group.use, group.fields, { '/system': [system] }));
		// A field that is text in this system's lists but not in every system's.
		const text = [...fields].filter(([, use]) => use.kind === 'text').map(([field]) => field);
		if (text.length) inputs.push(input({ kind: 'text', parameter: FILTER_VALUE_PARAMETER.text }, text, { '/system': [system] }));
	}
	for (const group of TABLE.byResources) {
		inputs.push(input(group.use, group.fields, { '/system': [group.system], '/resource': group.resources }));
	}
	return inputs;
}
