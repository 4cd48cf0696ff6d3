/**
 * n8n's own HTTP APIs, as a user or an automation would drive them: the REST API of
 * the editor (owner setup, login, API keys, manual runs, node types) with its session
 * cookie, and the public API (/api/v1) with an API key. Secrets sent (passwords,
 * credential data, keys) never appear in error messages.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { waitFor } from './wait';

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	/** The node's "On Error" setting: `continueRegularOutput` is the editor's Continue (On Fail). */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowJson {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export interface Workflow extends WorkflowJson {
	id: string;
	active: boolean;
	versionId?: string;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string; [key: string]: unknown };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

export interface Execution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt?: string;
	stoppedAt?: string | null;
	data?: { resultData?: { runData?: Record<string, NodeRun[]>; error?: { message?: string }; lastNodeExecuted?: string } };
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly responseText: string,
	) {
		super(`${method} ${path} answered ${status}: ${responseText.slice(0, 500)}`);
		this.name = 'N8nHttpError';
	}
}

/** Execution statuses n8n does not leave again. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['success', 'error', 'crashed', 'canceled']);

export const isFinished = (execution: Execution) =>
	FINISHED_STATUSES.has(execution.status) || Boolean(execution.finished && execution.stoppedAt);


/** An owner with a fresh strong password (n8n wants 8+ characters, a digit and a capital). */
export function newOwner(): Owner {
	return {
		email: `owner-${randomBytes(4).toString('hex')}@example.com`,
		password: `Pw1-${randomBytes(12).toString('base64url')}`,
		firstName: 'E2E',
		lastName: 'Owner',
	};
}

export class N8nClient {
	private cookie?: string;
	private apiKey?: string;
	/** n8n binds the session cookie to the browser that logged in. */
	private readonly browserId = randomUUID();

	constructor(readonly baseUrl: string) {}

	private async send(
		method: string,
		path: string,
		options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
	): Promise<Response> {
		const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
		if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
		const response = await fetch(this.baseUrl + path, {
			method,
			headers,
			body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
		});
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		return response;
	}

	private async json<T>(method: string, path: string, response: Response): Promise<T> {
		const text = await response.text();
		if (!response.ok) throw new N8nHttpError(method, path.split('?')[0], response.status, text);
		if (!text) return undefined as T;
		const parsed = JSON.parse(text) as unknown;
		return parsed as T;
	}

	/** The editor's REST API (/rest), with the session cookie; unwraps `{ data }`. */
	async rest<T>(method: string, path: string, body?: unknown): Promise<T> {
		const headers: Record<string, string> = { 'browser-id': this.browserId };
		if (this.cookie) headers.cookie = this.cookie;
		const answer = await this.json<{ data: T }>(method, `/rest${path}`, await this.send(method, `/rest${path}`, { body, headers }));
		return answer?.data;
	}

	/**
	 * A page of the editor's REST API as a browser gets it (with the session cookie), e.g.
	 * the OAuth2 callback a consent page redirects to: its status and text.
	 */
	async restPage(pathAndQuery: string): Promise<{ status: number; text: string }> {
		const headers: Record<string, string> = { 'browser-id': this.browserId, accept: 'text/html' };
		if (this.cookie) headers.cookie = this.cookie;
		const response = await this.send('GET', `/rest${pathAndQuery}`, { headers });
		return { status: response.status, text: await response.text() };
	}

	/** The public API (/api/v1), with the API key. */
	async api<T>(method: string, path: string, body?: unknown): Promise<T> {
		if (!this.apiKey) throw new Error('No API key yet: call createApiKey() first');
		const response = await this.send(method, `/api/v1${path}`, { body, headers: { 'x-n8n-api-key': this.apiKey } });
		return await this.json<T>(method, `/api/v1${path}`, response);
	}

	async setupOwner(owner: Owner): Promise<void> {
		await this.rest('POST', '/owner/setup', owner);
	}

	async login(email: string, password: string): Promise<void> {
		await this.rest('POST', '/login', { emailOrLdapLoginId: email, password });
	}

	/** Creates a public-API key with every scope the owner may grant, and uses it from now on. */
	async createApiKey(label = 'e2e'): Promise<void> {
		// n8n 1.85 has no API-key scopes (no /api-keys/scopes: 404); its keys may do everything.
		let scopes: string[] | undefined;
		try {
			scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		} catch (error) {
			if (!(error instanceof N8nHttpError && error.status === 404)) throw error;
		}
		const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, ...(scopes ? { scopes } : {}), expiresAt: null });
		this.apiKey = key.rawApiKey;
	}

	/** The node type names the editor is offered (GET /types/nodes.json). */
	async nodeTypeNames(): Promise<string[]> {
		const headers: Record<string, string> = { 'browser-id': this.browserId };
		if (this.cookie) headers.cookie = this.cookie;
		const types = await this.json<Array<{ name: string }>>('GET', '/types/nodes.json', await this.send('GET', '/types/nodes.json', { headers }));
		return [...new Set(types.map((t) => t.name))];
	}

	/**
	 * Creates a credential. n8n 1.x adds "Allowed HTTP Request Domains" to credentials
	 * that authenticate requests, and its public API then wants a value the editor would
	 * have saved by default ("all"), so that default is filled in when the schema has it.
	 */
	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string; type: string }> {
		const schema = await this.api<{ properties?: Record<string, unknown> }>('GET', `/credentials/schema/${encodeURIComponent(type)}`);
		const filled = { ...data };
		if (schema.properties?.allowedHttpRequestDomains && filled.allowedHttpRequestDomains === undefined) {
			filled.allowedHttpRequestDomains = 'all';
		}
		return await this.api('POST', '/credentials', { name, type, data: filled });
	}

	async createWorkflow(workflow: WorkflowJson): Promise<Workflow> {
		const { name, nodes, connections, settings } = workflow;
		return await this.api('POST', '/workflows', { name, nodes, connections, settings: settings ?? { executionOrder: 'v1' } });
	}

	async activateWorkflow(id: string): Promise<Workflow> {
		return await this.api('POST', `/workflows/${encodeURIComponent(id)}/activate`);
	}

	async deactivateWorkflow(id: string): Promise<Workflow> {
		return await this.api('POST', `/workflows/${encodeURIComponent(id)}/deactivate`);
	}

	/**
	 * Runs a saved workflow from its trigger as the editor's Execute Workflow button does
	 * (POST /rest/workflows/:id/run). 2.x reads `triggerToStartFrom`, 1.x `workflowData`.
	 */
	async runManually(workflow: Workflow, triggerName: string): Promise<string> {
		const answer = await this.rest<{ executionId?: string }>('POST', `/workflows/${encodeURIComponent(workflow.id)}/run`, {
			workflowData: workflow,
			triggerToStartFrom: { name: triggerName },
		});
		if (!answer?.executionId) throw new Error(`The manual run of workflow ${workflow.id} started no execution`);
		return answer.executionId;
	}

	/**
	 * Registers the test webhooks of a saved workflow, as the editor's "Listen for test
	 * event" does (POST /rest/workflows/:id/run from a webhook trigger): n8n answers
	 * `waitingForWebhook` and the next call of its test URL runs the workflow once (manual mode).
	 */
	async listenForTestWebhook(workflow: Workflow, triggerName: string): Promise<void> {
		const answer = await this.rest<{ waitingForWebhook?: boolean }>('POST', `/workflows/${encodeURIComponent(workflow.id)}/run`, {
			workflowData: workflow,
			triggerToStartFrom: { name: triggerName },
		});
		if (!answer?.waitingForWebhook) throw new Error(`n8n is not waiting for a test webhook of workflow ${workflow.id}`);
	}

	/**
	 * Calls a production webhook of an active workflow. n8n registers the webhooks of a
	 * just-activated workflow in the background, so "not registered" is retried for a while.
	 */
	async callWebhook(
		path: string,
		options: {
			method?: string;
			body?: unknown;
			rawBody?: string;
			headers?: Record<string, string>;
			registrationTimeoutMs?: number;
			/** The editor's test URL (/webhook-test/…), registered by listenForTestWebhook(). */
			test?: boolean;
		} = {},
	): Promise<{ status: number; body: unknown }> {
		const deadline = Date.now() + (options.registrationTimeoutMs ?? 20_000);
		for (;;) {
			const response = await this.send(options.method ?? 'GET', `/${options.test ? 'webhook-test' : 'webhook'}/${path}`, options);
			const text = await response.text();
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// Not JSON: keep the text.
			}
			const unregistered = response.status === 404 && /not registered/i.test(text);
			if (!unregistered || Date.now() > deadline) return { status: response.status, body };
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	async execution(id: string, includeData = true): Promise<Execution> {
		return await this.api('GET', `/executions/${encodeURIComponent(id)}?includeData=${includeData}`);
	}

	async executions(query: { workflowId?: string; status?: string; includeData?: boolean; limit?: number } = {}): Promise<Execution[]> {
		const params = new URLSearchParams();
		for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
		const answer = await this.api<{ data: Execution[] }>('GET', `/executions?${params.toString()}`);
		return answer.data;
	}

	/** Every execution matching the query, following the public API's cursor (pages of 250). */
	async allExecutions(query: { workflowId?: string; status?: string; includeData?: boolean } = {}): Promise<Execution[]> {
		const out: Execution[] = [];
		let cursor: string | undefined;
		do {
			const params = new URLSearchParams({ limit: '250' });
			for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
			if (cursor) params.set('cursor', cursor);
			const page = await this.api<{ data: Execution[]; nextCursor?: string | null }>('GET', `/executions?${params.toString()}`);
			out.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return out;
	}

	/** Polls an execution until it has finished one way or the other. */
	async waitForExecution(id: string, timeoutMs = 60_000): Promise<Execution> {
		return await waitFor(`Execution ${id}`, timeoutMs, async () => {
			try {
				const execution = await this.execution(id);
				return isFinished(execution) ? execution : undefined;
			} catch (error) {
				// Saved only once it has run; until then the API answers 404.
				if (error instanceof N8nHttpError && error.status === 404) return undefined;
				throw error;
			}
		});
	}

	/** Polls a workflow's executions (with data) until `count` of them have finished. */
	async waitForExecutions(workflowId: string, count = 1, timeoutMs = 60_000): Promise<Execution[]> {
		return await waitFor(`${count} execution(s) of workflow ${workflowId}`, timeoutMs, async () => {
			const executions = await this.executions({ workflowId, includeData: true });
			return executions.filter(isFinished).length >= count ? executions : undefined;
		});
	}
}

/** The items a node output on its first run (first output), as JSON. */
export function nodeOutput(execution: Execution, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const run = execution.data?.resultData?.runData?.[nodeName]?.[0];
	return (run?.data?.main?.[output] ?? []).map((item) => item.json);
}

/** The error an execution or one of its nodes ended with, if any. */
export function executionError(execution: Execution): string | undefined {
	const resultData = execution.data?.resultData;
	if (resultData?.error?.message) return resultData.error.message;
	for (const [node, runs] of Object.entries(resultData?.runData ?? {})) {
		const error = runs.find((run) => run.error)?.error;
		if (error) return `${node}: ${error.message ?? 'error'}${error.description ? ` (${error.description})` : ''}`;
	}
	return undefined;
}
