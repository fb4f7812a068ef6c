#!/usr/bin/env bash
# Install what the PDF editions' layout (WeasyPrint, sotebook/site/pdf.py) loads, only if it is missing:
# Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0), which draws the text, and fonts-liberation, the
# book's Arial-metric font (the charts are measured with it too). Idempotent and non-interactive; safe to
# run on every `make pdf` and `make test`.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation)
installed=$(dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null | grep -c "install ok installed" || true)
[ "$installed" -eq "${#packages[@]}" ] && exit 0
echo "install_print_deps: installing ${packages[*]} from Debian" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq </dev/null
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null
