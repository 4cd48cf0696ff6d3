/**
 * The form reads top to bottom for every documented operation: the record (or its key),
 * the fields a builder almost always sets, Additional / Update Fields, Custom Fields, then
 * Options; Get Many as n8n's own nodes have it (Return All, Limit, Filters, Options). The
 * same fields keep the same order in every system, and no system-managed field is offered
 * for writing.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { OPERATIONS, operationId, type ContractOperation } from '../../nodes/shared/registry';
import { hasFieldBody, isSystemManaged, pathPlaceholders } from '../../nodes/shared/registry/fields';
import { AUTHENTICATION_VALUE, credentialTypeOf } from '../../nodes/shared/registry/kinds';
import { nodeFor } from '../node/helpers';

const typeVersion = { typeVersion: 1 };
const SELECTORS = new Set(['authentication', 'system', 'resource', 'operation']);

/** Where a parameter belongs in the form; everything unnamed is a field the builder sets. */
const SLOT: Record<string, number> = {
	key: 0,
	connectionId: 0,
	table: 0,
	status: 1,
	deleteNotice: 1,
	bodyMode: 2,
	additionalFields: 4,
	updateFields: 4,
	customFields: 5,
	// Create or Get: how the create is made, after what it sends.
	createOrGet: 5.5,
	createOrGetField: 5.5,
	returnAll: 6,
	limit: 7,
	filters: 8,
	simple: 8.5,
	options: 9,
	// A connection's token settings, after the connection's own fields.
	tokenNotice: 4.5,
	includeTokens: 4.5,
	expiresIn: 4.5,
};
/** materialKey is the path's (first) on a material line's update, a body field elsewhere. */
const slotIn = (op: ContractOperation) => (name: string) =>
	name === 'materialKey' && pathPlaceholders(op).includes('materialKey') ? 0 : (SLOT[name] ?? 3);
const slot = (name: string) => SLOT[name] ?? 3;

/** The parameters n8n shows for an operation, in the order it shows them. */
function form(op: ContractOperation, extra: INodeParameters = {}): INodeProperties[] {
	// The family node that offers the operation (its conditions name no system).
	const { description } = nodeFor(op.system);
	const set = {
		authentication: AUTHENTICATION_VALUE[credentialTypeOf(op)],
		system: op.system,
		resource: op.resource,
		operation: op.operation,
		...extra,
	};
	const values = NodeHelpers.getNodeParameters(description.properties, set, true, false, typeVersion, description) ?? {};
	return description.properties.filter(
		(p) => !SELECTORS.has(p.name) && NodeHelpers.displayParameter({ ...values, ...extra }, p, typeVersion, description),
	);
}

const names = (properties: INodeProperties[]) => properties.map((p) => p.name);

describe('every form reads top to bottom', () => {
	it.each([[{}], [{ bodyMode: 'json' }], [{ returnAll: true }]])('in the order of the rule (%j)', (extra) => {
		const broken: string[] = [];
		for (const op of OPERATIONS) {
			const shown = names(form(op, extra));
			const slots = shown.map(slotIn(op));
			if (slots.some((value, i) => i > 0 && value < slots[i - 1])) broken.push(`${operationId(op)}: ${shown.join(', ')}`);
		}
		expect(broken).toEqual([]);
	});

	it('Get Many has Return All, Limit, Filters, Options in that order, nothing after Options', () => {
		for (const op of OPERATIONS.filter((o) => o.operation === 'getMany' && o.filterable)) {
			const tail = names(form(op)).filter((name) => slot(name) >= 6);
			expect([operationId(op), tail]).toEqual([operationId(op), expect.arrayContaining(['returnAll', 'limit', 'filters'])]);
			expect([operationId(op), tail.slice(0, 3)]).toEqual([operationId(op), ['returnAll', 'limit', 'filters']]);
		}
	});

	it('keeps the same fields in the same order in every system', () => {
		const byOperation = new Map<string, Map<string, string[]>>();
		for (const op of OPERATIONS) {
			const id = `${op.resource}.${op.operation}`;
			if (!byOperation.has(id)) byOperation.set(id, new Map());
			byOperation.get(id)!.set(op.system, names(form(op)));
		}
		const disagreements: string[] = [];
		for (const [id, systems] of byOperation) {
			const forms = [...systems.entries()];
			for (const [systemA, a] of forms) {
				for (const [systemB, b] of forms) {
					const common = a.filter((name) => b.includes(name));
					const inB = b.filter((name) => common.includes(name));
					if (common.join() !== inB.join()) disagreements.push(`${id}: ${systemA} ${common.join()} / ${systemB} ${inB.join()}`);
				}
			}
		}
		expect(disagreements).toEqual([]);
	});

	it('offers no system-managed field (key, createdAt, updatedAt, ...) for writing', () => {
		const offered: string[] = [];
		for (const op of OPERATIONS.filter(hasFieldBody)) {
			for (const property of form(op)) {
				if (slot(property.name) === 3 && isSystemManaged({ name: property.name })) offered.push(`${operationId(op)}: ${property.name}`);
				if (property.name === 'additionalFields' || property.name === 'updateFields') {
					for (const option of (property.options ?? []) as INodeProperties[]) {
						if (isSystemManaged({ name: option.name })) offered.push(`${operationId(op)}: ${property.name}.${option.name}`);
					}
				}
			}
		}
		expect(offered).toEqual([]);
	});

	it('the check finds a form out of order (so a pass means something)', () => {
		const slots = ['options', 'returnAll'].map(slot);
		expect(slots[1] < slots[0]).toBe(true);
	});
});
