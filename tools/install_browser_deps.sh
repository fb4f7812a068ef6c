#!/usr/bin/env bash
# Install what tests/browser needs, only if it is missing: Debian's chromium (driven by
# Playwright through executable_path; never `playwright install`, which downloads a browser)
# and axe-core and Lighthouse from npm at the versions pinned in package-lock.json (Lighthouse 12: 13 wants
# Node 22; it drives the same Debian chromium through CHROME_PATH).
# Idempotent and non-interactive; safe to run on every `make test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

# A browser path given in CHROMIUM_PATH is checked first and never "fixed" by installing Debian's chromium
# (which would land at /usr/bin/chromium, not there); a browser that runs is never reinstalled.
if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ ! -f "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
    echo "install_browser_deps: CHROMIUM_PATH=$CHROMIUM is not an executable file: correct it, or unset it" \
         "to use Debian's chromium at /usr/bin/chromium (nothing was installed)" >&2
    exit 1
  fi
  if ! "$CHROMIUM" --version >/dev/null 2>&1; then
    echo "install_browser_deps: CHROMIUM_PATH=$CHROMIUM does not run ('$CHROMIUM --version' failed): correct it," \
         "or unset it to use Debian's chromium at /usr/bin/chromium (nothing was installed)" >&2
    exit 1
  fi
fi
packages=()
"$CHROMIUM" --version >/dev/null 2>&1 || packages+=(chromium)
# fonts-liberation: Liberation Sans is metric-compatible with Arial, the charts' font, so text
# is measured and drawn the same on every machine.
fc-list 2>/dev/null | grep -qiE 'Liberation ?Sans|Arial' || packages+=(fonts-liberation fontconfig)
if [ ${#packages[@]} -gt 0 ]; then
  echo "install_browser_deps: installing ${packages[*]} from Debian" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null
fi
"$CHROMIUM" --version >/dev/null 2>/dev/null || { echo "install_browser_deps: $CHROMIUM does not run" >&2; exit 1; }

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/lighthouse/cli/index.js ]; then
  command -v npm >/dev/null 2>&1 || { echo "install_browser_deps: npm is missing (apt-get install npm)" >&2; exit 1; }
  echo "install_browser_deps: installing axe-core and lighthouse (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error </dev/null
fi
