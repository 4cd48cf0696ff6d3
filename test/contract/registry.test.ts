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
import { FAMILIES, PLATFORM_RESOURCES, type MakiniFamily } from '../../nodes/shared/registry/families';
import { FAMILY_NODES, familyOf, parametersFor, pathPattern, useNodeSandbox } from '../node/helpers';

const SPEC_DIR = join(__dirname, '..', '..', '..', 'shared', 'makini-api');
const spec = (system: MakiniSystem) => JSON.parse(readFileSync(join(SPEC_DIR, SPEC_FILES[system]), 'utf8')) as OasDocument;

const typeVersion = { typeVersion: 1 };
const families = FAMILIES.map((f) => f.family);

/** The family nodes that offer an operation: its own system's, or all three for the platform's. */
function nodesOffering(op: ContractOperation): MakiniFamily[] {
	return op.system === 'platform' ? families : [op.system];
}

function visible(family: MakiniFamily, parameters: INodeParameters, property: INodeProperties): boolean {
	const { description } = FAMILY_NODES[family];
	return NodeHelpers.displayParameter({ system: family, ...parameters }, property, typeVersion, description);
}

/** The parameters n8n resolves for an operation in a family node (defaults filled in, hidden ones dropped). */
function resolved(op: ContractOperation, extra: INodeParameters = {}, family: MakiniFamily = familyOf(op.system)): INodeParameters {
	const { description } = FAMILY_NODES[family];
	const values = {
		authentication: AUTHENTICATION_VALUE[credentialTypeOf(op)],
		resource: op.resource,
		operation: op.operation,
		...extra,
	};
	return NodeHelpers.getNodeParameters(description.properties, values, true, false, typeVersion, description) ?? {};
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
			expect([operationId(op), (op.body ?? []).map((f) => f.name)]).toEqual([operationId(op), documented]);
		}
	});
});

describe('every documented operation is reachable through the family nodes’ descriptions', () => {
	const propertiesOf = (family: MakiniFamily) => FAMILY_NODES[family].description.properties;

	function reachable(op: ContractOperation, family: MakiniFamily): string | undefined {
		const properties = propertiesOf(family);
		const system = properties.find((p) => p.name === 'system')!;
		if (system.type !== 'hidden' || system.default !== family) return 'System is not the hidden family';
		const resources = properties.filter((p) => p.name === 'resource');
		if (resources.length !== 1 || !optionValues(resources[0]).includes(op.resource)) return 'resource not offered';
		const operations = properties.filter((p) => p.name === 'operation' && visible(family, { resource: op.resource }, p));
		if (operations.length !== 1) return `${operations.length} operation parameters visible`;
		if (!optionValues(operations[0]).includes(op.operation)) return 'operation not offered';
		const values = resolved(op, {}, family);
		if (values.system !== family || values.resource !== op.resource || values.operation !== op.operation) {
			return 'n8n does not keep the selection';
		}
		for (const placeholder of pathPlaceholders(op)) {
			if (!(PLACEHOLDER_PARAMETERS[placeholder].name in values)) return `no parameter for {${placeholder}}`;
		}
		// Exactly one copy of each parameter applies: merged display conditions never overlap.
		for (const extra of [{}, { bodyMode: 'json' }, { returnAll: true }]) {
			const names = properties.filter((p) => visible(family, { ...values, ...extra }, p)).map((p) => p.name);
			const twice = names.filter((name, i) => names.indexOf(name) !== i);
			if (twice.length) return `parameters shown twice: ${twice.join(', ')}`;
		}
		const shown = (FAMILY_NODES[family].description.credentials ?? []).filter((c) =>
			visible(family, values, c as unknown as INodeProperties),
		);
		if (shown.length !== 1 || shown[0].name !== credentialTypeOf(op)) {
			return `credentials shown: ${shown.map((c) => c.name).join(', ') || 'none'}`;
		}
		return undefined;
	}

	it.each(families)("keeps Resource and Operation visible in n8n's editor (%s: no credential depends on a conditioned parameter)", (family) => {
		// The editor hides every parameter named in the display conditions of the
		// parameters the credentials' display conditions name (its "auth fields").
		const { description } = FAMILY_NODES[family];
		const authFieldNames = new Set((description.credentials ?? []).flatMap((c) => Object.keys(c.displayOptions?.show ?? {})));
		const authFields = description.properties.filter((p) => authFieldNames.has(p.name));
		expect(authFields.map((p) => p.name)).toEqual(['authentication']);
		const hiddenByEditor = new Set(authFields.flatMap((p) => Object.keys(p.displayOptions?.show ?? {})));
		expect([...hiddenByEditor]).toEqual([]);
	});

	it('offers each of the 289 (system, resource, operation) combinations in its family node (the platform’s in all three), with path parameters and credential', () => {
		const checks = OPERATIONS.flatMap((op) => nodesOffering(op).map((family) => [op, family] as const));
		const problems = checks.map(([op, family]) => [`${family}: ${operationId(op)}`, reachable(op, family)]).filter(([, problem]) => problem);
		const reached = new Set(checks.filter(([op, family]) => !reachable(op, family)).map(([op]) => operationId(op)));
		console.log(`Reachable in the family nodes: ${reached.size}/${OPERATIONS.length} operations, ${checks.length - problems.length}/${checks.length} node entries`);
		expect(problems).toEqual([]);
		expect(reached.size).toBe(289);
		expect(checks.length).toBe(289 + 2 * 13);
	});

	it.each(families)('%s offers no operation the contract does not document (no invented Delete), and none of another family', (family) => {
		const offered = new Set<string>();
		for (const property of propertiesOf(family).filter((p) => p.name === 'operation')) {
			const resource = String(property.displayOptions!.show!.resource![0]);
			const system = PLATFORM_RESOURCES.includes(resource) ? 'platform' : family;
			for (const value of optionValues(property)) offered.add(`${system}.${resource}.${String(value)}`);
		}
		const expected = OPERATIONS.filter((op) => op.system === family || op.system === 'platform').map(operationId);
		expect([...offered].sort()).toEqual(expected.sort());
		const deletes = [...offered].filter((id) => id.endsWith('.delete'));
		expect(deletes).toEqual(['platform.connection.delete']);
	});

	it('tells a builder looking for Delete what to use instead', () => {
		for (const op of OPERATIONS.filter((o) => o.operation === 'updateStatus')) {
			const family = familyOf(op.system);
			const operation = propertiesOf(family).find((p) => p.name === 'operation' && visible(family, { resource: op.resource }, p))!;
			expect([operationId(op), operation.hint]).toEqual([operationId(op), expect.stringMatching(/no Delete.*Update Status/)]);
		}
		for (const family of families) {
			const disconnect = propertiesOf(family).find((p) => p.name === 'operation' && visible(family, { resource: 'connection' }, p))!;
			expect(optionValues(disconnect)).toEqual(expect.arrayContaining(['disconnect', 'delete']));
		}
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
		const family = familyOf(op.system);
		const shown = FAMILY_NODES[family].description.properties.filter((p) => visible(family, values, p));
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
