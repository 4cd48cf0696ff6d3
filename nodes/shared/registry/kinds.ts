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

/** Values of the nodes' Authentication parameter, one per credential type. */
export const AUTHENTICATION_VALUE: Record<MakiniCredentialType, string> = {
	makiniApi: 'apiToken',
	makiniSystemApi: 'systemApi',
};
