#!/bin/sh
# What the browser test needs, installed only where missing: Debian's
# Chromium (deps.sh), Node.js and npm (Debian's, when the machine has no
# node), and playwright-core from npm into tests/browser/node_modules, at
# the version package-lock.json pins. It never downloads a browser.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/scripts/deps.sh" chromium
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	sh "$top/scripts/deps.sh" nodejs npm
fi
cd "$top/tests/browser"
if [ ! -d node_modules/playwright-core ]; then
	echo "browser-deps: npm ci (playwright-core)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
