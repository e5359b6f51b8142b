#!/usr/bin/env bash
# The README's start command: installs what is missing, builds what changed, and runs SkillFlow here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/temporal-cli.sh >/dev/null
bash scripts/build.sh
exec node dist/scripts/start.js
