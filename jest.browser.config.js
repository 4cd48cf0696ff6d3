/**
 * The browser suite (test/browser): the builder's jobs through the n8n editor in Debian's
 * chromium. The unit suite's setup, one file at a time, minutes-long timeouts (n8n starts,
 * the editor loads). Run by `npm run test:browser` (scripts/browser-tests.sh).
 * @type {import('jest').Config}
 */
const { projects, ...global } = require('./jest.config');
const { displayName: _name, setupFiles: _shape, ...unit } = projects[0];

module.exports = {
	...global,
	...unit,
	roots: ['<rootDir>/test/browser'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime', '<rootDir>/e2e/runtime-v1', '<rootDir>/.n8n-runtime'],
	testTimeout: 5 * 60 * 1000,
	maxWorkers: 1,
};
