import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** One Makini connection: the API token Makini issues for one customer's system. */
export class MakiniApi implements ICredentialType {
	name = 'makiniApi';

	displayName = 'Makini API';

	icon: Icon = { light: 'file:makini.svg', dark: 'file:makini.dark.svg' };

	documentationUrl = 'https://docs.makini.io';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The access token of one Makini connection, from the Makini Link flow or the Makini dashboard',
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
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
				Accept: 'application/json',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(new RegExp("/+$"), "")}}',
			url: '/api/integrations/current',
		},
		// n8n's credential tester applies responseCode rules to a failed request and
		// responseSuccessBody rules to a successful one, so both kinds are listed.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Makini rejected the token (401). Either the API token is wrong or revoked: copy it again from Makini; or the connected system’s credentials changed and the connection needs reauthorization: reconnect it in Makini.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The token is valid but has no access to this connection (403)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'data.sync_status',
					value: 'fail',
					message:
						'The token works, but the connection needs reauthorization: the connected system rejected its credentials. Reconnect it in Makini.',
				},
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
