/**
 * The Connection parameter: with the Makini System API credential, an operation that runs
 * on one connection (records, connection status, passthrough, raw data) names the
 * connection, and the transport obtains its token through the System API. This module
 * reads the parameter and says which credential and connection a request uses.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IGetNodeParameterOptions, INode, NodeParameterValueType } from 'n8n-workflow';

import { AUTHENTICATION_VALUE, credentialTypeOf } from './registry/kinds';
import type { ContractOperation, MakiniCredentialType } from './registry/types';
import type { ConnectionRef } from './transport/connectionToken';

export const CONNECTION_PARAMETER = 'connection';

/** Operations that act on one connection: every one that is not part of the System API itself. */
export function runsOnConnection(op: Pick<ContractOperation, 'path'>): boolean {
	return credentialTypeOf(op) === 'makiniApi';
}

/** What a request needs to know about authentication: the credential type, and the connection with the System API. */
export interface RequestAuth {
	credentialType: MakiniCredentialType;
	connection?: ConnectionRef;
}

/** The node's Connection value, whichever form it has: a resource locator, an ID, or a connection record from an expression. */
export function connectionFromValue(node: INode, value: unknown, itemIndex?: number): ConnectionRef {
	let id: unknown = value;
	let name: unknown;
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const object = value as IDataObject;
		if ('__rl' in object || 'mode' in object) {
			id = object.value;
			name = object.cachedResultName;
		} else {
			// A connection record (Connection → Get Many) passed whole by an expression.
			id = object.key ?? object.id;
			name = object.name;
		}
		if (id !== null && typeof id === 'object') return connectionFromValue(node, id, itemIndex);
	}
	const text = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
	if (!text) {
		throw new NodeOperationError(node, 'The parameter "Connection" is empty', {
			itemIndex,
			description:
				'With the Makini System API credential, choose the connection to act on: from the list, by its ID, or by an expression such as {{ $json.key }} after Connection → Get Many.',
		});
	}
	if (text === '.' || text === '..' || /[\p{Cc}/?#]/u.test(text)) {
		throw new NodeOperationError(node, `The parameter "Connection" is not a connection ID: "${text.replace(/[^\x20-\x7e]/g, '?')}"`, {
			itemIndex,
			description: 'A connection ID is the `key` (or `id`) field of a connection as Connection → Get Many lists it.',
		});
	}
	return typeof name === 'string' && name.trim() ? { id: text, name: name.trim() } : { id: text };
}

interface ParameterReader {
	getNode(): INode;
	getNodeParameter(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): NodeParameterValueType | object;
}

/** The credential and connection an item's request uses. */
export function requestAuth(ctx: ParameterReader, op: ContractOperation, itemIndex: number): RequestAuth {
	const credentialType = credentialTypeOf(op);
	if (credentialType === 'makiniSystemApi') return { credentialType };
	const chosen = ctx.getNodeParameter('authentication', itemIndex, AUTHENTICATION_VALUE.makiniApi);
	if (chosen === AUTHENTICATION_VALUE.makiniLinkOAuth2Api) return { credentialType: 'makiniLinkOAuth2Api' };
	if (chosen !== AUTHENTICATION_VALUE.makiniSystemApi) return { credentialType };
	const value = ctx.getNodeParameter(CONNECTION_PARAMETER, itemIndex, '', { extractValue: false });
	return { credentialType: 'makiniSystemApi', connection: connectionFromValue(ctx.getNode(), value, itemIndex) };
}

interface CurrentParameterReader {
	getNode(): INode;
	getCurrentNodeParameter(name: string, options?: IGetNodeParameterOptions): NodeParameterValueType | object | undefined;
}

/** The same while the editor loads options or searches a list: the node's current parameters. */
export function currentRequestAuth(ctx: CurrentParameterReader, op: ContractOperation): RequestAuth {
	const credentialType = credentialTypeOf(op);
	if (credentialType === 'makiniSystemApi') return { credentialType };
	const chosen = ctx.getCurrentNodeParameter('authentication');
	if (chosen === AUTHENTICATION_VALUE.makiniLinkOAuth2Api) return { credentialType: 'makiniLinkOAuth2Api' };
	if (chosen !== AUTHENTICATION_VALUE.makiniSystemApi) return { credentialType };
	const value = ctx.getCurrentNodeParameter(CONNECTION_PARAMETER, { extractValue: false });
	return { credentialType: 'makiniSystemApi', connection: connectionFromValue(ctx.getNode(), value) };
}
