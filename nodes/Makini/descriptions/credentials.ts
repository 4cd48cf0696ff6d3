/**
 * Which credential the node uses: one top-level `authentication` parameter, n8n's usual
 * pattern, that each credential is shown for. The System API takes `makiniSystemApi`,
 * everything else a connection's `makiniApi`.
 *
 * It carries no display conditions on purpose: n8n's editor hides every parameter named
 * in the display conditions of a parameter the credentials depend on, so a per-operation
 * `authentication` hid System, Resource and Operation in the node's panel.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { credentialsByAuthentication } from '../../shared/descriptions/credentials';
import { AUTHENTICATION_VALUE } from '../../shared/registry/kinds';

export function authenticationProperty(): INodeProperties {
	const apiToken = AUTHENTICATION_VALUE.makiniApi;
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'API Token (One Connection)',
				value: AUTHENTICATION_VALUE.makiniApi,
				description: "A connection's Makini API token: records, connection status, passthrough, raw data",
			},
			{
				name: 'Makini Link OAuth2 (One Connection)',
				value: AUTHENTICATION_VALUE.makiniLinkOAuth2Api,
				description: 'A connection authorized through Makini Link: n8n refreshes its token before it would expire',
			},
			{
				name: 'System API (All Connections)',
				value: AUTHENTICATION_VALUE.makiniSystemApi,
				description: 'Your Makini client: act on any connection (choose it in Connection), list, create and delete connections, metadata, tokens, platforms',
			},
		],
		default: apiToken,
	};
}

export const credentials: INodeCredentialDescription[] = credentialsByAuthentication(true);
