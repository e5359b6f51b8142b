#!/usr/bin/env bash
# Installs what the project needs from the npm registry when it is missing or stale, then generates the
# Prisma client (engine-less: driver adapters, no binary download). Safe to run every time.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need node "Node.js is missing: install Node.js 20 or newer (Debian: apt-get install -y nodejs npm)."
need npm "npm is missing: install npm 10 or newer."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "skillflow: installing npm dependencies (first run compiles better-sqlite3, about 3 minutes)..." >&2
  # `npm install`, not `npm ci`: the registry reachable here does not carry other platforms' optional
  # binaries (e.g. @swc/core-darwin-arm64), so the lock file cannot list them and `npm ci` refuses it.
  npm install --no-audit --no-fund --loglevel=error >&2
fi
if [ ! -f node_modules/.prisma/client/index.js ] || [ prisma/schema.prisma -nt node_modules/.prisma/client/index.js ]; then
  DATABASE_URL="file:./data/skillflow.db" npx prisma generate >/dev/null
fi
# The PostgreSQL profile's client (same models; generating connects to nothing).
if [ ! -f node_modules/.prisma/client-pg/index.js ] || [ prisma/postgres/schema.prisma -nt node_modules/.prisma/client-pg/index.js ]; then
  DATABASE_URL="postgresql://localhost/unused" npx prisma generate >/dev/null
fi
