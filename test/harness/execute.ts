/**
 * A faithful stand-in for the contexts n8n gives a node (execute, load options, list
 * search, poll), for tests whose HTTP is real. Parameters are resolved with n8n's own
 * NodeHelpers.getNodeParameters (defaults and displayOptions exactly as n8n applies
 * them); `={{ $json... }}` expressions are evaluated per item.
 */
import { NodeHelpers } from 'n8n-workflow';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IPollFunctions,
	NodeParameterValueType,
} from 'n8n-workflow';

import { HttpHarness, type CredentialStore } from './http';

export interface RunOptions {
	parameters: INodeParameters;
	credentials?: CredentialStore;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Static data of the node, kept across runs by passing the same object. */
	staticData?: IDataObject;
	mode?: 'manual' | 'trigger';
	nodeName?: string;
}

export interface LoggedLine {
	level: string;
	message: string;
	meta?: unknown;
}

const get = (object: unknown, path: string): unknown =>
	path
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter(Boolean)
		.reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as IDataObject)[k]), object);

function evaluate(value: unknown, item: INodeExecutionData | undefined, itemIndex: number): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		const template = value.slice(1);
		const run = (code: string) =>
			new Function('$json', '$itemIndex', `return (${code});`)(item?.json ?? {}, itemIndex) as unknown;
		const whole = /^\{\{([\s\S]*)\}\}$/.exec(template.trim());
		if (whole) return run(whole[1]);
		return template.replace(/\{\{([\s\S]*?)\}\}/g, (_m, code: string) => String(run(code)));
	}
	if (Array.isArray(value)) return value.map((v) => evaluate(v, item, itemIndex));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, item, itemIndex)]));
	}
	return value;
}

export class NodeHarness {
	readonly http: HttpHarness;
	readonly logs: LoggedLine[] = [];
	readonly node: INode;
	readonly credentials: CredentialStore;
	staticData: IDataObject;

	constructor(
		readonly nodeType: INodeType,
		readonly options: RunOptions,
	) {
		this.credentials = options.credentials ?? {};
		const description = nodeType.description;
		const resolved = NodeHelpers.getNodeParameters(
			description.properties,
			options.parameters,
			true,
			false,
			{ typeVersion: Array.isArray(description.version) ? description.version.at(-1)! : description.version },
			description,
		);
		this.node = {
			id: 'test-node',
			name: options.nodeName ?? description.defaults.name ?? description.displayName,
			type: `n8n-nodes-makini.${description.name}`,
			typeVersion: Array.isArray(description.version) ? description.version.at(-1)! : description.version,
			position: [0, 0],
			parameters: resolved ?? {},
			credentials: Object.fromEntries(Object.keys(this.credentials).map((t) => [t, { id: t, name: t }])),
		};
		this.staticData = options.staticData ?? {};
		this.http = new HttpHarness(this.credentials, () => this.node);
	}

	private items(): INodeExecutionData[] {
		return this.options.items ?? [{ json: {} }];
	}

	getNodeParameter(name: string, itemIndex = 0, fallback?: unknown, opts?: { extractValue?: boolean }): NodeParameterValueType | object {
		let value = get(this.node.parameters, name);
		if (value === undefined) {
			if (fallback !== undefined) return fallback as NodeParameterValueType;
			throw new Error(`Could not get parameter "${name}"`);
		}
		value = evaluate(value, this.items()[itemIndex], itemIndex);
		if (opts?.extractValue && value && typeof value === 'object' && '__rl' in value) {
			return (value as unknown as { value: NodeParameterValueType }).value;
		}
		return value as NodeParameterValueType;
	}

	private logger() {
		const log = (level: string) => (message: string, meta?: unknown) => this.logs.push({ level, message, meta });
		return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), verbose: log('verbose') };
	}

	private common() {
		return {
			getNode: () => this.node,
			getCredentials: async (type: string) => {
				const data = this.credentials[type];
				if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
				return { ...data } as ICredentialDataDecryptedObject;
			},
			getMode: () => this.options.mode ?? 'manual',
			getTimezone: () => 'UTC',
			getWorkflowStaticData: () => this.staticData,
			getWorkflow: () => ({ id: 'test-workflow', name: 'Test workflow', active: true }),
			getExecutionId: () => 'test-execution',
			logger: this.logger(),
			helpers: {
				httpRequest: this.http.httpRequest.bind(this.http),
				httpRequestWithAuthentication: (type: string, o: never) => this.http.httpRequestWithAuthentication(type, o),
				returnJsonArray: (data: IDataObject | IDataObject[]) =>
					(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
				constructExecutionMetaData: (items: INodeExecutionData[], { itemData }: { itemData: { item: number } }) =>
					items.map((item) => ({ ...item, pairedItem: itemData })),
				assertBinaryData: (itemIndex: number, property: string) => {
					const binary = this.items()[itemIndex]?.binary?.[property];
					if (!binary) throw new Error(`This operation expects the node's input data to contain a binary file '${property}'`);
					return binary;
				},
				getBinaryDataBuffer: async (itemIndex: number, property: string) => {
					const binary = this.items()[itemIndex]?.binary?.[property] as IBinaryData | undefined;
					if (!binary) throw new Error(`No binary property '${property}'`);
					return Buffer.from(binary.data, 'base64');
				},
			},
		};
	}

	executeContext(): IExecuteFunctions {
		return {
			...this.common(),
			getInputData: () => this.items(),
			continueOnFail: () => this.options.continueOnFail ?? false,
			getNodeParameter: this.getNodeParameter.bind(this),
		} as unknown as IExecuteFunctions;
	}

	loadOptionsContext(): ILoadOptionsFunctions {
		return {
			...this.common(),
			getNodeParameter: (name: string, fallback?: unknown) => this.getNodeParameter(name, 0, fallback),
			getCurrentNodeParameter: (name: string) => {
				try {
					return this.getNodeParameter(name, 0);
				} catch {
					return undefined;
				}
			},
			getCurrentNodeParameters: () => this.node.parameters,
		} as unknown as ILoadOptionsFunctions;
	}

	pollContext(): IPollFunctions {
		return {
			...this.common(),
			getNodeParameter: (name: string, fallback?: unknown, opts?: { extractValue?: boolean }) =>
				this.getNodeParameter(name, 0, fallback, opts),
			getActivationMode: () => 'activate',
			__emit: () => undefined,
		} as unknown as IPollFunctions;
	}
}

/** Runs a node's execute() with real HTTP and returns its output. */
export async function runNode(nodeType: INodeType, options: RunOptions) {
	const harness = new NodeHarness(nodeType, options);
	if (!nodeType.execute) throw new Error('Node has no execute()');
	const output = (await nodeType.execute.call(harness.executeContext())) as INodeExecutionData[][];
	return { output, items: output?.[0] ?? [], harness };
}

export async function loadOptions(
	nodeType: INodeType,
	method: string,
	options: RunOptions,
): Promise<INodePropertyOptions[]> {
	const harness = new NodeHarness(nodeType, options);
	const fn = nodeType.methods?.loadOptions?.[method];
	if (!fn) throw new Error(`No loadOptions method ${method}`);
	return await fn.call(harness.loadOptionsContext());
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
	return await fn.call(harness.loadOptionsContext(), filter, paginationToken);
}

/**
 * Runs a polling trigger's poll() once. As in n8n, the node's static data is kept
 * (the same object) only when the poll returns; a poll that throws leaves the
 * previous static data in place.
 */
export async function runPoll(nodeType: INodeType, options: RunOptions & { staticData: IDataObject }) {
	const before = structuredClone(options.staticData);
	const harness = new NodeHarness(nodeType, { ...options, staticData: structuredClone(options.staticData) });
	if (!nodeType.poll) throw new Error('Node has no poll()');
	try {
		const result = await nodeType.poll.call(harness.pollContext());
		// Persist: copy the poll's static data back into the caller's object.
		for (const key of Object.keys(options.staticData)) delete options.staticData[key];
		Object.assign(options.staticData, harness.staticData);
		return { result, items: result?.[0] ?? [], harness };
	} catch (error) {
		for (const key of Object.keys(options.staticData)) delete options.staticData[key];
		Object.assign(options.staticData, before);
		throw error;
	}
}
