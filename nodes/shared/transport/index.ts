export * from './errors';
export * from './paging';
export * from './path';
export * from './query';
export * from './redact';
export * from './request';
export * from './retry';
export * from './connectionScope';
