/**
 * A faithful stand-in for the context n8n gives a trigger's webhook(), and for what n8n
 * does with its answer:
 * - the request is express-like: lower-cased headers, the body parsed as n8n's body
 *   parser does (JSON for application/json, text for text/plain, {} otherwise) and the
 *   bytes received kept in `rawBody` (a Buffer);
 * - the response records status().json()/send()/end() and refuses a second answer, as
 *   express does;
 * - parameters get the node description's defaults (n8n's own NodeHelpers, via the
 *   execute harness);
 * - static data: each request works on a copy of what is "saved", taken when it arrives
 *   (n8n loads the workflow per request); the copy is saved back, overwriting, only when
 *   the test says the execution succeeded. Concurrent requests therefore race exactly as
 *   they do in n8n;
 * - n8n's answer when the node did not answer itself: `onReceived` gives 200
 *   `{ message: 'Workflow was started' }` for an execution, the node's
 *   `webhookResponse` (or `{ message: 'Webhook call received' }`) otherwise.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { NodeHarness, type LoggedLine } from './execute';

export interface HarnessRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	rawBody?: Buffer;
	query: IDataObject;
	params: IDataObject;
	contentType?: string;
	get(name: string): string | string[] | undefined;
	header(name: string): string | string[] | undefined;
}

export interface RecordedAnswer {
	status: number;
	body: unknown;
	headers: Record<string, string>;
}

/** An express-like response that records the one answer given. */
export class RecordingResponse {
	statusCode = 200;
	headersSent = false;
	answer: RecordedAnswer | undefined;
	private readonly headers: Record<string, string> = {};

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}

	set(name: string, value: string): this {
		return this.setHeader(name, value);
	}

	json(body: unknown): this {
		this.setHeader('content-type', 'application/json; charset=utf-8');
		return this.finish(body);
	}

	send(body?: unknown): this {
		return this.finish(body);
	}

	end(body?: unknown): this {
		return this.finish(body);
	}

	private finish(body: unknown): this {
		// express throws ERR_HTTP_HEADERS_SENT on a second answer; so does this.
		if (this.headersSent) throw new Error('Cannot set headers after they are sent to the client');
		this.headersSent = true;
		this.answer = { status: this.statusCode, body, headers: { ...this.headers } };
		return this;
	}
}

export interface DeliveryInput {
	/** Raw bytes (string or Buffer) exactly as sent, or an object sent as compact JSON. */
	body?: string | Buffer | object;
	headers?: Record<string, string | string[] | undefined>;
	/** Default application/json. */
	contentType?: string;
	/** Simulates a platform that keeps no raw body (only the parsed one). */
	withoutRawBody?: boolean;
}

export interface DeliveryOutcome {
	result: IWebhookResponseData;
	/** What the caller got: the node's own answer, or n8n's. */
	answer: RecordedAnswer;
	/** Whether a workflow execution started. */
	executed: boolean;
	/** The execution's trigger items (empty when none started). */
	items: INodeExecutionData[];
}

export interface WebhookHarnessOptions {
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Saved static data to start from (e.g. what an n8n before a restart saved). */
	staticData?: IDataObject;
	workflowId?: string;
	/** 'webhook' for the production URL, 'manual' for the editor's test URL. */
	mode?: 'webhook' | 'manual';
	webhookUrl?: string;
}

export interface Execution {
	items: INodeExecutionData[];
	succeeded: boolean;
}

let harnesses = 0;

/** Turns header names to lower case, as Node's HTTP parser does. */
export function lowerCaseHeaders(headers: Record<string, string | string[] | undefined> = {}) {
	const out: Record<string, string | string[] | undefined> = {};
	for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
	return out;
}

/** Parses a body as n8n's body parser does; throws (n8n answers 422) on malformed JSON. */
export function parseLikeN8n(rawBody: Buffer, contentType: string | undefined): unknown {
	if (rawBody.length === 0) return {};
	const type = contentType?.split(';')[0].trim().toLowerCase();
	if (type === 'application/json') return JSON.parse(rawBody.toString('utf8'));
	if (type === 'text/plain') return rawBody.toString('utf8');
	return {};
}

export function buildRequest(input: {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
	body: unknown;
	url?: string;
}): HarnessRequest {
	const headers = lowerCaseHeaders(input.headers);
	const contentType = headers['content-type'];
	const get = (name: string) => headers[name.toLowerCase()];
	return {
		method: 'POST',
		url: input.url ?? '/webhook/test/webhook',
		headers,
		body: input.body,
		rawBody: input.rawBody,
		query: {},
		params: {},
		contentType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : undefined,
		get,
		header: get,
	};
}

export class WebhookHarness {
	readonly logs: LoggedLine[] = [];
	readonly executions: Execution[] = [];
	/** Static data as n8n has it saved. */
	saved: IDataObject;
	readonly workflowId: string;
	private readonly base: NodeHarness;

	constructor(
		readonly nodeType: INodeType,
		readonly options: WebhookHarnessOptions,
	) {
		this.base = new NodeHarness(nodeType, { parameters: options.parameters, credentials: options.credentials });
		this.saved = structuredClone(options.staticData ?? {});
		this.workflowId = options.workflowId ?? `webhook-workflow-${++harnesses}`;
	}

	get node() {
		return this.base.node;
	}

	private logger() {
		const log = (level: string) => (message: string, meta?: unknown) => this.logs.push({ level, message, meta });
		return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), verbose: log('verbose') };
	}

	private common(staticData: IDataObject) {
		return {
			getNode: () => this.base.node,
			getWorkflow: () => ({ id: this.workflowId, name: 'Webhook test workflow', active: true }),
			getMode: () => this.options.mode ?? 'webhook',
			getTimezone: () => 'UTC',
			getCredentials: async (type: string) => {
				const data = this.options.credentials?.[type];
				if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
				return { ...data };
			},
			getWorkflowStaticData: (type: string) => {
				if (type !== 'node' && type !== 'global') throw new Error(`Unknown static data type "${type}"`);
				if (type === 'global') return staticData;
				const key = `node:${this.base.node.name}`;
				staticData[key] ??= {};
				return staticData[key] as IDataObject;
			},
			getNodeParameter: (name: string, fallback?: unknown) => this.base.getNodeParameter(name, 0, fallback),
			getNodeWebhookUrl: () => this.options.webhookUrl ?? `http://localhost:5678/webhook/${this.workflowId}/webhook`,
			logger: this.logger(),
		};
	}

	/** The IWebhookFunctions n8n gives webhook() for one request. */
	webhookContext(req: HarnessRequest, res: RecordingResponse, staticData: IDataObject): IWebhookFunctions {
		return {
			...this.common(staticData),
			getRequestObject: () => req,
			getResponseObject: () => res,
			getHeaderData: () => req.headers,
			getBodyData: () => req.body as IDataObject,
			getQueryData: () => req.query,
			getParamsData: () => req.params,
			getWebhookName: () => 'default',
			helpers: {
				returnJsonArray: (data: IDataObject | IDataObject[]) =>
					(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			},
		} as unknown as IWebhookFunctions;
	}

	/** The IHookFunctions n8n gives webhookMethods on activation; static data saved afterwards, as n8n does. */
	hookContext(): { context: IHookFunctions; save: () => void } {
		const staticData = structuredClone(this.saved);
		const context = {
			...this.common(staticData),
			getActivationMode: () => 'activate',
			getWebhookName: () => 'default',
			getWebhookDescription: () => this.nodeType.description.webhooks?.[0],
		} as unknown as IHookFunctions;
		return { context, save: () => (this.saved = staticData) };
	}

	/**
	 * Runs webhook() for one request and answers as n8n would. `execution` says how the
	 * execution it starts (if any) ends: only a successful one saves static data.
	 */
	async handle(req: HarnessRequest, res: RecordingResponse, execution: 'succeeds' | 'fails' = 'succeeds'): Promise<DeliveryOutcome> {
		const staticData = structuredClone(this.saved);
		const webhook = this.nodeType.webhook;
		if (!webhook) throw new Error('Node has no webhook()');
		const result = await webhook.call(this.webhookContext(req, res, staticData));
		if (result.noWebhookResponse && !res.headersSent) throw new Error('noWebhookResponse, but the node did not answer');
		const executed = result.workflowData !== undefined;
		if (!res.headersSent) {
			if (executed) res.status(200).json({ message: 'Workflow was started' });
			else res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
		}
		const items = result.workflowData?.[0] ?? [];
		if (executed) {
			this.executions.push({ items, succeeded: execution === 'succeeds' });
			if (execution === 'succeeds') this.saved = staticData;
		}
		return { result, answer: res.answer!, executed, items };
	}

	/** Delivers one request built from `input`. */
	async deliver(input: DeliveryInput, execution: 'succeeds' | 'fails' = 'succeeds'): Promise<DeliveryOutcome> {
		const raw =
			input.body === undefined
				? Buffer.alloc(0)
				: Buffer.isBuffer(input.body)
					? input.body
					: Buffer.from(typeof input.body === 'string' ? input.body : JSON.stringify(input.body), 'utf8');
		const headers = lowerCaseHeaders({
			'content-type': input.contentType ?? 'application/json',
			'content-length': String(raw.length),
			...input.headers,
		});
		const body = parseLikeN8n(raw, headers['content-type'] as string);
		const req = buildRequest({ headers, body, rawBody: input.withoutRawBody ? undefined : raw });
		return this.handle(req, new RecordingResponse(), execution);
	}
}
