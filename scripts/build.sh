#!/usr/bin/env bash
# Builds the server (tsc → dist/) and the web UI (vite → web/dist/) when a source file is newer than the
# last build, so a warm start skips straight to running.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.build-stamp
sources=(domain workflows platform activities worker api prisma scripts bench web/src web/index.html web/vite.config.ts package-lock.json tsconfig.json tsconfig.build.json)
existing=()
for s in "${sources[@]}"; do [ -e "$s" ] && existing+=("$s"); done
if [ -f "$stamp" ] && [ -f web/dist/index.html ] && [ -z "$(find "${existing[@]}" -newer "$stamp" -type f -not -path 'prisma/generated/*' 2>/dev/null | head -1)" ]; then
  exit 0
fi
echo "skillflow: building..." >&2
npm run -s build >/dev/null
touch "$stamp"
