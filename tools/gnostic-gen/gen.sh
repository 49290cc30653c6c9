#!/usr/bin/env bash
# Regenerates packages/k8s-openapi/generated/gnostic-openapiv2.json, the protobufjs
# descriptor of gnostic's openapi.v2 messages (the protobuf form of /openapi/v2).
# OpenAPIv2.proto is read from the Go module cache (fetched through the Go module
# proxy); it is never copied into the repository.
#
# Needs: go, node, and `npm install` done at the repository root (protobufjs).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/packages/k8s-openapi/generated/gnostic-openapiv2.json"
# The version k8s.io/client-go v0.32 requires.
GNOSTIC_VERSION="${GNOSTIC_VERSION:-v0.6.8}"

dir="$(cd "$here" && go mod download -json "github.com/google/gnostic-models@$GNOSTIC_VERSION" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})')"

node "$here/build-descriptor.mjs" "$dir/openapiv2/OpenAPIv2.proto" "$out"
