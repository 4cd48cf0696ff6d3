/**
 * Runs a trigger's webhook() and webhookMethods as n8n does: n8n-core's own WebhookContext
 * and HookContext over n8n-workflow's Workflow. Around them, what n8n's webhook server does
 * (packages/cli/src/webhooks: live-webhooks.ts, webhook-helpers.ts, n8n 2.41.1):
 * - the request is express-like: lower-cased headers, the body parsed as n8n's body
 *   parser does (JSON for application/json, text for text/plain, {} otherwise) and the
 *   bytes received kept in `rawBody` (a Buffer);
 * - the response records status().json()/send()/end() and refuses a second answer, as
 *   express does;
 * - static data: n8n loads the workflow, static data included, from the database for each
 *   request (LiveWebhooks.executeWebhook), and saves it when the webhook answers (the
 *   response callback calls WorkflowStaticDataService.saveStaticData), whatever the
 *   execution it starts does later. saveStaticData writes only when n8n-workflow's
 *   ObservableObject marked the data changed, and writes all of it: concurrent requests
 *   race exactly as they do in n8n. The database keeps JSON, so does `saved`;
 * - n8n's answer when the node did not answer itself: `onReceived` gives 200 with the
 *   node's `webhookResponse` (or `{ message: 'Workflow was started' }`) for an execution,
 *   `{ message: 'Webhook call received' }` without one. For an execution, n8n 2.x answers
 *   only after WorkflowRunner.run() stored it, which first builds a new Workflow over the
 *   same static data (resetting its "changed" mark); an execution n8n fails to store is
 *   answered 500 and static data is not saved.
 */
import { WebhookContext, HookContext } from 'n8n-core';
import { ObservableObject } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookFunctions,
	IWebhookResponseData,
	Workflow,
} from 'n8n-workflow';

import { additionalDataFor, asStored, harnessLogger, workflowFor, type CredentialStore, type LoggedLine } from './n8n';

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
	private readonly finished: Array<() => void> = [];

	/** Node's 'finish': the answer was handed to the socket. */
	once(event: 'finish', listener: () => void): this {
		if (event === 'finish') this.finished.push(listener);
		return this;
	}

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
		for (const listener of this.finished.splice(0)) listener();
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

/** How the execution a delivery starts fares: stored and ends well or fails, or n8n fails to store it at all. */
export type ExecutionFate = 'succeeds' | 'fails' | 'not stored';

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

/** n8n's WorkflowStaticDataService.saveStaticData: saves only data marked changed. */
function saveStaticData(workflow: Workflow, save: (data: IDataObject) => void) {
	if ((workflow.staticData as IDataObject).__dataChanged === true) {
		save(asStored(workflow.staticData));
		(workflow.staticData as IDataObject).__dataChanged = false;
	}
}

export class WebhookHarness {
	readonly logs: LoggedLine[] = [];
	readonly executions: Execution[] = [];
	/** Static data as n8n has it saved. */
	saved: IDataObject;
	readonly workflowId: string;
	private readonly credentials: CredentialStore;

	constructor(
		readonly nodeType: INodeType,
		readonly options: WebhookHarnessOptions,
	) {
		this.credentials = options.credentials ?? {};
		this.saved = asStored(options.staticData ?? {});
		this.workflowId = options.workflowId ?? `webhook-workflow-${++harnesses}`;
	}

	/** The workflow as n8n loads it from the database for one request or activation. */
	private load() {
		return workflowFor(this.nodeType, {
			parameters: this.options.parameters,
			credentials: this.credentials,
			workflowId: this.workflowId,
			staticData: asStored(this.saved),
		});
	}

	get node() {
		return this.load().node;
	}

	private webhookData(workflow: Workflow, nodeName: string): IWebhookData {
		const description = this.nodeType.description.webhooks![0];
		return {
			httpMethod: 'POST',
			node: nodeName,
			path: 'webhook',
			webhookDescription: description,
			workflowId: workflow.id,
			isTest: this.options.mode === 'manual',
		} as IWebhookData;
	}

	/** n8n's Logger keeps its lines here; a URL fixed by the test replaces the one n8n derives from WEBHOOK_URL. */
	private adapt<T extends object>(context: T): T {
		Object.defineProperty(context, 'logger', { value: harnessLogger(this.logs) });
		const url = this.options.webhookUrl;
		if (url !== undefined) Object.defineProperty(context, 'getNodeWebhookUrl', { value: () => url });
		return context;
	}

	/** The WebhookContext n8n's WebhookService.runWebhook gives webhook() for one request. */
	webhookContext(req: HarnessRequest, res: RecordingResponse, workflow: Workflow): IWebhookFunctions {
		const node = Object.values(workflow.nodes)[0];
		const additionalData = additionalDataFor(this.credentials, {
			httpRequest: req as never,
			httpResponse: res as never,
		});
		const mode = this.options.mode === 'manual' ? 'manual' : 'webhook';
		return this.adapt(new WebhookContext(workflow, node, additionalData, mode, this.webhookData(workflow, node.name), [], null));
	}

	/** The HookContext n8n gives webhookMethods on activation; static data saved afterwards, as n8n does. */
	hookContext(): { context: IHookFunctions; save: () => void } {
		const { workflow, node } = this.load();
		const context = this.adapt(
			new HookContext(workflow, node, additionalDataFor(this.credentials), 'trigger', 'activate', this.webhookData(workflow, node.name)),
		);
		return { context, save: () => saveStaticData(workflow, (data) => (this.saved = data)) };
	}

	/**
	 * Runs webhook() for one request and answers as n8n 2.41.1 would. `execution` says how
	 * the execution it starts (if any) fares: static data is saved when the webhook
	 * answers, after the execution is stored and before it runs, so how it ends does not
	 * change that; an execution n8n could not store is answered 500.
	 */
	async handle(req: HarnessRequest, res: RecordingResponse, execution: ExecutionFate = 'succeeds'): Promise<DeliveryOutcome> {
		const { workflow } = this.load();
		const webhook = this.nodeType.webhook;
		if (!webhook) throw new Error('Node has no webhook()');
		const result = await webhook.call(this.webhookContext(req, res, workflow));
		if (result.noWebhookResponse && !res.headersSent) throw new Error('noWebhookResponse, but the node did not answer');
		const executed = result.workflowData !== undefined && execution !== 'not stored';
		if (!res.headersSent) {
			if (result.workflowData !== undefined) {
				// WorkflowRunner.run(): prepareNewExecution builds a new Workflow on the same static data.
				ObservableObject.create(workflow.staticData as IDataObject, undefined, { ignoreEmptyOnFirstChild: true });
				if (execution === 'not stored') {
					res.status(500).json({ code: 0, message: 'Error in workflow' });
					return { result, answer: res.answer!, executed, items: [] };
				}
				res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
			} else {
				res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
			}
		}
		saveStaticData(workflow, (data) => (this.saved = data));
		const items = result.workflowData?.[0] ?? [];
		if (executed) this.executions.push({ items, succeeded: execution === 'succeeds' });
		return { result, answer: res.answer!, executed, items };
	}

	/** Delivers one request built from `input`. */
	async deliver(input: DeliveryInput, execution: ExecutionFate = 'succeeds'): Promise<DeliveryOutcome> {
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
