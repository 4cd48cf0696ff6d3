import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Lint rules for the code that runs under Node itself, never inside n8n: tests, the
// sandbox, the e2e suite, benchmarks and scripts. They start servers and processes and
// print progress, so n8n's community-node rules (no `process`, timers, `node:` imports or
// console) do not apply. Each of those folders has an eslint.config.mjs re-exporting this,
// which ESLint uses for the files under it (config lookup from the linted file, on by
// default from ESLint 10, enabled by `npm run lint`); the package's own code (nodes/,
// credentials/, package.json) keeps n8n's unmodified config at the top level.
export default tseslint.config({
	files: ['**/*.ts'],
	extends: [js.configs.recommended, tseslint.configs.recommended],
	rules: {
		'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
	},
});
