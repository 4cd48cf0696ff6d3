#!/usr/bin/env bash
# Installs the dev tools (npm ci) when they are missing or older than the lockfile, so
# `npm test` works on a fresh clone as the README says; the demo (scripts/demo.sh) does
# the same.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	printf 'installing the dev tools (npm ci)\n' >&2
	npm ci --no-audit --no-fund --loglevel=error >&2
fi
