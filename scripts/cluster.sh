#!/usr/bin/env bash
# Prints the paths `npm run start:cluster` needs, building the production Temporal server once if needed:
#   server=<path of the Temporal server binary>
#   sql=<path of its schema tool>
#   module=<the server's Go module folder: schema/postgresql/v12/..., config/dynamicconfig/...>
# Order: $TEMPORAL_SERVER + $TEMPORAL_SQL_TOOL when both are set, the cached build, a fresh build from the Go
# module (go.temporal.io/server@v1.29.1: the server the dev server of temporal-cli.sh embeds; its go.mod has no
# replace directives, so `go install pkg@version` accepts it). Both binaries are built by one `go install`
# (about 5 minutes cold on 2 cores) and kept in $SKILLFLOW_CACHE/bin as temporal-server and temporal-sql-tool.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
version=v1.29.1
need go "Go is missing: install Go 1.23 or newer (https://go.dev/dl) to build the Temporal server, which also needs its module's schema files."
server="$SKILLFLOW_CACHE/bin/temporal-server"
sql="$SKILLFLOW_CACHE/bin/temporal-sql-tool"
if [ -n "${TEMPORAL_SERVER:-}" ] && [ -x "$TEMPORAL_SERVER" ] && [ -n "${TEMPORAL_SQL_TOOL:-}" ] && [ -x "$TEMPORAL_SQL_TOOL" ]; then
  server="$TEMPORAL_SERVER"
  sql="$TEMPORAL_SQL_TOOL"
elif [ ! -x "$server" ] || [ ! -x "$sql" ]; then
  echo "skillflow: building the Temporal server $version from its Go module (first run only, about 5 minutes)..." >&2
  tmp="$SKILLFLOW_CACHE/bin.cluster.tmp"
  rm -rf "$tmp"
  GOBIN="$tmp" GOFLAGS=-mod=mod go install -ldflags="-s -w" \
    "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version" >&2
  mv "$tmp/server" "$server"
  mv "$tmp/sql" "$sql"
  rmdir "$tmp" 2>/dev/null || true
fi
# The schema and the sample configuration come from the module's source, which `go install` leaves in the
# module cache; `go mod download` brings it back when the cache was cleaned but the binaries are still here.
module="$(go env GOMODCACHE)/go.temporal.io/server@$version"
if [ ! -d "$module/schema/postgresql/v12" ]; then
  module="$(cd "${TMPDIR:-/tmp}" && go mod download -json "go.temporal.io/server@$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$module/schema/postgresql/v12" ] || die "the Temporal server module has no schema/postgresql/v12 (looked in $module)"
fi
echo "server=$server"
echo "sql=$sql"
echo "module=$module"
