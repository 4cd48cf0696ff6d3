/** What a list operation offers beyond paging: Get by Keys, Updated Since, and its default Limit. */
import { findOperation, recordFields } from './index';
import type { ContractOperation } from './types';

/** One page at Makini's usual page size. */
export const DEFAULT_LIMIT = 50;

/** Get Many of an entity that also documents Get: can fetch given keys instead of a list. */
export function supportsKeys(op: ContractOperation): boolean {
	return op.operation === 'getMany' && op.system !== 'platform' && Boolean(findOperation(op.system, op.resource, 'get'));
}

/** Incremental reads filter on the records' `updatedAt`, so the list must document it and filtering. */
export function supportsUpdatedSince(op: ContractOperation): boolean {
	return op.system !== 'platform' && Boolean(op.filterable) && recordFields(op).some((f) => f.name === 'updatedAt');
}
