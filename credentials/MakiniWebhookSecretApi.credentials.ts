import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret Makini signs its webhooks with. Makini has no endpoint to check a webhook
 * secret against, so this credential has no HTTP test: the Makini Trigger tests it
 * instead (`testedBy`), locally and saying so.
 */
export class MakiniWebhookSecretApi implements ICredentialType {
	name = 'makiniWebhookSecretApi';

	displayName = 'Makini Webhook Secret API';

	icon: Icon = { light: 'file:makini.svg', dark: 'file:makini.dark.svg' };

	documentationUrl = 'https://docs.makini.io';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The webhook secret set in the Makini dashboard; Makini signs every delivery with it',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While rotating: the secret being replaced. Deliveries signed with either are accepted, so none is dropped while Makini switches over. Clear it once the rotation is done.',
		},
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			default: 'X-Webhook-Signature',
			description: 'The header carrying the signature. Makini documented X-Webhook-Signature; change it if your deliveries use another.',
		},
	];
}
