#!/usr/bin/env bash
# README command 2: set up, lint, type-check, start a throwaway Neo4j, run the whole suite.
# Arguments go to pytest (e.g. -k store, -m "not neo4j").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy

# The tests' Neo4j is disposable (the suite empties it): its own data dir and ports, so a
# developer's own local server on 7687/7474 is never touched.
# WUTONG_TEST_BOLT_PORT / WUTONG_TEST_HTTP_PORT move it, so two checkouts can test at once.
export WUTONG_DATA_DIR="$PWD/.wutong-test"
export WUTONG_NEO4J_BOLT_PORT="${WUTONG_TEST_BOLT_PORT:-17687}"
export WUTONG_NEO4J_HTTP_PORT="${WUTONG_TEST_HTTP_PORT:-17474}"
export WUTONG_TEST_NEO4J=disposable
unset WUTONG_NEO4J_URI WUTONG_NEO4J_PASSWORD WUTONG_STORE
trap '.venv/bin/wutong neo4j stop' EXIT
.venv/bin/wutong neo4j start
.venv/bin/pytest "$@"
