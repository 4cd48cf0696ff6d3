/** Which handler serves a documented operation. */
import type { ContractOperation } from '../../nodes/shared/registry';
import { collectionOf } from '../data/collections';
import * as entities from './entities';
import * as platform from './platform';
import * as sub from './subresources';
import * as system from './system';
import type { Handler } from './types';

const PLATFORM: Record<string, Handler> = {
	'rawData.getTables': platform.rawTables,
	'rawData.getTableData': platform.rawTableData,
	'connection.getStatus': platform.currentIntegration,
	'connection.disconnect': platform.disconnect,
	'platform.getMany': system.platforms,
	'client.get': system.client,
	'connection.getMany': system.connections,
	'connection.create': system.createConnection,
	'connection.delete': system.deleteConnection,
	'connection.getMetadata': system.metadata,
	'connection.setMetadata': system.setMetadata,
	'connection.issueToken': system.issueToken,
	'passthrough.call': platform.passthrough,
};

const BY_OPERATION: Record<string, Handler> = {
	getMany: entities.list,
	get: entities.get,
	create: entities.create,
	update: entities.update,
	updateStatus: entities.updateStatus,
	getMaterials: sub.materialItems,
	getChildren: sub.materialItems,
	getManyMaterials: sub.workOrderMaterials,
	addMaterial: sub.addWorkOrderMaterial,
	updateMaterial: sub.updateWorkOrderMaterial,
	updateInventory: sub.updateInventory,
	markDelivered: sub.markDelivered,
};

export function handlerFor(op: ContractOperation): Handler | undefined {
	if (op.system === 'platform') return PLATFORM[`${op.resource}.${op.operation}`];
	if (op.resource === 'document' && op.operation === 'create') return entities.createDocument;
	if (op.resource === 'workOrder' && op.operation === 'getMaterials') return sub.workOrderMaterials;
	if (op.operation === 'getStatuses' || op.operation === 'getManyCustomFields') return sub.lookupList(collectionOf(op)!);
	return BY_OPERATION[op.operation];
}

/** System API operations need a client-credentials token; the rest a connection token. */
export function needsSystemToken(op: ContractOperation): boolean {
	return op.path.startsWith('/api/system/');
}
