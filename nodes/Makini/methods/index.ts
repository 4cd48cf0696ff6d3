import { keySearches, searchRecords, searchStatuses } from './listSearch';

export * as loadOptions from './loadOptions';

export const listSearch = { searchRecords, searchStatuses, ...keySearches };
