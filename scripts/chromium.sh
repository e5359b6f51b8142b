#!/usr/bin/env bash
# Prints the path of Debian's Chromium, installing the package when it is missing.
# Never `npx playwright install`: this workplace reaches no browser download host.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; exit 0; fi
done
need apt-get "Chromium is missing: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH."
echo "skillflow: installing Debian's chromium for browser tests..." >&2
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >&2
echo /usr/bin/chromium
