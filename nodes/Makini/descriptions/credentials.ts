/**
 * Which credential an operation needs, in the description: a hidden `authentication`
 * parameter per operation (n8n's usual pattern) that each credential is shown for.
 * The System API takes `makiniSystemApi`, everything else a connection's `makiniApi`.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../registry';
import { credentialTypeOf, type CredentialType } from '../registry/kinds';
import { forOperation } from './scope';

export const AUTHENTICATION_VALUE: Record<CredentialType, string> = {
	makiniApi: 'apiToken',
	makiniSystemApi: 'systemApi',
};

const AUTHENTICATION: Record<CredentialType, INodeProperties> = {
	makiniApi: { displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'apiToken' },
	makiniSystemApi: { displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'systemApi' },
};

export function authenticationProperties(): INodeProperties[] {
	return OPERATIONS.map((op) => forOperation(op, AUTHENTICATION[credentialTypeOf(op)]));
}

export const credentials: INodeCredentialDescription[] = [
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
