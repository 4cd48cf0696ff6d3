#!/usr/bin/env bash
# `npm run screenshots`: docs/screenshots/*.png from the real n8n editor, in Debian's
# chromium (apt-get install chromium) driven by playwright-core from e2e/screenshots
# (its own lockfile; no browser download). Starts the sandbox and n8n itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "screenshots: no chromium at $CHROMIUM (Debian: apt-get install -y chromium; or set CHROMIUM=/path)" >&2; exit 1; }
DIR=e2e/screenshots
if [ ! -f "$DIR/node_modules/.package-lock.json" ] || [ "$DIR/package-lock.json" -nt "$DIR/node_modules/.package-lock.json" ]; then
	(cd "$DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
[ -f node_modules/.package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error
bash scripts/n8n-runtime.sh install
CHROMIUM="$CHROMIUM" node_modules/.bin/tsx "$DIR/capture.ts"
# The node panel searched as a builder would (panel-*.png), and what each search listed.
CHROMIUM="$CHROMIUM" node_modules/.bin/tsx "$DIR/panel.ts"
