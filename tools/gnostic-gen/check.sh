#!/usr/bin/env bash
# Go-side check of the TypeScript encoder (encodeOpenApiV2Protobuf): gnostic-models
# decodes our protobuf bytes and compiles the same JSON document itself (as
# kube-apiserver does); the two Documents must be proto.Equal. Runs on the gateway's
# full /openapi/v2 document and on a synthetic one with YAML edge cases.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$repo" && npx tsc -b packages/k8s-openapi services/gateway)
# Run from the gateway workspace so its dependencies resolve.
(cd "$repo/services/gateway" && node "$here/check/write-documents.mjs" "$work")
cd "$here"
for name in gateway synthetic; do
  echo "$name:"
  go run ./check "$work/$name.json" "$work/$name.pb"
done
