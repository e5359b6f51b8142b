#!/usr/bin/env bash
# The README's test command: every jest suite (unit, workflow on the time-skipping server, API,
# end-to-end in Debian Chromium) on a fresh clone, with nothing else to do first.
set -euo pipefail
cd "$(dirname "$0")/.."
# Toolchains the suites use, each cached outside the clone after its first run; on a cold machine the
# Temporal CLI and server builds (Go) run beside the npm install.
bash scripts/temporal-cli.sh >/dev/null &
temporal_build=$!
# The production Temporal server for tests/cluster (npm run start:cluster), built the same way.
bash scripts/cluster.sh >/dev/null &
server_build=$!
bash scripts/install.sh
bash scripts/test-server.sh >/dev/null
bash scripts/chromium.sh >/dev/null
wait "$temporal_build" || { echo "skillflow: the Temporal CLI could not be built (see above)" >&2; exit 1; }
wait "$server_build" || { echo "skillflow: the Temporal server could not be built (see above)" >&2; exit 1; }
npm run -s typecheck
# The end-to-end suites run the compiled processes and the built web UI, as `npm start` does.
bash scripts/build.sh
mkdir -p test-results
# The PostgreSQL profile: the API and workflow suites run a second time, each on a database of its own on a
# throw-away PostgreSQL server (jest.config.js, project "postgresql"). SKILLFLOW_PG=0 leaves it out.
if [ "${SKILLFLOW_PG:-1}" != 0 ]; then
  pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/skillflow-pg.XXXXXX")"
  trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
  SKILLFLOW_PG_SERVER="$(bash scripts/postgres.sh start "$pg_dir")"
  export SKILLFLOW_PG_SERVER
fi
status=0
npx jest --json --outputFile=test-results/jest.json "$@" || status=$?
# The crash harness's short forms (tests/chaos, issue 14): 3 classes each, on `npm start`'s stack and on
# `npm run start:cluster`'s cluster, one after the other once the other suites are done — they SIGKILL processes
# and time their moments by the marks of activities in flight, so they run on an otherwise idle machine. Their
# tests join the main report (the summary counts them). SKILLFLOW_CHAOS=0, or naming suites, leaves them out.
# Finance's day on the demo's compressed clock (tests/e2e/finance.test.ts, jest.config.js) runs alone too, first:
# its seeding meets moments that last seconds. Its tests join the main report as the harness's do.
more_reports=()
if [ $# -eq 0 ]; then
  node scripts/reap.mjs || true
  rm -f test-results/jest-finance.json
  SKILLFLOW_SOLO=1 npx jest --selectProjects sqlite --testPathPatterns tests/e2e/finance \
    --json --outputFile=test-results/jest-finance.json || status=$?
  more_reports+=(test-results/jest-finance.json)
fi
if [ "${SKILLFLOW_CHAOS:-1}" != 0 ] && [ $# -eq 0 ]; then
  # A suite whose jest worker was force-exited can leave its stack or browser running; it would share the two
  # cores with the harness (scripts/reap.mjs says what it stops).
  node scripts/reap.mjs || true
  for target in stack cluster; do
    rm -f "test-results/jest-chaos-$target.json"
    CHAOS_CLASSES=3 CHAOS_TARGET="$target" npx jest --selectProjects sqlite --testPathPatterns tests/chaos \
      --json --outputFile="test-results/jest-chaos-$target.json" || status=$?
  done
  more_reports+=(test-results/jest-chaos-stack.json test-results/jest-chaos-cluster.json)
fi
if [ ${#more_reports[@]} -gt 0 ]; then
  node scripts/merge-jest.mjs test-results/jest.json "${more_reports[@]}"
fi
exit "$status"
