/** The workflows the cases import: ours and the baselines built from n8n's own nodes. */
import { randomUUID } from 'node:crypto';

import { chain, MAKINI_CMMS_TYPE, MANUAL_TRIGGER_NAME, startNode, type CredentialRef, type WorkflowJson, type WorkflowNode } from '../../e2e/lib';

const MAKINI_TRIGGER_TYPE = 'n8n-nodes-makini.makiniTrigger';

/** `extra`: node settings beside the parameters (credentials, webhookId, retryOnFail, …). */
function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> & Record<string, unknown> = {}): WorkflowNode {
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

/** Edit Fields with one expression: the downstream work both trigger sides do, so neither is flattered. */
function oneExpression(expression: string): WorkflowNode {
	return node('Event', 'n8n-nodes-base.set', 3.4, {
		mode: 'manual',
		assignments: { assignments: [{ id: randomUUID(), name: 'event', type: 'string', value: `={{ ${expression} }}` }] },
		options: {},
	});
}

/** Makini Trigger (as shipped: verification, replay window, deduplication) → Edit Fields with one expression. */
export function makiniTriggerVerifiedWorkflow(secret: CredentialRef): { workflow: WorkflowJson; path: string } {
	const webhookId = randomUUID();
	const trigger = node('Makini Trigger', MAKINI_TRIGGER_TYPE, 1.1, { events: ['*'], options: {} }, {
		credentials: { makiniWebhookSecretApi: { id: secret.id, name: secret.name } },
		webhookId,
	});
	return { workflow: chain('bench: Makini Trigger → Edit Fields', [trigger, oneExpression('$json.event')]), path: `${webhookId}/webhook` };
}

/**
 * What a builder makes today to verify Makini's signature with n8n's own nodes:
 * Webhook (POST, raw body, Respond: Using 'Respond to Webhook' Node) → Crypto
 * (HMAC-SHA256 of the raw body, base64) → If (equal to the signature header) →
 * Respond to Webhook 200 → Edit Fields (one expression); the false branch answers 401.
 * It checks no replay window and deduplicates nothing (and compares with ===).
 */
export function diyVerifiedWebhookWorkflow(secret: string, signatureHeader: string): { workflow: WorkflowJson; path: string } {
	const path = `bench-diy-${randomUUID()}`;
	const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'responseNode', options: { rawBody: true } }, { webhookId: randomUUID() });
	const crypto = node('Crypto', 'n8n-nodes-base.crypto', 1, {
		action: 'hmac',
		type: 'SHA256',
		binaryData: true,
		binaryPropertyName: 'data',
		dataPropertyName: 'signature',
		secret,
		encoding: 'base64',
	});
	const check = node('If signed', 'n8n-nodes-base.if', 2.2, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			conditions: [
				{
					id: randomUUID(),
					leftValue: '={{ $json.signature }}',
					rightValue: `={{ $json.headers['${signatureHeader.toLowerCase()}'] }}`,
					operator: { type: 'string', operation: 'equals' },
				},
			],
			combinator: 'and',
		},
		options: {},
	});
	return { workflow: verifiedWorkflow('bench: Webhook → Crypto → If → Respond to Webhook (verified by hand)', webhook, crypto, check), path };
}

/**
 * The part both DIY workflows share: Webhook → the verifying node → If, then Respond 200
 * → Edit Fields (one expression) on the true branch and Respond 401 on the false one.
 */
function verifiedWorkflow(name: string, webhook: WorkflowNode, verify: WorkflowNode, check: WorkflowNode): WorkflowJson {
	const accept = node('Respond 200', 'n8n-nodes-base.respondToWebhook', 1.1, { respondWith: 'json', responseBody: '{"message":"Workflow was started"}', options: { responseCode: 200 } });
	const refuse = node('Respond 401', 'n8n-nodes-base.respondToWebhook', 1.1, { respondWith: 'json', responseBody: '{"error":"invalid signature"}', options: { responseCode: 401 } });
	const event = oneExpression('$json.body.event');
	const nodes = [webhook, verify, check, accept, refuse, event];
	const main = (to: WorkflowNode) => [{ node: to.name, type: 'main', index: 0 }];
	return {
		name,
		nodes: nodes.map((n, i) => ({ ...n, position: [i * 220, n === refuse ? 200 : 0] as [number, number] })),
		connections: {
			[webhook.name]: { main: [main(verify)] },
			[verify.name]: { main: [main(check)] },
			[check.name]: { main: [main(accept), main(refuse)] },
			[accept.name]: { main: [main(event)] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * The DIY workflow with a Code node doing the check: Webhook (POST, raw body, respond
 * from a node) → Code (HMAC-SHA256 of the raw body with Node's crypto, base64, compared
 * in constant time with the signature header; needs NODE_FUNCTION_ALLOW_BUILTIN=crypto,
 * and runs in n8n's task runner) → If (valid) → Respond to Webhook 200 → Edit Fields (one
 * expression); the false branch answers 401.
 */
export function codeVerifiedWebhookWorkflow(secret: string, signatureHeader: string): { workflow: WorkflowJson; path: string } {
	const path = `bench-code-${randomUUID()}`;
	const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'responseNode', options: { rawBody: true } }, { webhookId: randomUUID() });
	const jsCode = [
		"const crypto = require('crypto');",
		`const secret = ${JSON.stringify(secret)};`,
		'const items = $input.all();',
		'const out = [];',
		'for (let i = 0; i < items.length; i++) {',
		"\tconst raw = await this.helpers.getBinaryDataBuffer(i, 'data');",
		"\tconst expected = crypto.createHmac('sha256', secret).update(raw).digest('base64');",
		`\tconst given = String(items[i].json.headers[${JSON.stringify(signatureHeader.toLowerCase())}] ?? '');`,
		'\tconst valid = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));',
		'\tout.push({ json: { ...items[i].json, valid } });',
		'}',
		'return out;',
	].join('\n');
	const code = node('Verify signature', 'n8n-nodes-base.code', 2, { mode: 'runOnceForAllItems', language: 'javaScript', jsCode });
	const check = node('If valid', 'n8n-nodes-base.if', 2.2, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			conditions: [{ id: randomUUID(), leftValue: '={{ $json.valid }}', rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }],
			combinator: 'and',
		},
		options: {},
	});
	return { workflow: verifiedWorkflow('bench: Webhook → Code → If → Respond to Webhook (verified in a Code node)', webhook, code, check), path };
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
		// Simplify off: whole records, as the HTTP Request node returns them.
		node(MAKINI_GET_MANY, MAKINI_CMMS_TYPE, 1, { authentication: 'apiToken', system: 'eam', resource: 'workOrder', operation: 'getMany', returnAll: true, simple: false }, {
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

/** Edit Fields (a list 1..count) → Split Out: one item per number, `n` in each. */
function numberedItems(count: number) {
	return [
		node('Numbers', 'n8n-nodes-base.set', 3.4, {
			mode: 'manual',
			assignments: { assignments: [{ id: randomUUID(), name: 'n', type: 'array', value: `={{ Array.from({ length: ${count} }, (_, i) => i + 1) }}` }] },
			options: {},
		}),
		node('One Item Each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'n', include: 'noOtherFields', options: {} }),
	];
}

/** Manual → Edit Fields (a list 1..count) → Split Out → Makini Create work order, one per item. */
export function makiniCreateWorkflow(api: CredentialRef, count: number, siteKey: string): WorkflowJson {
	return chain('bench: Makini Create ×' + count, [
		startNode({ kind: 'manual' }),
		...numberedItems(count),
		node('Makini: Create work order', MAKINI_CMMS_TYPE, 1, {
			authentication: 'apiToken',
			system: 'eam',
			resource: 'workOrder',
			operation: 'create',
			title: '={{ "Bench work order " + $json.n }}',
			siteKey,
		}, { credentials: { makiniApi: { id: api.id, name: api.name } } }),
	]);
}

export const HTTP_CREATE = 'HTTP Request: create work order';

/**
 * The user's baseline under a rate limit: Manual → Edit Fields (1..count) → Split Out →
 * HTTP Request POST work-orders per item, with the node's Retry On Fail (5 tries, 5 s
 * apart: n8n's largest), as a builder sets it up against 429s.
 */
export function httpCreateWorkflow(baseUrl: string, header: CredentialRef, count: number, siteKey: string): WorkflowJson {
	return chain('bench: HTTP Request create ×' + count + ' (Retry On Fail)', [
		startNode({ kind: 'manual' }),
		...numberedItems(count),
		node(
			HTTP_CREATE,
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'POST',
				url: `${baseUrl}/api/eam/work-orders`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				bodyParameters: {
					parameters: [
						{ name: 'title', value: '={{ "Bench work order " + $json.n }}' },
						{ name: 'siteKey', value: siteKey },
					],
				},
				options: {},
			},
			{ credentials: { httpHeaderAuth: { id: header.id, name: header.name } }, retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 },
		),
	]);
}
