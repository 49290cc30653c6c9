#!/usr/bin/env bash
# Regenerates packages/k8s-protobuf/generated/{descriptor,go-json}.json from the
# Kubernetes Go modules (fetched through the Go module proxy into the module
# cache; nothing upstream is copied into the repository).
#
#   tools/k8s-protobuf-gen/gen.sh             descriptor + Go overlay
#   tools/k8s-protobuf-gen/gen.sh --fixtures  also rewrite the test fixtures
#
# Needs: go, node, and `npm install` done at the repository root (protobufjs).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/packages/k8s-protobuf/generated"
fixtures="$repo/packages/k8s-protobuf/test-fixtures"
K8S_VERSION="${K8S_VERSION:-v0.32.4}"

# Go module path -> import prefix used inside the .proto files.
modules=(k8s.io/api k8s.io/apimachinery k8s.io/apiextensions-apiserver k8s.io/kube-aggregator)

cd "$here"
mappings=()
for mod in "${modules[@]}"; do
  dir="$(go mod download -json "$mod@$K8S_VERSION" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})')"
  mappings+=("$mod=$dir")
done

mkdir -p "$out"
node "$here/descriptor/build-descriptor.mjs" "$out/descriptor.json" "${mappings[@]}"
go run ./overlay "$out/descriptor.json" >"$out/go-json.json.tmp"
mv "$out/go-json.json.tmp" "$out/go-json.json"
echo "wrote $out/descriptor.json ($(wc -c <"$out/descriptor.json") bytes), $out/go-json.json ($(wc -c <"$out/go-json.json") bytes)" >&2

if [[ "${1:-}" == "--fixtures" ]]; then
  rm -f "$fixtures"/*.pb "$fixtures"/*.json "$fixtures"/*.frame
  mkdir -p "$fixtures"
  go run ./fixtures write "$fixtures"
  # Keep the repository's formatting check happy; the tests parse, not compare text.
  "$repo/node_modules/.bin/prettier" --log-level warn --write "$fixtures"/*.json
  echo "wrote fixtures to $fixtures" >&2
fi
