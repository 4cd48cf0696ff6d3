/**
 * The two credentials a node can run with, each shown for its value of the node's
 * `authentication` parameter (n8n's usual pattern): a connection's Makini API token, or
 * the Makini System API client; for the action nodes also a connection through Makini Link OAuth2.
 */
import type { INodeCredentialDescription } from 'n8n-workflow';

import { AUTHENTICATION_VALUE } from '../registry/kinds';

export function credentialsByAuthentication(withLink = false): INodeCredentialDescription[] {
	const link: INodeCredentialDescription[] = withLink
		? [{ name: 'makiniLinkOAuth2Api', required: true, displayOptions: { show: { authentication: [AUTHENTICATION_VALUE.makiniLinkOAuth2Api] } } }]
		: [];
	return [
		{
			name: 'makiniApi',
			required: true,
			displayOptions: { show: { authentication: [AUTHENTICATION_VALUE.makiniApi] } },
		},
		{
			name: 'makiniSystemApi',
			required: true,
			displayOptions: { show: { authentication: [AUTHENTICATION_VALUE.makiniSystemApi] } },
		},
		...link,
	];
}
