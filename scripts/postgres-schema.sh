#!/usr/bin/env bash
# Regenerates the PostgreSQL profile from the SQLite schema (one source of truth) and, given a scratch
# PostgreSQL database, its migration SQL:  DATABASE_URL=postgresql://… bash scripts/postgres-schema.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
sed -e 's/provider = "sqlite"/provider = "postgresql"/' \
    -e 's|^  engineType      = "client"|  engineType      = "client"\n  output          = "../../node_modules/.prisma/client-pg"|' \
    -e '1i // GENERATED from prisma/schema.prisma by scripts/postgres-schema.sh: edit that file, not this one.' \
    prisma/schema.prisma > prisma/postgres/schema.prisma
if [ -n "${1:-}" ]; then
  : "${DATABASE_URL:?set DATABASE_URL to a scratch PostgreSQL database}"
  dir="prisma/postgres/migrations/$(date -u +%Y%m%d%H%M%S)_$1"
  mkdir -p "$dir"
  npx prisma migrate diff --from-migrations prisma/postgres/migrations --to-schema-datamodel prisma/postgres/schema.prisma --shadow-database-url "$DATABASE_URL" --script > "$dir/migration.sql"
  echo "wrote $dir/migration.sql"
fi
