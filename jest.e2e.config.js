/**
 * The end-to-end suite: a real n8n (installed by scripts/n8n-runtime.sh) with this
 * package loaded as a community package. The unit suite's setup, but only test/e2e,
 * two files at a time (each starts its own n8n on a free port, and most of a file's time
 * is spent waiting for polls and executions, so two share 2 cores: 304 s instead of 562 s)
 * and minutes-long timeouts for n8n to start.
 * @type {import('jest').Config}
 */
// The unit project's setup, without its answer-shape pin: SANDBOX_ANSWER_SHAPE=spec runs
// this suite against the sandbox answering in the OpenAPI files' literal schemas.
const { projects, ...global } = require('./jest.config');
const { displayName: _name, setupFiles: _shape, ...unit } = projects[0];
const base = { ...global, ...unit };

module.exports = {
	...base,
	roots: ['<rootDir>/test/e2e'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime', '<rootDir>/e2e/runtime-v1', '<rootDir>/.n8n-runtime'],
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 2,
};
