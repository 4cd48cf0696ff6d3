/**
 * The webhook lifecycle n8n runs on activation and deactivation. Makini documents no
 * API to register a webhook (they are set in Makini's dashboard), so nothing is
 * registered remotely: the trigger remembers which URL it was activated with and logs
 * where it must be pasted (or removed), which is all that can honestly be done.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

const URL_KEY = 'makiniWebhookUrl';

function details(ctx: IHookFunctions): IDataObject {
	return { workflowId: ctx.getWorkflow().id, node: ctx.getNode().name };
}

export async function webhookExists(this: IHookFunctions): Promise<boolean> {
	const url = this.getNodeWebhookUrl('default');
	const staticData = this.getWorkflowStaticData('node');
	// Only the URL activated before can be known: Makini's dashboard cannot be read.
	return url !== undefined && staticData[URL_KEY] === url;
}

export async function rememberWebhook(this: IHookFunctions): Promise<boolean> {
	const url = this.getNodeWebhookUrl('default');
	if (!url) {
		this.logger.error('Makini Trigger: n8n gave no webhook URL for this node', details(this));
		return false;
	}
	this.getWorkflowStaticData('node')[URL_KEY] = url;
	this.logger.info(
		`Makini Trigger active. Makini has no webhook registration API: set ${url} as the webhook URL in the Makini dashboard, with the secret from the credential.`,
		details(this),
	);
	return true;
}

export async function forgetWebhook(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const url = staticData[URL_KEY];
	delete staticData[URL_KEY];
	if (typeof url === 'string') {
		this.logger.info(
			`Makini Trigger deactivated. Remove ${url} from the webhook settings in the Makini dashboard, or Makini keeps retrying deliveries to it for 24 hours.`,
			details(this),
		);
	}
	return true;
}
