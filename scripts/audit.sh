#!/usr/bin/env bash
# GraphQL-over-HTTP conformance: builds stancegraph, serves an in-memory
# store on a free loopback port, runs the graphql-http server audits
# (tools/audit) against /query, and stops the server. Fails on any audit
# error or warning.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -d tools/audit/node_modules/graphql-http ]; then
	(cd tools/audit && npm ci --no-audit --no-fund --loglevel=error)
fi
go build -o "$work/stancegraph" ./cmd/stancegraph

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18765)
STANCEGRAPH_WRITE_TOKEN=audit-token "$work/stancegraph" serve --memory --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
	if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$pid" 2>/dev/null; then echo "audit: the server exited:" >&2; cat "$work/server.log" >&2; exit 1; fi
	sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null

node tools/audit/audit.mjs "http://127.0.0.1:$port/query"
