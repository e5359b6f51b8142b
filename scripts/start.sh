#!/usr/bin/env bash
# The README's start command: installs what is missing, builds, and runs SkillFlow on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/temporal-cli.sh >/dev/null
echo "skillflow: building..." >&2
npm run -s build >/dev/null
exec node dist/scripts/start.js
