import { NodeConnectionTypes } from 'n8n-workflow';
import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { forgetWebhook, rememberWebhook, webhookExists } from './lifecycle';
import { triggerProperties } from './properties';
import { receiveDelivery } from './receive';
import { makiniWebhookSecretTest } from './webhookSecret';

/** Starts a workflow from Makini's signed webhooks: verified, deduplicated, answered once n8n stored the execution. */
export class MakiniTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Makini Trigger',
		name: 'makiniTrigger',
		icon: { light: 'file:makini.svg', dark: 'file:makini.dark.svg' },
		group: ['trigger'],
		// 1.1 changes nothing in the node: for a webhook start node of version 1, n8n
		// evaluates the expression {{$parameter["options"]["binaryData"]}} on every request
		// (a legacy of its Webhook node v1), which in n8n 2.x may build an expression
		// isolate per delivery. Version 1 workflows keep working unchanged.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Makini reports a change in a CMMS, ERP or WMS, or a connection event',
		defaults: { name: 'Makini Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'makiniWebhookSecretApi', required: true, testedBy: 'makiniWebhookSecretTest' },
			// Only to read the records an entity event names (Resolve Records).
			{ name: 'makiniApi', required: true, displayOptions: { show: { resolveRecords: [true] } } },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// n8n answers accepted deliveries (from 2.8 once the execution is stored) with the
				// node's webhookResponse (receive.ts, acceptedResponse). Empty lets it do so; an
				// undefined value would make it (1.x and 2.x) fall back to 'firstEntryJson'.
				responseData: '',
				path: 'webhook',
			},
		],
		// What the editor's trigger panel says. Makini sends nothing on its own while the
		// builder tests, so the help says how to send one delivery to the test URL.
		triggerPanel: {
			executionsHelp: {
				inactive:
					"<b>While building</b>, click 'Listen for test event' and send one delivery to the node's test URL: from Makini's dashboard (its webhook settings), or in the demo from the sandbox, which signs it with the demo's secret (README, \"Makini Trigger → Testing\"). The item is built as a real delivery's. <br /><br /><b>Once the workflow is active</b>, every verified delivery to the production URL starts it.",
				active:
					'<b>While building</b>, deactivate the workflow to test with the test URL. <br /><br /><b>Now that it is active</b>, every verified delivery Makini sends to the production URL starts it.',
			},
			activationHint: 'Once the test delivery arrives, activate the workflow and set its production URL in the Makini dashboard.',
		},
		properties: triggerProperties,
	};

	methods = {
		credentialTest: { makiniWebhookSecretTest },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return webhookExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return rememberWebhook.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return forgetWebhook.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery.call(this);
	}
}
