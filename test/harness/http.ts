/**
 * The HTTP side of the harness: each harness's log of the requests its node sent (recorded
 * from n8n's own axios, see ./n8n.ts), and n8n's credential test.
 */
import { ExecuteContext } from 'n8n-core';
import { NodeApiError, Workflow, type IDataObject, type IHttpRequestOptions, type INode, type INodeType } from 'n8n-workflow';

import {
	CREDENTIAL_TYPES,
	additionalDataFor,
	emptyRunExecutionData,
	nodeTypesOf,
	withHttpLog,
	type CredentialStore,
	type HttpLogEntry,
} from './n8n';

export { CREDENTIAL_TYPES, type CredentialStore, type HttpLogEntry };

/** The node n8n's credential tester runs the test request as (see testCredential). */
const credentialTestNodeType: INodeType = {
	description: {
		displayName: 'NoOp',
		name: 'noOp',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Temp-Node' },
		inputs: [],
		outputs: [],
		properties: [],
		credentials: Object.keys(CREDENTIAL_TYPES).map((name) => ({ name, required: true })),
	},
};

export class HttpHarness {
	readonly log: HttpLogEntry[] = [];

	constructor(private readonly credentials: CredentialStore) {}

	/**
	 * Runs a credential's `test` request and rules it as n8n's credential tester does
	 * (packages/cli/src/services/credentials-tester.service.ts, n8n 2.41.1): the request is
	 * sent from a temporary NoOp node with `{ temp: '' }` (so preAuthentication always runs),
	 * through n8n-core's httpRequestWithAuthentication; a failure is ruled by the
	 * `responseCode` rules, a success by the `responseSuccessBody` rules.
	 */
	async testCredential(credentialType: string): Promise<{ status: 'OK' | 'Error'; message: string }> {
		const type = CREDENTIAL_TYPES[credentialType];
		const test = type.test;
		if (!test) return { status: 'Error', message: 'no test' };
		const node: INode = {
			id: 'temp',
			name: 'Temp-Node',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			parameters: { temp: '' },
			credentials: { [credentialType]: { id: credentialType, name: credentialType } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: nodeTypesOf(credentialTestNodeType, node.type),
		});
		const additionalData = additionalDataFor(this.credentials);
		const items = [{ json: {} }];
		const context = new ExecuteContext(workflow, workflow.nodes[node.name], additionalData, 'internal', emptyRunExecutionData(), 0, items, { main: [items] }, { node, data: { main: [items] }, source: null }, []);
		const credentials = await context.getCredentials(credentialType, 0);
		const resolve = (value: unknown) =>
			typeof value === 'string'
				? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '')
				: undefined;
		const options: IHttpRequestOptions = {
			method: test.request.method ?? 'GET',
			url: resolve(test.request.url) ?? '',
			baseURL: resolve(test.request.baseURL),
			json: true,
		};
		let body: unknown;
		try {
			body = await withHttpLog(this.log, async () =>
				await (context.helpers.httpRequestWithAuthentication as (this: unknown, t: string, o: IHttpRequestOptions) => Promise<unknown>).call(context, credentialType, options),
			);
		} catch (error) {
			const httpCode = error instanceof NodeApiError ? Number(error.httpCode) : undefined;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === httpCode) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: (error as Error).message };
		}
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const value = rule.properties.key.split('.').reduce<unknown>((o, k) => (o as IDataObject | undefined)?.[k], body);
				if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection tested successfully' };
	}
}
