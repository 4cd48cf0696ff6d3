/**
 * Runs a node the way n8n does (execute, load options, list search, poll): n8n-core's own
 * ExecuteContext, LoadOptionsContext and PollContext over n8n-workflow's Workflow, so node
 * parameters get their defaults and displayOptions as n8n applies them, expressions are
 * evaluated by n8n's expression engine (`$json`, `$now`, `$today`, Luxon and n8n's
 * extensions such as `.toDateTime()`), and HTTP goes through n8n-core's request helpers.
 * What n8n keeps outside n8n-core is in ./n8n.ts.
 */
import { ExecuteContext, LoadOptionsContext, PollContext } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IPollFunctions,
	Workflow,
} from 'n8n-workflow';

import type { MakiniContext } from '../../nodes/shared/transport';
import { HttpHarness } from './http';
import {
	additionalDataFor,
	asStored,
	emptyRunExecutionData,
	harnessLogger,
	recordHttpInto,
	withHttpLog,
	workflowFor,
	type CredentialStore,
	type LoggedLine,
} from './n8n';

export type { LoggedLine };

export interface RunOptions {
	parameters: INodeParameters;
	credentials?: CredentialStore;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Static data of the workflow, kept across runs by passing the same object. */
	staticData?: IDataObject;
	mode?: 'manual' | 'trigger';
	nodeName?: string;
}

/** The context's logger is n8n's Logger from DI; the harness keeps its lines per run (see ./n8n.ts). */
function keepLogs<T extends object>(context: T, harness: NodeHarness): T {
	Object.defineProperty(context, 'logger', { value: harnessLogger(harness.logs) });
	recordHttpInto(harness.http.log, harness.logs);
	return context;
}

export class NodeHarness {
	readonly http: HttpHarness;
	readonly logs: LoggedLine[] = [];
	readonly node: INode;
	readonly workflow: Workflow;
	readonly credentials: CredentialStore;
	staticData: IDataObject;

	constructor(
		readonly nodeType: INodeType,
		readonly options: RunOptions,
	) {
		this.credentials = options.credentials ?? {};
		this.staticData = options.staticData ?? {};
		const { workflow, node } = workflowFor(nodeType, {
			parameters: options.parameters,
			credentials: this.credentials,
			nodeName: options.nodeName,
			staticData: this.staticData,
		});
		// n8n's settings for "continue on fail" live on the node (onError), as the editor saves them.
		if (options.continueOnFail) node.onError = 'continueRegularOutput';
		this.workflow = workflow;
		this.node = node;
		this.http = new HttpHarness(this.credentials);
	}

	private items(): INodeExecutionData[] {
		return this.options.items ?? [{ json: {} }];
	}

	/** The ExecuteContext n8n's WorkflowExecute gives execute() for one run of the node. */
	executeContext(): IExecuteFunctions {
		const items = this.items();
		const runExecutionData = emptyRunExecutionData();
		const inputData = { main: [items] };
		const context = new ExecuteContext(
			this.workflow,
			this.node,
			additionalDataFor(this.credentials),
			this.options.mode ?? 'manual',
			runExecutionData,
			0,
			items,
			inputData,
			{ node: this.node, data: inputData, source: { main: [{ previousNode: 'Start' }] } },
			[],
			new AbortController().signal,
		);
		return keepLogs(context, this);
	}

	/**
	 * The LoadOptionsContext n8n builds for the editor's option and list-search requests
	 * (packages/cli dynamic-node-parameters.service.ts: the node's current parameters as
	 * `currentNodeParameters`).
	 */
	loadOptionsContext(): ILoadOptionsFunctions {
		const context = new LoadOptionsContext(
			this.workflow,
			this.node,
			additionalDataFor(this.credentials, { currentNodeParameters: this.node.parameters }),
			'',
		);
		return keepLogs(context, this);
	}

	/** The PollContext n8n's ActiveWorkflows gives poll() on each scheduled run. */
	pollContext(): IPollFunctions {
		const context = new PollContext(
			this.workflow,
			this.node,
			additionalDataFor(this.credentials),
			this.options.mode ?? 'trigger',
			'activate',
		);
		return keepLogs(context, this);
	}

	/** Runs `fn` with this harness's HTTP requests recorded in `http.log`. */
	async run<T>(fn: () => Promise<T>): Promise<T> {
		return await withHttpLog(this.http.log, fn, this.logs);
	}
}

/** Runs a node's execute() with real HTTP and returns its output. */
export async function runNode(nodeType: INodeType, options: RunOptions) {
	const harness = new NodeHarness(nodeType, options);
	if (!nodeType.execute) throw new Error('Node has no execute()');
	const output = (await harness.run(async () => await nodeType.execute!.call(harness.executeContext()))) as INodeExecutionData[][];
	return { output, items: output?.[0] ?? [], harness };
}

export async function loadOptions(nodeType: INodeType, method: string, options: RunOptions): Promise<INodePropertyOptions[]> {
	const harness = new NodeHarness(nodeType, options);
	const fn = nodeType.methods?.loadOptions?.[method];
	if (!fn) throw new Error(`No loadOptions method ${method}`);
	return await harness.run(async () => await fn.call(harness.loadOptionsContext()));
}

export async function listSearch(
	nodeType: INodeType,
	method: string,
	options: RunOptions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const harness = new NodeHarness(nodeType, options);
	const fn = nodeType.methods?.listSearch?.[method];
	if (!fn) throw new Error(`No listSearch method ${method}`);
	return await harness.run(async () => await fn.call(harness.loadOptionsContext(), filter, paginationToken));
}

/**
 * Runs a polling trigger's poll() once, and saves its static data into the caller's object
 * as n8n does (packages/cli active-workflow-manager.ts, n8n 2.41.1): after a poll of an
 * active workflow, through WorkflowStaticDataService.saveStaticData, which writes only data
 * n8n-workflow marked changed; a poll that throws saves nothing; a manual run ("Fetch Test
 * Event") never saves static data.
 */
export async function runPoll(nodeType: INodeType, options: RunOptions & { staticData: IDataObject }) {
	const mode = options.mode ?? 'trigger';
	const harness = new NodeHarness(nodeType, { ...options, mode, staticData: asStored(options.staticData) });
	if (!nodeType.poll) throw new Error('Node has no poll()');
	const result = await harness.run(async () => await nodeType.poll!.call(harness.pollContext()));
	if (mode !== 'manual' && (harness.workflow.staticData as IDataObject).__dataChanged === true) {
		for (const key of Object.keys(options.staticData)) delete options.staticData[key];
		Object.assign(options.staticData, asStored(harness.workflow.staticData));
	}
	return { result, items: result?.[0] ?? [], harness };
}

/** A node that only declares the Makini credentials: the context transport tests send from (n8n hands a node only the credential types it declares). */
export const transportProbe: INodeType = {
	description: {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'transport probe',
		defaults: { name: 'Probe' },
		inputs: [],
		outputs: [],
		credentials: [
			{ name: 'makiniApi', required: true },
			{ name: 'makiniSystemApi', required: true },
		],
		properties: [],
	},
};

/**
 * A transport context whose every Makini request is answered by `answer` (no HTTP, no n8n):
 * for paging tests that count pages and time answers.
 */
export function stubMakiniContext(answer: (request: IHttpRequestOptions) => Promise<unknown>): MakiniContext {
	const node = { name: 'Makini', type: 'makini', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	return {
		getNode: () => node,
		getCredentials: async <T extends object>() => ({ apiToken: 't', baseUrl: 'http://makini.test' }) as unknown as T,
		helpers: {
			async httpRequestWithAuthentication(_type: string, request: IHttpRequestOptions) {
				return await answer(request);
			},
		},
	} as MakiniContext;
}
