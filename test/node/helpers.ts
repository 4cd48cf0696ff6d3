/**
 * The Makini node against the sandbox over loopback: credentials, a runner, real keys
 * from the sandbox's data, and parameters that run any documented operation.
 */
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { MakiniCmms } from '../../nodes/Makini/MakiniCmms.node';
import { MakiniErp } from '../../nodes/Makini/MakiniErp.node';
import { MakiniWms } from '../../nodes/Makini/MakiniWms.node';
import { FAMILIES, type MakiniFamily } from '../../nodes/shared/registry/families';
import { bodyLayout, hasFieldBody, pathPlaceholders } from '../../nodes/shared/registry/fields';
import { fieldParameterName } from '../../nodes/shared/registry/parameters';
import { AUTHENTICATION_VALUE } from '../../nodes/shared/registry/kinds';
import { credentialTypeOf } from '../../nodes/shared/registry/kinds';
import { findOperation, type ContractOperation } from '../../nodes/shared/registry';
import { PRODUCTS, startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox';
import { runNode } from '../harness/execute';
import type { CredentialStore } from '../harness/http';

/** The three action nodes, one per Makini family. */
export const FAMILY_NODES: Record<MakiniFamily, INodeType> = { eam: new MakiniCmms(), erp: new MakiniErp(), wms: new MakiniWms() };

/** The family node that runs an operation of `system`: its own, or (for the platform) Makini CMMS, as any would. */
export function familyOf(system: unknown): MakiniFamily {
	return FAMILIES.find((f) => f.family === system)?.family ?? 'eam';
}

/** The node for a system, or for parameters that name one. */
export function nodeFor(what: string | INodeParameters): INodeType {
	return FAMILY_NODES[familyOf(typeof what === 'string' ? what : what.system)];
}

/** Runs the family node the parameters' system belongs to. */
export function runMakini(options: Parameters<typeof runNode>[1]): ReturnType<typeof runNode> {
	return runNode(nodeFor(options.parameters), options);
}

export interface NodeSandbox {
	sb: SandboxHandle;
	credentials: CredentialStore;
	run(parameters: INodeParameters, options?: { items?: INodeExecutionData[]; continueOnFail?: boolean }): ReturnType<typeof runNode>;
}

export async function startNodeSandbox(options: SandboxOptions = {}): Promise<NodeSandbox> {
	const sb = await startSandbox({ port: 0, workOrders: 60, autoWebhooks: false, ...options });
	const credentials = (): CredentialStore => ({
		makiniApi: { apiToken: sb.apiToken, baseUrl: sb.url },
		makiniSystemApi: { clientId: sb.systemClientId, clientSecret: sb.systemClientSecret, baseUrl: sb.url },
	});
	const shared = credentials();
	return {
		sb,
		credentials: shared,
		run: (parameters, runOptions = {}) => runMakini({ parameters, credentials: credentials(), ...runOptions }),
	};
}

/**
 * Starts the sandbox before a file's tests and closes it after them; with
 * `resetScenarios`, also puts it back to normal after each test.
 */
export function useNodeSandbox(options: SandboxOptions = {}, hooks: { resetScenarios?: boolean } = {}): NodeSandbox {
	const env = {} as NodeSandbox;
	beforeAll(async () => {
		Object.assign(env, await startNodeSandbox(options));
	});
	afterAll(async () => {
		await env.sb.close();
	});
	if (hooks.resetScenarios) {
		afterEach(async () => {
			await env.sb.admin.resetScenarios();
		});
	}
	return env;
}

/** The sandbox's records of a collection (a collection name or a registry resource id). */
export function records(sb: SandboxHandle, collection: string): IDataObject[] {
	return sb.admin.listRecords({ collection }) as unknown as IDataObject[];
}

export function firstKey(sb: SandboxHandle, collection: string): string {
	const record = records(sb, collection)[0];
	if (!record) throw new Error(`The sandbox has no ${collection}`);
	return String(record.key);
}

/** The collection of statuses of an entity operation, e.g. statuses/work-orders. */
export function statusCollection(op: ContractOperation): string {
	return `statuses/${op.path.split('/')[3]}`;
}

/** A text value for a required field: a real key for references, a date for dates, text otherwise. */
function valueFor(sb: SandboxHandle, field: string): unknown {
	const reference: Record<string, string> = {
		siteKey: 'sites',
		vendorKey: 'vendors',
		assetKey: 'assets',
		materialKey: 'materials',
		storeroomKey: 'storerooms',
		locationKey: 'locations',
		customerKey: 'customers',
		uomKey: 'uom',
		currencyKey: 'currencies',
		poKey: 'purchase-orders',
		salesOrderKey: 'sales-orders',
		fromLocationKey: 'locations',
		toLocationKey: 'locations',
	};
	if (reference[field]) return firstKey(sb, reference[field]);
	if (/(At|Date)$/.test(field) || field === 'date') return '2026-03-01T08:00:00Z';
	if (field === 'quantity') return 4;
	if (field === 'email') return 'new.customer@example.com';
	if (field === 'provider') return 'maintainx';
	return `Test ${field}`;
}

/** Parameters that run one documented operation against the sandbox with valid data. */
export function parametersFor(op: ContractOperation, sb: SandboxHandle): { parameters: INodeParameters; items?: INodeExecutionData[] } {
	const parameters: INodeParameters = {
		authentication: AUTHENTICATION_VALUE[credentialTypeOf(op)],
		// What the editor keeps: the family node's hidden System, also for platform resources.
		system: familyOf(op.system),
		resource: op.resource,
		operation: op.operation,
	};
	let items: INodeExecutionData[] | undefined;
	const placeholders = pathPlaceholders(op);
	if (placeholders.includes('key')) {
		if (op.operation === 'updateMaterial') {
			const line = records(sb, 'work-order-materials')[0];
			parameters.key = String(line.workOrderKey);
			parameters.materialKey = String(line.materialKey);
		} else {
			const owner = findOperation(op.system, op.resource, 'get') ?? op;
			parameters.key = firstKey(sb, owner.path.split('/')[3]);
		}
	}
	if (placeholders.includes('id')) parameters.connectionId = sb.connections[op.operation === 'delete' ? 2 : 1].id;
	if (placeholders.includes('table')) parameters.table = 'WORKORDER';
	if (op.operation === 'updateStatus') parameters.status = firstKey(sb, statusCollection(op));
	if (op.multipart) {
		parameters.name = 'Inspection photo';
		items = [{ json: {}, binary: { data: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'note.txt' } } }];
	}
	if (op.operation === 'setMetadata') parameters.metadata = { entries: [{ key: 'plant', value: 'north' }] };
	if (op.resource === 'passthrough') Object.assign(parameters, { method: 'get', path: 'dataservice' });
	if (hasFieldBody(op)) {
		const layout = bodyLayout(op);
		const required = new Set(PRODUCTS.maximo.required[op.resource] ?? []);
		for (const field of layout.primary) {
			const name = fieldParameterName(field);
			if (field.type === 'number' || field.type === 'integer') parameters[name] = field.name === 'usedQuantity' ? 1 : 3;
			else if (field.required || required.has(field.name) || op.operation !== 'update') {
				parameters[name] = valueFor(sb, field.name) as string;
			}
		}
		if (op.operation === 'update') {
			const text = layout.additional.find((f) => f.name === 'notes' || f.name === 'description');
			if (text) parameters[layout.collection] = { [text.name]: 'Changed by the node test' };
		}
	}
	return { parameters, items };
}

/** A documented path as a pattern matching it with any placeholder values. */
export function pathPattern(op: Pick<ContractOperation, 'path'>): RegExp {
	const escaped = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/?]+');
	return new RegExp(`^${escaped}(\\?|$)`);
}
