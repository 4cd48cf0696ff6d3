/**
 * The reliability suite (`npm run test:reliability`): adversarial webhooks, injected
 * faults, secret scans and bad parameters, in process and inside a real n8n. The unit
 * suite's setup, but only test/reliability, two files at a time and long timeouts.
 * @type {import('jest').Config}
 */
// The unit project's setup, without its answer-shape pin: SANDBOX_ANSWER_SHAPE=spec runs
// this suite against the sandbox answering in the OpenAPI files' literal schemas.
const { projects, ...global } = require('./jest.config');
const { displayName: _name, setupFiles: _shape, ...unit } = projects[0];
const base = { ...global, ...unit };

module.exports = {
	...base,
	roots: ['<rootDir>/test/reliability'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime', '<rootDir>/e2e/runtime-v1', '<rootDir>/.n8n-runtime'],
	testTimeout: 15 * 60 * 1000,
	// Two files at a time: each n8n case starts its own n8n on free ports, and the in-process
	// cases wait on real timeouts (347 s instead of about 14 minutes one at a time).
	maxWorkers: 2,
};
