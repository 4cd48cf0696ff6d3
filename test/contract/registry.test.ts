/**
 * The operation registry against Makini's published contract (the sibling folder
 * shared/makini-api): the committed tables equal a fresh derivation, every documented
 * operation is reachable in the node's description and executed by its router against
 * the sandbox, and the node's body fields have the documented names and types.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { NodeHelpers } from 'n8n-workflow';
import type { INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CONTRACT, OPERATIONS, operationId, type ContractOperation, type MakiniSystem } from '../../nodes/shared/registry';
import { bodyFields, bodyLayout, fieldInput, hasFieldBody, pathPlaceholders, type FieldInput } from '../../nodes/shared/registry/fields';
import { credentialTypeOf } from '../../nodes/shared/registry/kinds';
import { AUTHENTICATION_VALUE } from '../../nodes/shared/registry/kinds';
import { PLACEHOLDER_PARAMETERS } from '../../nodes/shared/registry/parameters';
import { deriveSystem, SPEC_FILES, type OasDocument } from '../../scripts/contract/derive';
import { node, parametersFor, pathPattern, useNodeSandbox } from '../node/helpers';

const SPEC_DIR = join(__dirname, '..', '..', '..', 'shared', 'makini-api');
const spec = (system: MakiniSystem) => JSON.parse(readFileSync(join(SPEC_DIR, SPEC_FILES[system]), 'utf8')) as OasDocument;

const description = node.description;
const properties = description.properties;
const typeVersion = { typeVersion: 1 };

function visible(parameters: INodeParameters, property: INodeProperties): boolean {
	return NodeHelpers.displayParameter(parameters, property, typeVersion, description);
}

/** The parameters n8n resolves for an operation (defaults filled in, hidden ones dropped). */
function resolved(op: ContractOperation, extra: INodeParameters = {}): INodeParameters {
	const values = {
		authentication: AUTHENTICATION_VALUE[credentialTypeOf(op)],
		system: op.system,
		resource: op.resource,
		operation: op.operation,
		...extra,
	};
	return NodeHelpers.getNodeParameters(properties, values, true, false, typeVersion, description) ?? {};
}

function optionValues(property: INodeProperties): unknown[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((option) => option.value);
}

describe('the committed registry is the derivation of the published contract', () => {
	it.each(Object.keys(SPEC_FILES) as MakiniSystem[])('%s', (system) => {
		expect(CONTRACT[system]).toEqual(deriveSystem(system, spec(system)));
	});

	it('holds the 289 documented operations: EAM 86, ERP 107, WMS 83, system 13', () => {
		const counts = Object.fromEntries(Object.entries(CONTRACT).map(([system, tables]) => [system, tables.operations.length]));
		expect(counts).toEqual({ eam: 86, erp: 107, wms: 83, platform: 13 });
		expect(new Set(OPERATIONS.map(operationId)).size).toBe(289);
	});

	it('carries every documented request-body field of the spec files', () => {
		for (const op of OPERATIONS) {
			const doc = spec(op.system).paths[op.path][op.method.toLowerCase()] as {
				requestBody?: { content: Record<string, { schema: { type?: string; properties?: object; items?: { properties?: object } } }> };
			};
			const schema = doc.requestBody ? Object.values(doc.requestBody.content)[0].schema : undefined;
			const props = schema?.type === 'array' ? schema.items?.properties : schema?.properties;
			const documented = props && !Array.isArray(props) ? Object.keys(props) : [];
			// Lists only the record documents (PurchaseOrder.lineItems) come after, marked recordOnly.
			const fromBody = (op.body ?? []).filter((f) => !f.recordOnly).map((f) => f.name);
			expect([operationId(op), fromBody]).toEqual([operationId(op), documented]);
		}
	});
});

describe('every documented operation is reachable through the node description', () => {
	const system = properties.find((p) => p.name === 'system')!;

	function reachable(op: ContractOperation): string | undefined {
		if (!optionValues(system).includes(op.system)) return 'system not offered';
		const resources = properties.filter((p) => p.name === 'resource' && visible({ system: op.system }, p));
		if (!resources.some((p) => optionValues(p).includes(op.resource))) return 'resource not offered';
		const operations = properties.filter(
			(p) => p.name === 'operation' && visible({ system: op.system, resource: op.resource }, p),
		);
		if (operations.length !== 1) return `${operations.length} operation parameters visible`;
		if (!optionValues(operations[0]).includes(op.operation)) return 'operation not offered';
		const values = resolved(op);
		if (values.system !== op.system || values.resource !== op.resource || values.operation !== op.operation) {
			return 'n8n does not keep the selection';
		}
		for (const placeholder of pathPlaceholders(op)) {
			if (!(PLACEHOLDER_PARAMETERS[placeholder].name in values)) return `no parameter for {${placeholder}}`;
		}
		// Exactly one copy of each parameter applies: merged display conditions never overlap.
		for (const extra of [{}, { bodyMode: 'json' }, { returnAll: true }]) {
			const names = properties.filter((p) => visible({ ...values, ...extra }, p)).map((p) => p.name);
			const twice = names.filter((name, i) => names.indexOf(name) !== i);
			if (twice.length) return `parameters shown twice: ${twice.join(', ')}`;
		}
		const shown = (description.credentials ?? []).filter((c) => visible(values, c as unknown as INodeProperties));
		if (shown.length !== 1 || shown[0].name !== credentialTypeOf(op)) {
			return `credentials shown: ${shown.map((c) => c.name).join(', ') || 'none'}`;
		}
		return undefined;
	}

	it("keeps System, Resource and Operation visible in n8n's editor (no credential depends on a conditioned parameter)", () => {
		// The editor hides every parameter named in the display conditions of the
		// parameters the credentials' display conditions name (its "auth fields").
		const authFieldNames = new Set((description.credentials ?? []).flatMap((c) => Object.keys(c.displayOptions?.show ?? {})));
		const authFields = properties.filter((p) => authFieldNames.has(p.name));
		expect(authFields.map((p) => p.name)).toEqual(['authentication']);
		const hiddenByEditor = new Set(authFields.flatMap((p) => Object.keys(p.displayOptions?.show ?? {})));
		expect([...hiddenByEditor]).toEqual([]);
	});

	it('offers all 289 (system, resource, operation) combinations with their path parameters and credential', () => {
		const problems = OPERATIONS.map((op) => [operationId(op), reachable(op)]).filter(([, problem]) => problem);
		const reached = OPERATIONS.length - problems.length;
		console.log(`Reachable in the node description: ${reached}/${OPERATIONS.length}`);
		expect(problems).toEqual([]);
		expect(reached).toBe(289);
	});

	it('offers no operation the contract does not document (no invented Delete)', () => {
		const offered = new Set<string>();
		for (const property of properties.filter((p) => p.name === 'operation')) {
			const show = property.displayOptions!.show!;
			for (const value of optionValues(property)) {
				offered.add(`${String(show.system![0])}.${String(show.resource![0])}.${String(value)}`);
			}
		}
		expect([...offered].sort()).toEqual(OPERATIONS.map(operationId).sort());
		const deletes = [...offered].filter((id) => id.endsWith('.delete'));
		expect(deletes).toEqual(['platform.connection.delete']);
	});

	it('tells a builder looking for Delete what to use instead, on Update Status only', () => {
		for (const op of OPERATIONS.filter((o) => o.operation === 'updateStatus')) {
			const scope = { system: op.system, resource: op.resource, operation: op.operation };
			const notice = properties.find((p) => p.type === 'notice' && visible(scope, p));
			expect([operationId(op), notice?.displayName]).toEqual([operationId(op), expect.stringMatching(/no Delete.*Update Status/)]);
		}
		const elsewhere = properties.filter((p) => /no Delete/.test(`${p.displayName} ${p.hint ?? ''}`) && !(p.displayOptions?.show?.operation ?? []).every((o) => o === 'updateStatus'));
		expect(elsewhere.map((p) => p.name)).toEqual([]);
		const disconnect = properties.find((p) => p.name === 'operation' && visible({ system: 'platform', resource: 'connection' }, p))!;
		expect(optionValues(disconnect)).toEqual(expect.arrayContaining(['disconnect', 'delete']));
	});
});

describe('the node’s body fields have the documented names and types', () => {
	const TYPES: Record<FieldInput, string[]> = {
		string: ['string'],
		number: ['number'],
		integer: ['number'],
		boolean: ['boolean'],
		dateTime: ['dateTime'],
		keyList: ['string'],
		lines: ['fixedCollection'],
		json: ['string', 'json'],
	};

	it.each(OPERATIONS.filter(hasFieldBody).map((op) => [operationId(op), op] as const))('%s', (_id, op) => {
		const values = resolved(op, { bodyMode: 'fields' });
		const layout = bodyLayout(op);
		const shown = properties.filter((p) => visible(values, p));
		const found = new Map<string, string>();
		for (const field of layout.primary) {
			const property = shown.find((p) => p.displayName && p.name.replace(/Field$/, '') === field.name);
			if (property) found.set(field.name, property.type);
		}
		const collection = shown.find((p) => p.name === layout.collection);
		for (const option of (collection?.options ?? []) as INodeProperties[]) found.set(option.name, option.type);

		const expected = bodyFields(op).filter((f) => !layout.fromPath.includes(f.name));
		expect([...found.keys()].sort()).toEqual(expected.map((f) => f.name).sort());
		for (const field of expected) {
			expect([field.name, TYPES[fieldInput(field)]]).toEqual([field.name, expect.arrayContaining([found.get(field.name)])]);
		}
		// Dates are dateTime; lists of lines are sent as arrays (multiple values).
		for (const field of expected.filter((f) => /[a-z](At|Date)$/.test(f.name) && f.type !== 'json')) {
			expect([field.name, found.get(field.name)]).toEqual([field.name, 'dateTime']);
		}
	});
});

describe('the router executes every documented operation against the sandbox', () => {
	const env = useNodeSandbox({ workOrders: 40 });

	it('sends each of the 289 to its documented method and path', async () => {
		// Disconnecting ends the token's life: last.
		const ordered = [...OPERATIONS].sort(
			(a, b) => Number(a.operation === 'disconnect') - Number(b.operation === 'disconnect'),
		);
		const missed: string[] = [];
		const failed: string[] = [];
		for (const op of ordered) {
			const { parameters, items } = parametersFor(op, env.sb);
			const { items: output, harness } = await env.run(parameters, { items, continueOnFail: true });
			const hit = harness.http.log.find(
				(entry) => entry.method === op.method && pathPattern(op).test(new URL(entry.url).pathname + new URL(entry.url).search),
			);
			if (!hit) missed.push(`${operationId(op)}: ${harness.http.log.map((e) => `${e.method} ${e.url}`).join(', ') || JSON.stringify(output[0]?.json)}`);
			else if (!hit.status || hit.status >= 300) failed.push(`${operationId(op)}: ${hit.status} ${JSON.stringify(output[0]?.json)}`);
		}
		const executed = ordered.length - missed.length;
		console.log(`Executed by the router: ${executed}/${ordered.length}; answered 2xx: ${executed - failed.length}/${ordered.length}`);
		expect(missed).toEqual([]);
		expect(executed).toBe(289);
		expect(failed).toEqual([]);
	});
});
