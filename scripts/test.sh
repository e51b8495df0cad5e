#!/usr/bin/env bash
# Set up (if needed) and run every check: lint, format, types, architecture
# contracts and the whole test suite, including the tests against the real
# Vosk model, a real PulseAudio server and a real PostgreSQL server. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

export QT_QPA_PLATFORM=offscreen
# Tests that need a real component fail (instead of skipping) when it is missing.
export AGENT_ASSIST_REQUIRE_REAL=1
# Keep test runs away from the user's own data and models.
AGENT_ASSIST_DATA_DIR="$(mktemp -d)"
export AGENT_ASSIST_DATA_DIR
# The store tests run on SQLite and on a real PostgreSQL server (started here if none runs).
PG_DIR="$(mktemp -d)"
trap 'scripts/test-postgres.sh stop "$PG_DIR"; rm -rf "$AGENT_ASSIST_DATA_DIR" "$PG_DIR"' EXIT
AGENT_ASSIST_TEST_PG_URL="$(scripts/test-postgres.sh start "$PG_DIR")"
export AGENT_ASSIST_TEST_PG_URL

bin=.venv/bin
echo "--- ruff"; $bin/ruff check agent_assist tests scripts
$bin/ruff format --check agent_assist tests scripts
echo "--- mypy"; $bin/mypy
echo "--- import contracts"; $bin/lint-imports
echo "--- pytest"; $bin/pytest -p no:cacheprovider "$@"
