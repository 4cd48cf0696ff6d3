import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Makini's System API client: manages every connection of a client. Its access token
 * comes from the client-credentials grant; n8n refreshes it through preAuthentication
 * whenever it is empty or a request answers 401 (the `expirable` field).
 */
export class MakiniSystemApi implements ICredentialType {
	name = 'makiniSystemApi';

	displayName = 'Makini System API';

	icon: Icon = { light: 'file:makini.svg', dark: 'file:makini.dark.svg' };

	documentationUrl = 'https://docs.makini.io';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.makini.io',
			description: 'Change only to reach a Makini sandbox or a regional deployment',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 60,
			description:
				'How long one request waits for Makini’s answer before it fails (n8n’s own default is 300). A timed-out request is not repeated: raise this only for reads that are slow by nature.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl || 'https://api.makini.io').replace(/\/+$/, '');
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrl}/link/token`,
			body: {
				grant_type: 'client_credentials',
				client_id: credentials.clientId,
				client_secret: credentials.clientSecret,
			},
			json: true,
			// The credential's Request Timeout bounds the token request as it bounds every call.
			timeout: Math.min(300, Math.max(1, Number(credentials.requestTimeout) || 60)) * 1000,
		})) as IDataObject;
		return { accessToken: response.access_token as string };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
				Accept: 'application/json',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(new RegExp("/+$"), "")}}',
			url: '/api/system/client',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Makini rejected the client ID or secret (401): copy both again from Makini',
				},
			},
		],
	};
}
