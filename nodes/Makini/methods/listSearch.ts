/**
 * Resource locators' "From List": the record of the operation (Get, Update...) here; the
 * searches the trigger shares (key fields' records, statuses) are nodes/shared/listSearch,
 * authenticated with the node's Connection.
 */
import { currentRequestAuth } from '../../shared/connection';
import { listSearches, searchList, type ListSearch } from '../../shared/listSearch';
import { currentOperation } from '../../shared/currentOperation';

export { searchConnections } from '../../shared/connectionSearch';

/** The record of the current operation (Get, Update, Update Status...). */
export const searchRecords: ListSearch = async function (filter, paginationToken) {
	return await searchList(this, currentOperation(this, 'getMany'), currentRequestAuth, filter, paginationToken);
};

/** Statuses by key and by name, and one search per resource any system lists. */
export const sharedSearches = listSearches(currentRequestAuth);
