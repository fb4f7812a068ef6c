#!/usr/bin/env bash
# Install what the Finnish edition's search needs, only if it is missing: Debian's libvoikko1 (the library the
# PyPI binding libvoikko loads) and voikko-fi (its Finnish dictionary). See sotebook/site/finnish_search.py.
# Idempotent and non-interactive; safe to run on every `make book` and `make test`.
set -euo pipefail

installed=$(dpkg-query -W -f='${Status}\n' libvoikko1 voikko-fi 2>/dev/null | grep -c "install ok installed" || true)
[ "$installed" -eq 2 ] && exit 0
echo "install_search_deps: installing libvoikko1 and voikko-fi from Debian" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq </dev/null
$sudo apt-get install -y -qq --no-install-recommends libvoikko1 voikko-fi </dev/null
