#!/usr/bin/env bash
# Prints the path of a Temporal CLI (dev server included), building it once if needed.
# Order: $TEMPORAL_CLI, `temporal` on PATH, the cached build, a fresh build from the Go module.
# v1.5.1 is the newest tag whose go.mod has no replace directives, so `go install pkg@version` accepts it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
bin="$SKILLFLOW_CACHE/bin/temporal"
if [ ! -x "$bin" ]; then
  need go "Go is missing: install Go 1.22 or newer (https://go.dev/dl) to build the Temporal dev server, or set TEMPORAL_CLI to an existing temporal binary."
  echo "skillflow: building the Temporal CLI from its Go module (first run only, about 6 minutes)..." >&2
  GOBIN="$SKILLFLOW_CACHE/bin.tmp" GOFLAGS=-mod=mod go install -ldflags="-s -w" github.com/temporalio/cli/cmd/temporal@v1.5.1 >&2
  mv "$SKILLFLOW_CACHE/bin.tmp/temporal" "$bin"
  rmdir "$SKILLFLOW_CACHE/bin.tmp" 2>/dev/null || true
fi
echo "$bin"
