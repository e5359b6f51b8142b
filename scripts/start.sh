#!/usr/bin/env bash
# The README's start command: installs what is missing, builds what changed, and runs SkillFlow here.
set -euo pipefail
cd "$(dirname "$0")/.."
# On a cold machine the Temporal CLI build (Go) and the npm install (native modules) overlap.
bash scripts/temporal-cli.sh >/dev/null &
temporal_build=$!
bash scripts/install.sh
wait "$temporal_build" || { echo "skillflow: the Temporal CLI could not be built (see above)" >&2; exit 1; }
bash scripts/build.sh
exec node dist/scripts/start.js
