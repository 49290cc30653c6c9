#!/usr/bin/env bash
# Runs every compiled test file with node's test runner. Unit tests sit beside the code
# (packages/*/src, services/*/src); integration and e2e suites live in test/.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find packages services test -path '*/node_modules' -prune -o \
  -path '*/dist/*' -name '*.test.js' -print | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found (did the build run?)" >&2
  exit 1
fi
exec node --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout=600000 "${files[@]}"
