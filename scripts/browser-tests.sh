#!/usr/bin/env bash
# `npm run test:browser`: the builder's jobs done through the n8n editor only, in Debian's
# chromium driven by playwright-core (e2e/screenshots' lockfile, no browser download),
# against a real n8n 2.x with this package and the Makini sandbox (test/browser).
# Installs what is missing: chromium (apt-get, as root), playwright-core, the dev tools,
# n8n. Screenshots of each step go to docs/screenshots.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		printf 'browser: installing Debian'"'"'s chromium (apt-get install chromium)\n' >&2
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
	fi
	[ -x "$CHROMIUM" ] || { echo "browser: no chromium at $CHROMIUM (Debian: apt-get install -y chromium; or set CHROMIUM=/path)" >&2; exit 1; }
fi
DIR=e2e/screenshots
if [ ! -f "$DIR/node_modules/.package-lock.json" ] || [ "$DIR/package-lock.json" -nt "$DIR/node_modules/.package-lock.json" ]; then
	(cd "$DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
bash scripts/dev-tools.sh
bash scripts/n8n-runtime.sh install
CHROMIUM="$CHROMIUM" exec node_modules/.bin/jest -c jest.browser.config.js --runInBand "$@"
