#!/usr/bin/env bash
# Fails when `go generate ./...` changes or adds a file: generated code is
# committed and must match the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(git status --porcelain --untracked-files=all)
go generate ./...
after=$(git status --porcelain --untracked-files=all)
if [ "$before" != "$after" ]; then
  echo "go generate ./... changed files; run 'make generate' and commit the result:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  git --no-pager diff --stat >&2
  exit 1
fi
echo "generated code is up to date"
