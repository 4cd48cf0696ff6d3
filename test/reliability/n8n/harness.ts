/**
 * The reliability suite inside a real n8n: the sandbox and n8n 2.x started with the
 * recognisable secrets in every credential, Makini Trigger workflows, every execution
 * of a workflow (all pages, with data), and /healthz watched while a run goes on.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../sandbox';
import {
	buildPackage,
	chain,
	FINISHED_STATUSES,
	makiniTriggerNode,
	makiniTriggerPath,
	startN8nWithOwner,
	type CredentialRef,
	type Execution,
	type N8nClient,
	type N8nSession,
	type Workflow,
	type WorkflowNode,
} from '../../../e2e/lib';
import { recognisableSecrets, type RecognisableSecrets } from '../lib/secrets';
import { waitFor } from '../../../e2e/lib/wait';

export const TRIGGER_NAME = 'Makini Trigger';
export const NO_OP_NAME = 'No Operation, do nothing';

export interface ReliabilityN8n {
	sandbox: SandboxHandle;
	session: N8nSession;
	secrets: RecognisableSecrets;
	credentials: { api: CredentialRef; system: CredentialRef; webhookSecret: CredentialRef };
	stop(): Promise<void>;
}

/**
 * Builds the package, starts the sandbox with the recognisable secrets and n8n (debug
 * logging, so every line n8n and the nodes can write is in the log that gets scanned),
 * and creates the three credentials with those secrets (the webhook secret credential
 * with a previous secret too, as during a rotation).
 */
export async function startReliabilityN8n(label: string, sandboxOptions: SandboxOptions = {}): Promise<ReliabilityN8n> {
	const secrets = recognisableSecrets(`${label}:${Date.now()}`);
	buildPackage();
	const sandbox = await startSandbox({
		...sandboxOptions,
		port: 0,
		apiToken: secrets.apiToken,
		webhookSecret: secrets.webhookSecret,
		systemClientId: secrets.systemClientId,
		systemClientSecret: secrets.systemClientSecret,
	});
	let session: N8nSession | undefined;
	try {
		session = await startN8nWithOwner({ major: 2, env: { N8N_LOG_LEVEL: 'debug' } });
		const { client } = session;
		const api = await client.createCredential('Makini (reliability)', 'makiniApi', { apiToken: secrets.apiToken, baseUrl: sandbox.url });
		const system = await client.createCredential('Makini System (reliability)', 'makiniSystemApi', {
			clientId: secrets.systemClientId,
			clientSecret: secrets.systemClientSecret,
			baseUrl: sandbox.url,
		});
		const webhookSecret = await client.createCredential('Makini webhook secret (reliability)', 'makiniWebhookSecretApi', {
			secret: secrets.webhookSecret,
			previousSecret: secrets.previousWebhookSecret,
			signatureHeader: 'X-Webhook-Signature',
		});
		const started = session;
		return {
			sandbox,
			session: started,
			secrets,
			credentials: { api, system, webhookSecret },
			stop: async () => {
				await started.n8n.stop();
				await sandbox.close();
			},
		};
	} catch (error) {
		await session?.n8n.stop();
		await sandbox.close();
		throw error;
	}
}

export interface TriggerWorkflow {
	workflow: Workflow;
	/** The production URL Makini would be given. */
	url: string;
}

/**
 * Makini Trigger → No Op, created and activated. `options` are the trigger's Options
 * (e.g. `{ dropOutOfOrder: true }`); events default to All Events.
 */
export async function activeTriggerWorkflow(
	client: N8nClient,
	baseUrl: string,
	credential: CredentialRef,
	name: string,
	parameters: { events?: string[]; options?: Record<string, unknown> } = {},
): Promise<TriggerWorkflow> {
	// The version the editor creates (1.1): n8n evaluates a legacy expression per request for version 1.
	const trigger = { ...makiniTriggerNode(TRIGGER_NAME, { events: parameters.events ?? ['*'], options: parameters.options }, credential), typeVersion: 1.1 };
	const noOp: WorkflowNode = {
		id: randomUUID(),
		name: NO_OP_NAME,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [260, 0],
		parameters: {},
	};
	const workflow = await client.createWorkflow(chain(name, [trigger, noOp]));
	await client.activateWorkflow(workflow.id);
	const url = `${baseUrl}/webhook/${makiniTriggerPath(trigger)}`;
	await waitUntilRegistered(url);
	return { workflow, url };
}

/** n8n registers an activated workflow's webhooks in the background: wait until it answers. */
async function waitUntilRegistered(url: string, timeoutMs = 30_000): Promise<void> {
	await waitFor(`The webhook ${url} registered`, timeoutMs, async () => {
		// Unsigned: refused with 401 once the trigger answers, and never starts anything.
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		const text = await response.text();
		if (response.status === 404) return undefined;
		if (response.status !== 401) throw new Error(`The trigger answered an unsigned probe with ${response.status}: ${text.slice(0, 200)}`);
		return true;
	});
}

/** Every execution of a workflow, following the public API's cursor. */
export async function allExecutions(client: N8nClient, workflowId: string, includeData = true): Promise<Execution[]> {
	return await client.allExecutions({ workflowId, includeData });
}

/**
 * Waits until a workflow has `expected` finished executions (and none running), then
 * `settleMs` more to let any extra one show up, and returns them all (with data). When
 * the count stops growing for `stallMs` short of `expected`, or `timeoutMs` passes, it
 * returns what there is: the caller's assertions then say what is missing.
 */
export async function settledExecutions(
	client: N8nClient,
	workflowId: string,
	expected: number,
	{ timeoutMs = 120_000, settleMs = 3_000, stallMs = 30_000 } = {},
): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	let finished = -1;
	let progressAt = Date.now();
	for (;;) {
		const listed = await listingThroughHiccups(() => allExecutions(client, workflowId, false));
		const now = listed.filter((e) => FINISHED_STATUSES.has(e.status)).length;
		if (now !== finished) progressAt = Date.now();
		finished = now;
		if (finished >= expected && finished === listed.length) break;
		if (Date.now() > deadline || Date.now() - progressAt > stallMs) break;
		// Not too often: listing hundreds of executions costs n8n time too.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
	}
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return await listingThroughHiccups(() => allExecutions(client, workflowId, true));
}

/**
 * n8n answers its API with 503 "Database is not ready!" while its database health check
 * fails under load (SQLite busy with a burst): the listing is tried again for a minute.
 */
async function listingThroughHiccups<T>(list: () => Promise<T>, forMs = 60_000): Promise<T> {
	const until = Date.now() + forMs;
	for (;;) {
		try {
			return await list();
		} catch (error) {
			if (Date.now() > until || !/answered 503/.test((error as Error).message)) throw error;
			await new Promise((resolve) => setTimeout(resolve, 2_000));
		}
	}
}

/** The items the trigger emitted in an execution. */
export function triggerItems(execution: Execution): Array<Record<string, unknown>> {
	const run = execution.data?.resultData?.runData?.[TRIGGER_NAME]?.[0];
	return (run?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** Polls /healthz every `intervalMs` until stopped: how many answers were 200, and the others. */
export function watchHealth(baseUrl: string, intervalMs = 250): { stop(): Promise<{ ok: number; failed: string[] }> } {
	let ok = 0;
	const failed: string[] = [];
	let running = true;
	const loop = (async () => {
		while (running) {
			const started = Date.now();
			try {
				const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
				if (response.status === 200) ok++;
				else failed.push(`status ${response.status}`);
				await response.body?.cancel();
			} catch (error) {
				failed.push((error as Error).message);
			}
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - started))));
		}
	})();
	return {
		stop: async () => {
			running = false;
			await loop;
			return { ok, failed };
		},
	};
}

/** Runs `work` over `items`, at most `concurrency` at a time, stopping to start new ones after `deadline`. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>, deadline = Infinity): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
		while (next < items.length) {
			if (Date.now() > deadline) throw new Error(`Stopped after ${next} of ${items.length}: over the time bound`);
			const index = next++;
			results[index] = await work(items[index], index);
		}
	});
	await Promise.all(workers);
	return results;
}

/**
 * What n8n itself failed to write, from its log: executions it could not create and
 * static data it could not save (SQLite's single writer timing out under load). An
 * execution n8n could not create after the trigger answered 200 is lost by n8n, not by
 * the trigger: the run reports it apart.
 */
export function n8nWriteFailures(logFile: string): { executionsNotCreated: number; staticDataNotSaved: number } {
	const log = readFileSync(logFile, 'utf8');
	const count = (needle: string) => log.split(needle).length - 1;
	return {
		executionsNotCreated: count('at ExecutionPersistence.create ('),
		staticDataNotSaved: count('at WorkflowStaticDataService.saveStaticDataById ('),
	};
}

/**
 * Backpressure on the sender: n8n (SQLite, one writer) writes every accepted delivery's
 * execution after the trigger has answered 200, so a sender faster than those writes
 * builds a queue that n8n ends after 60 s by dropping executions (LockAcquireTimeoutError).
 * `wait()` holds the sender while more than `limit` accepted deliveries have no finished
 * execution yet, so the run measures the trigger, not n8n's write capacity.
 */
export class ExecutionBacklog {
	private accepted = 0;
	private finished = 0;
	private checking: Promise<void> | undefined;
	private checkedAt = 0;
	/** Times the sender waited, and for how long in all. */
	waits = 0;
	waitedMs = 0;

	constructor(
		private readonly client: N8nClient,
		private readonly workflowId: string,
		private readonly limit: number,
	) {}

	accept(): void {
		this.accepted++;
	}

	private async refresh(): Promise<void> {
		if (Date.now() - this.checkedAt < 1_000) return;
		this.checking ??= (async () => {
			const listed = await allExecutions(this.client, this.workflowId, false);
			this.finished = listed.filter((e) => FINISHED_STATUSES.has(e.status)).length;
			this.checkedAt = Date.now();
		})().finally(() => (this.checking = undefined));
		await this.checking;
	}

	async wait(timeoutMs = 120_000): Promise<void> {
		if (this.accepted - this.finished <= this.limit) return;
		const started = Date.now();
		this.waits++;
		while (this.accepted - this.finished > this.limit) {
			if (Date.now() - started > timeoutMs) throw new Error(`n8n finished no execution for ${timeoutMs} ms with ${this.accepted - this.finished} pending`);
			await this.refresh();
			if (this.accepted - this.finished > this.limit) await new Promise((resolve) => setTimeout(resolve, 500));
		}
		this.waitedMs += Date.now() - started;
	}
}
