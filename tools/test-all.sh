#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL on 127.0.0.1, and runs every test.
# This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
pgdir=$(mktemp -d /tmp/eventscope-pg.XXXXXX)
port=$((20000 + RANDOM % 20000))
trap 'tools/test-postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
EVENTSCOPE_TEST_PG=$(tools/test-postgres.sh start "$pgdir" "$port")
export EVENTSCOPE_TEST_PG
# Message DB and Emmett, installed by their own packages into the same throwaway server (issue 7's tests).
tools/install-foreign-stores.sh "$EVENTSCOPE_TEST_PG"
EVENTSCOPE_TEST_MESSAGEDB="${EVENTSCOPE_TEST_PG%/*}/message_store"
EVENTSCOPE_TEST_EMMETT="${EVENTSCOPE_TEST_PG%/*}/emmett"
export EVENTSCOPE_TEST_MESSAGEDB EVENTSCOPE_TEST_EMMETT
export QT_QPA_PLATFORM=offscreen
ctest --preset dev --output-on-failure -j2
