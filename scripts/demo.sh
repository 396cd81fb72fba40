#!/usr/bin/env bash
# README command 1: set up, then run the main job on the embedded store.
# Arguments go to `wutong demo` (e.g. --no-serve, --people 5000, --seed 3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/wutong demo "$@"
