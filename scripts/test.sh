#!/usr/bin/env bash
# Runs every test file with node's test runner through tsx (Node 20 does not expand globs itself).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(test/*.test.ts test/**/*.test.ts)
exec node --import tsx --test --test-concurrency=1 "${files[@]}"
