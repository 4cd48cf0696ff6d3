/**
 * Which records the trigger can watch, and how it tells what changed: every entity list
 * (Get Many) of the EAM, ERP and WMS APIs, read incrementally on `updatedAt` where the
 * contract documents it, on `createdAt` where only that exists, and by comparing
 * snapshots where the records carry no timestamp at all.
 */
import { OPERATIONS, recordFields, type ContractOperation, type MakiniSystem } from '../shared/registry';

/**
 * - `updatedAt`: new and updated records, read from a cursor on updatedAt.
 * - `createdAt`: the records document only createdAt: new records only.
 * - `snapshot`: no timestamp: the whole list is read and compared with the last poll.
 */
export type ChangeTracking = 'updatedAt' | 'createdAt' | 'snapshot';

export interface WatchedResource {
	system: MakiniSystem;
	resource: string;
	/** The Get Many operation that lists the records. */
	list: ContractOperation;
	tracking: ChangeTracking;
	/** The records document createdAt, which is how a new record is told from an updated one. */
	hasCreatedAt: boolean;
}

function watched(op: ContractOperation): WatchedResource {
	const fields = new Set(recordFields(op).map((field) => field.name));
	// A timestamp helps only if the list can filter and sort on it.
	const tracking: ChangeTracking = !op.filterable
		? 'snapshot'
		: fields.has('updatedAt')
			? 'updatedAt'
			: fields.has('createdAt')
				? 'createdAt'
				: 'snapshot';
	return { system: op.system, resource: op.resource, list: op, tracking, hasCreatedAt: fields.has('createdAt') };
}

/** Every entity list of the registry, in the registry's order. */
export const WATCHED_RESOURCES: readonly WatchedResource[] = OPERATIONS.filter(
	(op) => op.operation === 'getMany' && op.list && op.system !== 'platform',
).map(watched);

export const WATCHED_SYSTEMS: readonly MakiniSystem[] = [...new Set(WATCHED_RESOURCES.map((w) => w.system))];

export function watchedResource(system: string, resource: string): WatchedResource | undefined {
	return WATCHED_RESOURCES.find((w) => w.system === system && w.resource === resource);
}
