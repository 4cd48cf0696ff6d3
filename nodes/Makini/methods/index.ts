import { keySearches, searchConnections, searchRecords, searchStatusNames, searchStatuses } from './listSearch';

export * as loadOptions from './loadOptions';

export const listSearch = { searchConnections, searchRecords, searchStatuses, searchStatusNames, ...keySearches };
