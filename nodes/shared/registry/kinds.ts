/** What kind of action an operation is, and which credential it needs: both from the registry. */
import type { ContractOperation, MakiniCredentialType } from './types';

export type ActionKind =
	| 'create'
	| 'get'
	| 'getMany'
	| 'update'
	| 'updateStatus'
	| 'subresource'
	| 'connection'
	| 'passthrough'
	| 'rawData';

export function actionKind(op: ContractOperation): ActionKind {
	if (op.system === 'platform') {
		if (op.resource === 'passthrough') return 'passthrough';
		if (op.resource === 'rawData') return 'rawData';
		return 'connection';
	}
	switch (op.operation) {
		case 'create':
		case 'get':
		case 'update':
		case 'updateStatus':
		case 'getMany':
			return op.operation;
		case 'getStatuses':
		case 'getManyCustomFields':
			// Lookup lists read exactly like Get Many.
			return 'getMany';
		default:
			return 'subresource';
	}
}

/** The System API (`/api/system/...`) takes a client-credentials token; the rest a connection token. */
export function credentialTypeOf(op: Pick<ContractOperation, 'path'>): MakiniCredentialType {
	return op.path.startsWith('/api/system/') ? 'makiniSystemApi' : 'makiniApi';
}

/**
 * Whether an operation runs with the chosen Authentication: the System API's own
 * operations need the System API client; every other operation runs on one connection,
 * with that connection's API token or with the System API client and a Connection
 * parameter (the node obtains the connection's token).
 */
export function acceptsAuthentication(op: Pick<ContractOperation, 'path'>, authentication: string): boolean {
	const needed = credentialTypeOf(op);
	if (authentication === AUTHENTICATION_VALUE[needed]) return true;
	return needed === 'makiniApi' && (authentication === AUTHENTICATION_VALUE.makiniSystemApi || authentication === AUTHENTICATION_VALUE.makiniLinkOAuth2Api);
}

/** Values of the nodes' Authentication parameter, one per credential type. */
export const AUTHENTICATION_VALUE: Record<MakiniCredentialType, string> = {
	makiniApi: 'apiToken',
	makiniSystemApi: 'systemApi',
	/** A connection through Makini Link's OAuth2 flow: n8n refreshes its token. */
	makiniLinkOAuth2Api: 'linkOAuth2',
};
