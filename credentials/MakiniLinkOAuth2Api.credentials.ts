import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * One Makini connection through Makini Link's OAuth2 flow (authorization code): n8n
 * keeps the access token (30 days) and the refresh token (31 days) and, when Makini
 * answers 401, obtains a new pair with grant_type=refresh_token at /link/token, so a
 * workflow does not stop when a pasted token would have expired.
 */
export class MakiniLinkOAuth2Api implements ICredentialType {
	name = 'makiniLinkOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Makini Link OAuth2 API';

	icon: Icon = { light: 'file:makini.svg', dark: 'file:makini.dark.svg' };

	documentationUrl = 'https://docs.makini.io';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.makini.io',
			description: 'Makini’s API; the token is requested at its /link/token. Change only to reach a Makini sandbox or a regional deployment.',
		},
		{
			displayName: 'Makini Link URL',
			name: 'linkUrl',
			type: 'string',
			default: 'https://link.makini.io',
			description: 'Where the customer connects their system (Makini Link’s /oauth/authorize). Change only for a sandbox.',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '={{ ($self["linkUrl"] || "https://link.makini.io").replace(/\\/+$/, "") + "/oauth/authorize" }}',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{ ($self["baseUrl"] || "https://api.makini.io").replace(/\\/+$/, "") + "/link/token" }}',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 60,
			description: 'How long one request waits for Makini’s answer before it fails (n8n’s own default is 300)',
		},
	];
}
