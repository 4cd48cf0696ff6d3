/**
 * The queue-mode suite: n8n 2.x in queue mode (scripts/queue-mode.sh: Postgres, Redis,
 * main + 2 webhook processes + 2 workers, nginx). Only test/queue, one file at a time,
 * minutes-long timeouts.
 * @type {import('jest').Config}
 */
// The unit project's transform, without the unit projects themselves (which ignore test/queue).
const { projects, ...global } = require('./jest.config');
const { displayName: _name, setupFiles: _shape, ...unit } = projects[0];

module.exports = {
	...global,
	...unit,
	roots: ['<rootDir>/test/queue'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime', '<rootDir>/e2e/runtime-v1', '<rootDir>/.n8n-runtime'],
	testTimeout: 20 * 60 * 1000,
	maxWorkers: 1,
};
