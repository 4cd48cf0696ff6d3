/** @type {import('jest').Config} */
const project = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', isolatedModules: true }],
	},
	// The end-to-end, reliability, queue-mode and browser suites have their own commands.
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/reliability/', '/test/queue/', '/test/browser/'],
};

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
	projects: [
		// Every test, against the sandbox answering in its own types.
		{ ...project, displayName: 'unit', setupFiles: ['<rootDir>/test/shapes/sandbox.setup.js'] },
		// The node's records, lists, get-by-keys and polling triggers again, against the sandbox
		// answering in the OpenAPI files' literal schemas (sandbox/README.md, "Answer shapes").
		{
			...project,
			displayName: 'spec shape',
			testMatch: [
				'<rootDir>/test/node/records.test.ts',
				'<rootDir>/test/node/lists.test.ts',
				'<rootDir>/test/polling/records.test.ts',
				'<rootDir>/test/polling/health.test.ts',
				'<rootDir>/test/shapes/shape.test.ts',
			],
			setupFiles: ['<rootDir>/test/shapes/spec.setup.js'],
			setupFilesAfterEnv: ['<rootDir>/test/shapes/spec.timeout.js'],
		},
	],
};
