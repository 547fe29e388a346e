#!/usr/bin/env bash
# The README's test command (make test): lint, then all tests with -race.
# When Java and Maven exist it starts a real Neo4j 5.26 (scripts/neo4j.sh)
# for the Neo4j backend's tests and stops it afterwards. With CI=true a
# missing Neo4j is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

started_neo4j=""
cleanup() { if [ -n "$started_neo4j" ]; then bash scripts/neo4j.sh down || true; fi; }
trap cleanup EXIT

if [ -z "${STANCEGRAPH_NEO4J_URI:-}" ]; then
  if command -v java >/dev/null && command -v mvn >/dev/null && [ -f scripts/neo4j.sh ]; then
    if ! bash scripts/neo4j.sh status >/dev/null 2>&1; then
      bash scripts/neo4j.sh up
      started_neo4j=1
    fi
    export STANCEGRAPH_NEO4J_URI=bolt://127.0.0.1:${NEO4J_BOLT_PORT:-7687}
    # e2e's fault tests stop and start a second Neo4j of their own.
    export STANCEGRAPH_FAULT_NEO4J=1
  elif [ "${CI:-}" = "true" ]; then
    echo "CI=true but Java and Maven are missing: the Neo4j backend cannot be tested" >&2
    exit 1
  else
    echo "NOTE: Java/Maven not found: the Neo4j backend's tests will be skipped" >&2
  fi
fi

# The browser test (e2e TestBrowser_*) drives headless Chromium: install
# Debian's package when it is missing; under CI=true the test fails
# without it.
if ! command -v chromium >/dev/null && [ -z "${STANCEGRAPH_CHROMIUM:-}" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "== installing chromium for the browser test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "NOTE: could not install chromium" >&2
  fi
  if ! command -v chromium >/dev/null; then
    if [ "${CI:-}" = "true" ]; then
      echo "CI=true but chromium is missing: the browser test cannot run" >&2
      exit 1
    fi
    echo "NOTE: chromium not found: the browser test will be skipped" >&2
  fi
fi

echo "== lint"
make --no-print-directory lint
echo "== go test -race"
# The embedded store is killed with SIGKILL mid-write this many times.
export STANCEGRAPH_DURABILITY_ROUNDS="${STANCEGRAPH_DURABILITY_ROUNDS:-25}"
# e2e runs every backend end to end, a browser and fault drills: about 5
# minutes on a quiet 2-core machine, more under load, so past go test's
# default of 10.
go test -race -count=1 -timeout 30m ./...
echo "== fuzz (request decoding, ids)"
for target in FuzzDecodeBody FuzzDecodeQueryString FuzzNodeID; do
  go test -run '^$' -fuzz "^$target\$" -fuzztime "${FUZZTIME:-5s}" ./server
done
echo "== GraphQL-over-HTTP audit (graphql-http)"
bash scripts/audit.sh
