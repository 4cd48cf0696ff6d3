/** The workflows the cases import: ours and the baselines built from n8n's own nodes. */
import { randomUUID } from 'node:crypto';

import { chain, MAKINI_NODE_TYPE, MANUAL_TRIGGER_NAME, startNode, type CredentialRef, type WorkflowJson, type WorkflowNode } from '../../e2e/lib';

const MAKINI_TRIGGER_TYPE = 'n8n-nodes-makini.makiniTrigger';

function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

const noOp = () => node('No Op', 'n8n-nodes-base.noOp', 1, {});

/** Makini Trigger (all events, verification and deduplication as shipped) → No Op; `path` is under /webhook/. */
export function makiniTriggerWorkflow(secret: CredentialRef): { workflow: WorkflowJson; path: string } {
	const webhookId = randomUUID();
	const trigger = node('Makini Trigger', MAKINI_TRIGGER_TYPE, 1.1, { events: ['*'], options: {} }, {
		credentials: { makiniWebhookSecretApi: { id: secret.id, name: secret.name } },
		webhookId,
	});
	return { workflow: chain('bench: Makini Trigger → No Op', [trigger, noOp()]), path: `${webhookId}/webhook` };
}

/** n8n's core Webhook node (POST, Respond: Immediately) → No Op. */
export function coreWebhookWorkflow(): { workflow: WorkflowJson; path: string } {
	const path = `bench-${randomUUID()}`;
	const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, { webhookId: randomUUID() });
	return { workflow: chain('bench: Webhook → No Op', [webhook, noOp()]), path };
}

export const MAKINI_GET_MANY = 'Makini: Get Many work orders';
export const HTTP_REQUEST = 'HTTP Request: work orders';

/** Manual → Makini Get Many work orders, Return All. */
export function makiniGetManyWorkflow(api: CredentialRef): WorkflowJson {
	return chain('bench: Makini Get Many', [
		startNode({ kind: 'manual' }),
		node(MAKINI_GET_MANY, MAKINI_NODE_TYPE, 1, { authentication: 'apiToken', system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true }, {
			credentials: { makiniApi: { id: api.id, name: api.name } },
		}),
	]);
}

/**
 * Manual → HTTP Request on the same endpoint, with the same page size and Makini's
 * bearer token as a header credential, paginated by n8n: "Update a Parameter in Each
 * Request" (page = $pageCount + 1) until meta.current_page reaches meta.last_page, so
 * it makes the same requests as the Makini node. `splitOut` adds n8n's Split Out on
 * `data`, for one item per work order as the Makini node outputs.
 */
export function httpRequestWorkflow(baseUrl: string, header: CredentialRef, pageSize: number, splitOut: boolean): WorkflowJson {
	const nodes = [
		startNode({ kind: 'manual' }),
		node(HTTP_REQUEST, 'n8n-nodes-base.httpRequest', 4.2, {
			method: 'GET',
			url: `${baseUrl}/api/eam/work-orders`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'per_page', value: String(pageSize) }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: '={{ $response.body.meta.current_page >= $response.body.meta.last_page }}',
					},
				},
			},
		}, { credentials: { httpHeaderAuth: { id: header.id, name: header.name } } }),
	];
	if (splitOut) nodes.push(node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'data', include: 'noOtherFields', options: {} }));
	return chain(`bench: HTTP Request${splitOut ? ' → Split Out' : ''}`, nodes);
}

export const BULK_TRIGGER = MANUAL_TRIGGER_NAME;

/** Manual → Edit Fields (a list 1..count) → Split Out → Makini Create work order, one per item. */
export function makiniCreateWorkflow(api: CredentialRef, count: number, siteKey: string): WorkflowJson {
	return chain('bench: Makini Create ×' + count, [
		startNode({ kind: 'manual' }),
		node('Numbers', 'n8n-nodes-base.set', 3.4, {
			mode: 'manual',
			assignments: { assignments: [{ id: randomUUID(), name: 'n', type: 'array', value: `={{ Array.from({ length: ${count} }, (_, i) => i + 1) }}` }] },
			options: {},
		}),
		node('One Item Each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'n', include: 'noOtherFields', options: {} }),
		node('Makini: Create work order', MAKINI_NODE_TYPE, 1, {
			authentication: 'apiToken',
			system: 'eam',
			resource: 'workOrder',
			operation: 'create',
			title: '={{ "Bench work order " + $json.n }}',
			siteKey,
		}, { credentials: { makiniApi: { id: api.id, name: api.name } } }),
	]);
}
