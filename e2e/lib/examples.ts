/**
 * The example workflows of examples/, as the demo (scripts/demo) and the end-to-end test
 * (test/e2e/examples.test.ts) use them: loaded from their files, bound to this n8n's
 * credentials and to the running sandbox, imported through n8n's public API, activated,
 * and their Makini Trigger URLs registered with the sandbox's webhook sender, which plays
 * Makini's dashboard. Then driven through the sandbox the way the connected systems would
 * (a planner sets a work order to Waiting on Material, a buyer approves the PO, a sync
 * fails) and checked against the sandbox's records.
 *
 * Everything goes over HTTP (the sandbox's API and control API, n8n's APIs), so it works
 * the same with the demo's sandbox process and with a test's in-process sandbox.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nClient, Workflow, WorkflowJson, WorkflowNode } from './client';
import type { MakiniCredentialNames, MakiniCredentials } from './index';
import { REPO_ROOT } from './process';
import type { SandboxClient } from './sandboxClient';
import { waitFor } from './wait';
import {
	MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE,
	MAKINI_RECORD_CHANGES_TRIGGER_TYPE,
	MAKINI_TRIGGER_TYPE,
	makiniTriggerPath,
	type PollTimes,
} from './workflows';

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

/** The credential names the example files reference (n8n matches them on import by name). */
export const EXAMPLE_CREDENTIAL_NAMES: MakiniCredentialNames = {
	api: 'Makini API',
	system: 'Makini System API',
	webhookSecret: 'Makini Webhook Secret',
};

/** The sandbox URL the files use (the demo's default port); replaced by the running sandbox's. */
export const EXAMPLE_SANDBOX_URL = 'http://127.0.0.1:4010';

/** The custom fields that link a work order and its purchase order (see examples/README.md). */
export const PO_NUMBER_FIELD = 'purchaseOrderNo';
export const WORK_ORDER_KEY_FIELD = 'workOrderKey';

export interface Example {
	file: string;
	workflow: WorkflowJson;
}

export function loadExample(file: string, dir = EXAMPLES_DIR): Example {
	const workflow = JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkflowJson;
	return { file, workflow };
}

export function loadExamples(dir = EXAMPLES_DIR): Example[] {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => loadExample(file, dir));
}

const CREDENTIAL_KIND: Record<string, keyof MakiniCredentials> = {
	makiniApi: 'api',
	makiniSystemApi: 'system',
	makiniWebhookSecretApi: 'webhookSecret',
};

const POLLING_TYPES = new Set([MAKINI_RECORD_CHANGES_TRIGGER_TYPE, MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE]);

export interface ExampleBinding {
	credentials: MakiniCredentials;
	/** The running sandbox, replacing EXAMPLE_SANDBOX_URL in every parameter. */
	sandboxUrl: string;
	/** Replaces the Poll Times of the polling triggers (tests poll every few seconds). */
	pollTimes?: PollTimes;
	/** Suffix for the workflow's name (a test imports the same file more than once). */
	nameSuffix?: string;
}

function replaceStrings(value: unknown, from: string, to: string): unknown {
	if (typeof value === 'string') return value.split(from).join(to);
	if (Array.isArray(value)) return value.map((v) => replaceStrings(v, from, to));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, from, to)]));
	}
	return value;
}

/**
 * The workflow with this n8n's credential IDs, the sandbox's URL, a fresh webhook ID per
 * Makini Trigger (two imports of one file must not claim the same production URL) and,
 * when given, other Poll Times.
 */
export function bindExample(workflow: WorkflowJson, binding: ExampleBinding): WorkflowJson {
	const nodes = (replaceStrings(workflow.nodes, EXAMPLE_SANDBOX_URL, binding.sandboxUrl) as WorkflowNode[]).map((node) => {
		const bound: WorkflowNode = { ...node, parameters: { ...node.parameters } };
		if (node.credentials) {
			bound.credentials = Object.fromEntries(
				Object.entries(node.credentials).map(([type, ref]) => {
					const kind = CREDENTIAL_KIND[type];
					const credential = kind ? binding.credentials[kind] : undefined;
					if (!credential) throw new Error(`Node "${node.name}" needs a ${type} credential, which was not created`);
					if (ref.name !== EXAMPLE_CREDENTIAL_NAMES[kind]) {
						throw new Error(`Node "${node.name}" references ${type} credential "${ref.name}", not "${EXAMPLE_CREDENTIAL_NAMES[kind]}"`);
					}
					return [type, { id: credential.id, name: credential.name }];
				}),
			);
		}
		if (node.type === MAKINI_TRIGGER_TYPE) bound.webhookId = randomUUID();
		if (binding.pollTimes && POLLING_TYPES.has(node.type)) bound.parameters.pollTimes = binding.pollTimes;
		return bound;
	});
	const name = binding.nameSuffix ? `${workflow.name} ${binding.nameSuffix}` : workflow.name;
	return { ...workflow, name, nodes };
}

/** Whether a node starts executions by itself once the workflow is active. */
export function isActivatingTrigger(node: WorkflowNode): boolean {
	return /trigger$/i.test(node.type) && node.type !== 'n8n-nodes-base.manualTrigger';
}

export interface WebhookEndpoint {
	node: string;
	url: string;
	events: string[];
}

export interface ImportedExample {
	file: string;
	workflow: Workflow;
	active: boolean;
	/** The production URLs of its Makini Trigger nodes. */
	webhooks: WebhookEndpoint[];
}

/** Imports an example through n8n's public API and activates it when it has a trigger. */
export async function importExample(
	client: N8nClient,
	example: Example,
	binding: ExampleBinding,
	options: { activate?: boolean } = {},
): Promise<ImportedExample> {
	const bound = bindExample(example.workflow, binding);
	const workflow = await client.createWorkflow(bound);
	const hasTrigger = bound.nodes.some(isActivatingTrigger);
	const active = (options.activate ?? true) && hasTrigger;
	if (active) await client.activateWorkflow(workflow.id);
	return { file: example.file, workflow, active, webhooks: webhookEndpoints(client.baseUrl, bound.nodes) };
}

/** The production URLs (and events) of a workflow's Makini Trigger nodes. */
export function webhookEndpoints(n8nUrl: string, nodes: WorkflowNode[]): WebhookEndpoint[] {
	return nodes
		.filter((node) => node.type === MAKINI_TRIGGER_TYPE)
		.map((node) => ({
			node: node.name,
			url: `${n8nUrl}/webhook/${makiniTriggerPath(node)}`,
			events: (node.parameters.events as string[] | undefined) ?? [],
		}));
}

/** The PO the examples raise for a work order: `PO-<work order number>`. */
export function purchaseOrderNumberFor(workOrder: Record<string, unknown>): string {
	return `PO-${String(workOrder.code)}`;
}

/** What a scenario proved: the work order it used and what the sandbox holds afterwards. */
export interface PurchaseOrderOutcome {
	workOrder: Record<string, unknown>;
	parts: Array<Record<string, unknown>>;
	purchaseOrders: Array<Record<string, unknown>>;
}

/** A planner sets the work order to Waiting on Material; waits until it carries its PO number. */
export async function sendWorkOrderForParts(sandbox: SandboxClient, workOrder: Record<string, unknown>, timeoutMs = 60_000): Promise<PurchaseOrderOutcome> {
	const key = String(workOrder.key);
	await sandbox.upsert('work-orders', { key, statusKey: await sandbox.statusKey('eam', 'work-orders', 'Waiting on Material') });
	return await purchaseOrderOutcome(sandbox, workOrder, timeoutMs);
}

/** Waits until the work order carries a PO number; answers its parts and the POs numbered for it. */
export async function purchaseOrderOutcome(sandbox: SandboxClient, workOrder: Record<string, unknown>, timeoutMs = 60_000): Promise<PurchaseOrderOutcome> {
	const key = String(workOrder.key);
	const updated = await waitFor(`work order ${String(workOrder.code)} carrying its PO number`, timeoutMs, async () => {
		const current = await sandbox.workOrder(key);
		return current[PO_NUMBER_FIELD] ? current : undefined;
	});
	return {
		workOrder: updated,
		parts: await sandbox.workOrderParts(key),
		purchaseOrders: await sandbox.purchaseOrdersNumbered(purchaseOrderNumberFor(workOrder)),
	};
}

/** What is wrong with a PO outcome (empty when the PO is right): one PO, the right lines, its number on the work order. */
export function purchaseOrderProblems(outcome: PurchaseOrderOutcome): string[] {
	const problems: string[] = [];
	const { workOrder, parts, purchaseOrders } = outcome;
	if (purchaseOrders.length !== 1) return [`${purchaseOrders.length} purchase orders numbered ${purchaseOrderNumberFor(workOrder)}, not 1`];
	const [po] = purchaseOrders;
	if (workOrder[PO_NUMBER_FIELD] !== po.orderNo) problems.push(`work order carries ${String(workOrder[PO_NUMBER_FIELD])}, the PO is ${String(po.orderNo)}`);
	if (po[WORK_ORDER_KEY_FIELD] !== workOrder.key) problems.push(`PO ${String(po.orderNo)} names work order ${String(po[WORK_ORDER_KEY_FIELD])}`);
	const lines = (po.lineItems as Array<Record<string, unknown>> | undefined) ?? [];
	const wanted = parts.map((p) => `${String(p.materialKey)}×${Math.max(1, Number(p.requiredQuantity) - Number(p.usedQuantity ?? 0))}`).sort();
	const got = lines.map((l) => `${String(l.materialKey)}×${Number(l.quantity)}`).sort();
	if (JSON.stringify(wanted) !== JSON.stringify(got)) problems.push(`PO lines ${got.join(', ')} are not the parts ${wanted.join(', ')}`);
	return problems;
}
