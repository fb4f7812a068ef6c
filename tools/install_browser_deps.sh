#!/usr/bin/env bash
# Install what tests/browser needs, only if it is missing: Debian's chromium (driven by
# Playwright through executable_path; never `playwright install`, which downloads a browser)
# and axe-core and Lighthouse from npm at the versions pinned in package-lock.json (Lighthouse 12: 13 wants
# Node 22; it drives the same Debian chromium through CHROME_PATH).
# Idempotent and non-interactive; safe to run on every `make test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

# fonts-liberation: Liberation Sans is metric-compatible with Arial, the charts' font, so text
# is measured and drawn the same on every machine.
if [ ! -x "$CHROMIUM" ] || ! fc-list 2>/dev/null | grep -qiE 'Liberation ?Sans|Arial'; then
  echo "install_browser_deps: installing chromium and fonts-liberation from Debian" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-liberation fontconfig </dev/null
fi
"$CHROMIUM" --version >/dev/null 2>/dev/null || { echo "install_browser_deps: $CHROMIUM does not run" >&2; exit 1; }

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/lighthouse/cli/index.js ]; then
  command -v npm >/dev/null 2>&1 || { echo "install_browser_deps: npm is missing (apt-get install npm)" >&2; exit 1; }
  echo "install_browser_deps: installing axe-core and lighthouse (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error </dev/null
fi
