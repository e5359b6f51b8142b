#!/usr/bin/env bash
# The README's test command: every jest suite (unit, workflow on the time-skipping server, API,
# end-to-end in Debian Chromium) on a fresh clone, with nothing else to do first.
set -euo pipefail
cd "$(dirname "$0")/.."
# Toolchains the suites use, each cached outside the clone after its first run; on a cold machine the
# Temporal CLI build (Go) runs beside the npm install.
bash scripts/temporal-cli.sh >/dev/null &
temporal_build=$!
bash scripts/install.sh
bash scripts/test-server.sh >/dev/null
bash scripts/chromium.sh >/dev/null
wait "$temporal_build" || { echo "skillflow: the Temporal CLI could not be built (see above)" >&2; exit 1; }
npm run -s typecheck
# The end-to-end suites run the compiled processes and the built web UI, as `npm start` does.
bash scripts/build.sh
mkdir -p test-results
exec npx jest --json --outputFile=test-results/jest.json "$@"
