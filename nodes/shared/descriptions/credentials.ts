/**
 * The two credentials a node can run with, each shown for its value of the node's
 * `authentication` parameter (n8n's usual pattern): a connection's Makini API token, or
 * the Makini System API client.
 */
import type { INodeCredentialDescription } from 'n8n-workflow';

import { AUTHENTICATION_VALUE } from '../registry/kinds';

export function credentialsByAuthentication(): INodeCredentialDescription[] {
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
	];
}
