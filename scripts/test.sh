#!/usr/bin/env bash
# The whole test suite: static checks, the catalogue check, then every test on SQLite and again on
# a PostgreSQL started for the run. Called by `make test` after the set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "== ruff"
"$bin/ruff" check .
"$bin/ruff" format --check .
echo "== mypy"
"$bin/mypy" lokalkompas tests
echo "== supply chain"
# bandit on our code; pip-audit on the pinned packages, which prints why and goes on when the vulnerability
# data cannot be reached (scripts/supply_chain.py, supply-chain.toml, docs/decisions/0015).
"$bin/python" scripts/supply_chain.py bandit
"$bin/python" scripts/supply_chain.py audit
echo "== catalogue"
"$bin/lokalkompas" catalog check
# -n auto: one pytest worker per core (pytest-xdist), each with its own test database. --dist loadfile
# keeps a module's tests on one worker, so a module-scoped fixture (the demo data set, the catalogue) is
# loaded once per module rather than once per worker that runs one of its tests. Not for the tests marked
# `once`: schemathesis gives all its items one node id, and loadfile keys work by node id, so only one
# operation of each schemathesis test would run (4 of tests/api/test_schema.py's 21 items ran); the
# PostgreSQL pass runs them in a second session with xdist's default distribution.
# --durations: the slowest tests in the log, for whoever next makes the run faster.
# The browser tests exercise pages, not the database engine, and take a third of the run: once (on
# SQLite) is enough. Tests marked `once` (PDF and Word rendering, schemathesis, backup to PostgreSQL, the
# production server in subprocesses) run in the PostgreSQL pass only. Every other test runs on both.
echo "== pytest on SQLite"
"$bin/pytest" -q -n auto --dist loadfile --durations=25 -m "not once" "$@"
echo "== pytest on PostgreSQL"
# One server for both sessions: every test but the browser tests, the `once` ones in the second.
scripts/with-postgres.sh bash -c '"$0" -q -n auto --dist loadfile --durations=25 -m "not e2e and not once" "$@" \
  && "$0" -q -n auto --durations=10 -m "once and not e2e" "$@"' "$bin/pytest" "$@"
