import { keySearches, searchConnections, searchRecords, searchStatuses } from './listSearch';

export * as loadOptions from './loadOptions';

export const listSearch = { searchConnections, searchRecords, searchStatuses, ...keySearches };
