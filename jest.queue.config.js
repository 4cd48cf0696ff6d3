/**
 * The queue-mode suite: n8n 2.x in queue mode (scripts/queue-mode.sh: Postgres, Redis,
 * main + 2 webhook processes + 2 workers, nginx). Only test/queue, one file at a time,
 * minutes-long timeouts.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
	...base,
	roots: ['<rootDir>/test/queue'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime', '<rootDir>/e2e/runtime-v1', '<rootDir>/.n8n-runtime'],
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
};
