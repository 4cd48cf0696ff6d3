/**
 * What n8n itself puts around a node's context, for tests: the node runs inside n8n-core's
 * own execution contexts (ExecuteContext, WebhookContext, PollContext, LoadOptionsContext,
 * HookContext) over n8n-workflow's own Workflow and expression engine, and its HTTP goes
 * through n8n-core's request helpers (with @n8n/backend-network's axios defaults: n8n's
 * 300 s timeout, its body handling, its NodeApiError wrapping).
 *
 * Only what n8n keeps outside n8n-core is reproduced here, each piece saying which n8n
 * behaviour it stands for and from which n8n source (n8n 2.41.1, packages/cli unless said):
 * the node-type registry, the credentials helper (database, decryption), the instance
 * settings file, the logger's sink, and the database's copy of static data.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import axios from 'axios';
import { InstanceSettings } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { MakiniApi } from '../../credentials/MakiniApi.credentials';
import { MakiniSystemApi } from '../../credentials/MakiniSystemApi.credentials';
import { MakiniWebhookSecretApi } from '../../credentials/MakiniWebhookSecretApi.credentials';

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	makiniApi: new MakiniApi(),
	makiniSystemApi: new MakiniSystemApi(),
	makiniWebhookSecretApi: new MakiniWebhookSecretApi(),
};

/** Credentials by type, as n8n would decrypt them. Updated by preAuthentication, as n8n saves them. */
export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

export interface LoggedLine {
	level: string;
	message: string;
	meta?: unknown;
}

export interface HttpLogEntry {
	method: string;
	url: string;
	status?: number;
	headers: Record<string, string>;
}

// ---- process-wide pieces (one per jest worker, as one per n8n process) ----

/**
 * InstanceSettings: n8n-core's constructor reads and creates `~/.n8n/config` (n8n-core 2.41.1
 * instance-settings.ts, loadOrCreate). The contexts read only these fields; a test must not
 * write into the user's home.
 */
const instanceSettings = {
	instanceId: 'test-instance',
	hmacSignatureSecret: 'test-hmac-secret',
	n8nFolder: '/nonexistent/.n8n',
	instanceType: 'main',
	isWorker: false,
} as unknown as InstanceSettings;

/** Lines logged outside any node context (n8n-core's own), kept for the run that caused them. */
const sinkLogger = (level: string) => (message: string, meta?: unknown) =>
	httpLogScope.getStore()?.lines?.push({ level, message, meta });

/**
 * Logger: @n8n/backend-common's Logger writes to the console or a file as N8N_LOG_* say
 * (n8n 2.41.1 packages/@n8n/backend-common/src/logging/logger.ts). Here the lines are kept so
 * tests can read what a node logged; the node still calls it through the context's `logger`.
 */
export function harnessLogger(lines: LoggedLine[]) {
	const log = (level: string) => (message: string, meta?: unknown) => lines.push({ level, message, meta });
	const logger = {
		error: log('error'),
		warn: log('warn'),
		info: log('info'),
		debug: log('debug'),
		verbose: log('verbose'),
		scoped: () => logger,
	};
	return logger as unknown as Logger;
}

Container.set(InstanceSettings, instanceSettings);
Container.set(Logger, {
	error: sinkLogger('error'),
	warn: sinkLogger('warn'),
	info: sinkLogger('info'),
	debug: sinkLogger('debug'),
	verbose: sinkLogger('verbose'),
	scoped() {
		return this;
	},
} as unknown as Logger);

interface RunScope {
	log: HttpLogEntry[];
	lines?: LoggedLine[];
}
/** The harness run a request belongs to, followed through its promises. */
const httpLogScope = new AsyncLocalStorage<RunScope>();
/** For a context a test calls directly (outside `withHttpLog`): the last one created. */
let lastCreated: RunScope | undefined;

/** Requests as they leave n8n's axios (after n8n's defaults and the credential's authentication). */
axios.interceptors.request.use((config) => {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(config.headers?.toJSON?.() ?? config.headers ?? {})) {
		if (value !== undefined && value !== null && typeof value !== 'object') headers[name.toLowerCase()] = String(value);
	}
	const entry: HttpLogEntry = {
		method: String(config.method ?? 'get').toUpperCase(),
		url: new URL(config.url ?? '', config.baseURL).toString(),
		headers,
	};
	(httpLogScope.getStore() ?? lastCreated)?.log.push(entry);
	(config as { __harnessEntry?: HttpLogEntry }).__harnessEntry = entry;
	return config;
});
axios.interceptors.response.use(
	(response) => {
		const entry = (response.config as { __harnessEntry?: HttpLogEntry }).__harnessEntry;
		if (entry) entry.status = response.status;
		return response;
	},
	async (error: { config?: { __harnessEntry?: HttpLogEntry }; response?: { status?: number } }) => {
		const entry = error.config?.__harnessEntry;
		if (entry && error.response?.status) entry.status = error.response.status;
		return await Promise.reject(error as Error);
	},
);

/** Runs `fn` with its HTTP requests recorded into `log` (concurrent runs keep theirs apart). */
export async function withHttpLog<T>(log: HttpLogEntry[], fn: () => Promise<T>, lines?: LoggedLine[]): Promise<T> {
	return await httpLogScope.run({ log, lines }, fn);
}

/** Marks the harness whose log takes requests made outside `withHttpLog`. */
export function recordHttpInto(log: HttpLogEntry[], lines?: LoggedLine[]) {
	lastCreated = { log, lines };
}

// ---- per-run pieces ----

/**
 * NodeTypes: n8n loads node types from installed packages (packages/cli/src/node-types.ts);
 * here the registry holds the one node under test.
 */
export function nodeTypesOf(nodeType: INodeType, typeName: string): INodeTypes {
	return {
		getByName: () => nodeType,
		getByNameAndVersion: (name: string) => {
			if (name !== typeName) throw new Error(`Unknown node type ${name}`);
			return nodeType;
		},
		getKnownTypes: () => ({}),
	};
}

const isExpression = (value: unknown): value is string => typeof value === 'string' && value.startsWith('=');

/**
 * The credentials helper n8n gives every context (packages/cli/src/credentials-helper.ts in
 * n8n 2.41.1). The database and decryption are replaced by the test's store; the rest is
 * what n8n does: defaults applied from the credential's properties (getDecrypted), generic
 * `authenticate` resolved with n8n's expression engine against `$credentials`, and
 * `preAuthentication` run when the `expirable` hidden property is empty or the request
 * answered 401, its output saved back (updateCredentials).
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions & Record<string, unknown>;
		const type = CREDENTIAL_TYPES[typeName];
		const auth = type?.authenticate;
		if (!auth) return requestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		requestOptions.headers ??= {};
		const resolve = (value: string) => {
			if (!isExpression(value)) return value;
			const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
			return resolved ? String(resolved as string) : '';
		};
		for (const [outerKey, outerValue] of Object.entries(auth.properties)) {
			for (const [key, value] of Object.entries(outerValue as IDataObject)) {
				const target = (requestOptions[outerKey] ??= {}) as IDataObject;
				target[resolve(key)] = resolve(value as string);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = CREDENTIAL_TYPES[typeName];
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) Object.assign(this.store[typeName], output);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('The harness keeps no encrypted credentials');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (!data) throw new Error(`Credentials of type "${type}" are not set`);
		const properties = this.getCredentialsProperties(type);
		// getDecrypted → applyDefaultsAndOverwrites: n8n's NodeHelpers fill the defaults.
		const withDefaults = NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null);
		return { ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		Object.assign(this.store[type], data);
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = CREDENTIAL_TYPES[type];
		if (!credentialType) throw new Error(`Unknown credential type ${type}`);
		return credentialType.properties;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

/**
 * IWorkflowExecuteAdditionalData: built per execution by packages/cli's
 * workflow-execute-additional-data.ts (getBase). The fields the contexts read are given
 * n8n's values for a local instance on the default port.
 */
export function additionalDataFor(store: CredentialStore, extra: Partial<IWorkflowExecuteAdditionalData> = {}) {
	return {
		credentialsHelper: new HarnessCredentialsHelper(store),
		executeWorkflow: async () => {
			throw new Error('The harness runs no sub-workflows');
		},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('The harness runs no Code node tasks');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface HarnessWorkflow {
	workflow: Workflow;
	node: INode;
}

/**
 * A one-node workflow as n8n builds it per execution (n8n-workflow's Workflow: its node
 * parameters resolved with the node's defaults, static data observed for changes).
 */
export function workflowFor(
	nodeType: INodeType,
	options: { parameters: INodeParameters; credentials: CredentialStore; nodeName?: string; workflowId?: string; staticData?: IDataObject },
): HarnessWorkflow {
	const description = nodeType.description;
	const typeVersion = Array.isArray(description.version) ? description.version.at(-1)! : description.version;
	const typeName = `n8n-nodes-makini.${description.name}`;
	const node: INode = {
		id: 'test-node',
		name: options.nodeName ?? description.defaults.name ?? description.displayName,
		type: typeName,
		typeVersion,
		position: [0, 0],
		parameters: options.parameters,
		credentials: Object.fromEntries(Object.keys(options.credentials).map((t) => [t, { id: t, name: t }])),
	};
	const workflow = new Workflow({
		id: options.workflowId ?? 'test-workflow',
		name: 'Test workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypesOf(nodeType, typeName),
		staticData: options.staticData,
		settings: { timezone: 'UTC' },
	});
	return { workflow, node: workflow.nodes[node.name] };
}

export const emptyRunExecutionData = () => createRunExecutionData();

/**
 * Static data as n8n's database keeps it: JSON (WorkflowEntity.staticData). n8n-workflow's
 * ObservableObject wraps it in proxies and marks it `__dataChanged` (not enumerable).
 */
export const asStored = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

export type { WorkflowExecuteMode };
