/**
 * Workflows the end-to-end tests import, as the JSON the editor would save. Node types
 * carry the package name, as for users who install the package from the registry.
 */
import { randomUUID } from 'node:crypto';

import type { WorkflowJson, WorkflowNode } from './client';

export const PACKAGE_NAME = 'n8n-nodes-makini';
/** The action nodes, one per Makini family (each also runs the platform's operations). */
export const MAKINI_CMMS_TYPE = `${PACKAGE_NAME}.makiniCmms`;
export const MAKINI_ERP_TYPE = `${PACKAGE_NAME}.makiniErp`;
export const MAKINI_WMS_TYPE = `${PACKAGE_NAME}.makiniWms`;
const FAMILY_NODE_TYPES: Record<string, string> = { eam: MAKINI_CMMS_TYPE, erp: MAKINI_ERP_TYPE, wms: MAKINI_WMS_TYPE };
/** The action node that runs an operation of `system` (the platform's run in any: Makini CMMS). */
export function makiniNodeType(system: string): string {
	return FAMILY_NODE_TYPES[system] ?? MAKINI_CMMS_TYPE;
}
export const MAKINI_TRIGGER_TYPE = `${PACKAGE_NAME}.makiniTrigger`;
export const MAKINI_RECORD_CHANGES_TRIGGER_TYPE = `${PACKAGE_NAME}.makiniRecordChangesTrigger`;
export const MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE = `${PACKAGE_NAME}.makiniConnectionHealthTrigger`;
/** The six node types the package adds (n8n also serves `makiniErpTool` etc., the AI-tool variants). */
export const MAKINI_NODE_TYPES = [MAKINI_CMMS_TYPE, MAKINI_ERP_TYPE, MAKINI_WMS_TYPE, MAKINI_TRIGGER_TYPE, MAKINI_RECORD_CHANGES_TRIGGER_TYPE, MAKINI_CONNECTION_HEALTH_TRIGGER_TYPE];

export interface CredentialRef {
	id: string;
	name: string;
}

export type Start = { kind: 'manual' } | { kind: 'webhook'; path: string };

export const MANUAL_TRIGGER_NAME = 'When clicking Execute workflow';
export const WEBHOOK_NAME = 'Webhook';

export function startNode(start: Start): WorkflowNode {
	if (start.kind === 'manual') {
		return {
			id: randomUUID(),
			name: MANUAL_TRIGGER_NAME,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
	}
	return {
		id: randomUUID(),
		name: WEBHOOK_NAME,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		// Answers with the last node's first item, so a caller sees the result directly.
		parameters: { httpMethod: 'GET', path: start.path, responseMode: 'lastNode', options: {} },
		webhookId: randomUUID(),
	};
}

/** The Makini family node for one operation, with the credential its operation needs. */
export function makiniNode(
	name: string,
	parameters: { system: string; resource: string; operation: string } & Record<string, unknown>,
	credential: { type: 'makiniApi' | 'makiniSystemApi' | 'makiniLinkOAuth2Api' } & CredentialRef,
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: makiniNodeType(parameters.system),
		typeVersion: 1,
		position: [260, 0],
		parameters: { authentication: { makiniApi: 'apiToken', makiniSystemApi: 'systemApi', makiniLinkOAuth2Api: 'linkOAuth2' }[credential.type], ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

/** start → node → node …, each feeding the next. */
export function chain(name: string, nodes: WorkflowNode[]): WorkflowJson {
	const connections: Record<string, unknown> = {};
	nodes.forEach((node, i) => {
		node.position = [i * 260, 0];
		const next = nodes[i + 1];
		if (next) connections[node.name] = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
	});
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Connection → Get Status with a `makiniApi` credential. */
export function connectionStatusWorkflow(start: Start, credential: CredentialRef): WorkflowJson {
	return chain(`Makini connection status (${start.kind})`, [
		startNode(start),
		makiniNode(
			'Connection Status',
			{ system: 'platform', resource: 'connection', operation: 'getStatus' },
			{ type: 'makiniApi', ...credential },
		),
	]);
}

/**
 * A Makini Trigger (webhook) node; its production URL is /webhook/<webhookId>/webhook.
 * Version 1.1 is what the editor creates; version 1 is what older workflows hold.
 */
export function makiniTriggerNode(
	name: string,
	parameters: { events: string[]; options?: Record<string, unknown> },
	secret: CredentialRef,
	typeVersion: 1 | 1.1 = 1.1,
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: MAKINI_TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		parameters: { events: parameters.events, options: parameters.options ?? {} },
		credentials: { makiniWebhookSecretApi: { id: secret.id, name: secret.name } },
		webhookId: randomUUID(),
	};
}

/** The path under /webhook/ of a Makini Trigger node's production URL. */
export function makiniTriggerPath(node: WorkflowNode): string {
	if (!node.webhookId) throw new Error(`Node "${node.name}" has no webhookId`);
	return `${node.webhookId}/webhook`;
}

/** n8n's Poll Times parameter of a polling trigger (see e2e/lib/polling.ts). */
export interface PollTimes {
	item: Array<{ mode: 'everyMinute' } | { mode: 'custom'; cronExpression: string }>;
}

/** A polling trigger node (Makini Record Changes or Connection Health Trigger). */
export function pollingTriggerNode(
	name: string,
	type: string,
	parameters: Record<string, unknown>,
	credentials: Record<string, CredentialRef>,
	pollTimes: PollTimes,
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...parameters, pollTimes },
		credentials: Object.fromEntries(Object.entries(credentials).map(([kind, ref]) => [kind, { id: ref.id, name: ref.name }])),
	};
}

/** n8n's HTTP Request node posting each item as JSON to `url` (an alert endpoint). */
export function postJsonNode(name: string, url: string): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [260, 0],
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}
