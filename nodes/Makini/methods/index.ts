import { searchConnections, searchRecords, sharedSearches } from './listSearch';

export * as loadOptions from './loadOptions';

export const listSearch = { searchConnections, searchRecords, ...sharedSearches };
