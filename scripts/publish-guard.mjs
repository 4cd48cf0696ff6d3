#!/usr/bin/env node
// prepublishOnly: the package is published only by .github/workflows/publish.yml, from
// GitHub Actions with npm provenance (what n8n's verification requires). A plain
// `npm publish` elsewhere is refused here; and since this repository's .npmrc skips
// lifecycle scripts, package.json's publishConfig.provenance refuses it as well (npm
// cannot make a provenance statement outside a supported CI).
const inGitHubActions = process.env.GITHUB_ACTIONS === 'true';
const withProvenance = process.env.npm_config_provenance === 'true';
if (!inGitHubActions || !withProvenance) {
	console.error(
		'n8n-nodes-makini is published only by the GitHub Actions workflow .github/workflows/publish.yml, ' +
			'with npm provenance: push a version tag instead of running npm publish.',
	);
	process.exit(1);
}
