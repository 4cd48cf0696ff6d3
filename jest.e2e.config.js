/**
 * The end-to-end suite: a real n8n (installed by scripts/n8n-runtime.sh) with this
 * package loaded as a community package. The unit suite's setup, but only test/e2e,
 * one file at a time (`--runInBand`) and minutes-long timeouts for n8n to start.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
	...base,
	roots: ['<rootDir>/test/e2e'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime', '<rootDir>/e2e/runtime-v1', '<rootDir>/.n8n-runtime'],
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
};
