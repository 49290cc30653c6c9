#!/usr/bin/env bash
# Go-side check of the TypeScript encoder: encodes every fixture JSON with
# @splitplane/k8s-protobuf and has Go's protobuf serializer decode the bytes
# back, comparing with Go's decode of its own fixture bytes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$repo" && npx tsc -b packages/k8s-protobuf)
node "$here/check/encode-fixtures.mjs" "$repo/packages/k8s-protobuf/test-fixtures" "$work"
cd "$here" && go run ./fixtures check "$work"
