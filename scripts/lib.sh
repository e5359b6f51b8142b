#!/usr/bin/env bash
# Shared helpers for SkillFlow's toolchain scripts. Source it; do not run it.
SKILLFLOW_CACHE="${SKILLFLOW_CACHE:-$HOME/.cache/skillflow}"
mkdir -p "$SKILLFLOW_CACHE/bin"

die() { echo "skillflow: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$2"; }
