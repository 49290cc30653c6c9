#!/usr/bin/env bash
# Regenerates packages/k8s-openapi/generated/definitions.json from the Go types
# of k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver (the
# versions pinned in go.mod). Two steps:
#   1. kube-openapi's openapi-gen turns the Go types and doc comments into Go
#      code (internal/generated, not committed);
#   2. the small program in this directory builds and writes the JSON.
# Extra arguments are passed to step 2 (e.g. -v3-out /tmp/v3.json).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/packages/k8s-openapi/generated/definitions.json"

# Keep in step with scheme.go.
packages=(
  k8s.io/apimachinery/pkg/apis/meta/v1
  k8s.io/apimachinery/pkg/api/resource
  k8s.io/apimachinery/pkg/runtime
  k8s.io/apimachinery/pkg/util/intstr
  k8s.io/apimachinery/pkg/version
  k8s.io/api/admissionregistration/v1
  k8s.io/api/apps/v1
  k8s.io/api/authentication/v1
  k8s.io/api/authorization/v1
  k8s.io/api/autoscaling/v1
  k8s.io/api/autoscaling/v2
  k8s.io/api/batch/v1
  k8s.io/api/certificates/v1
  k8s.io/api/coordination/v1
  k8s.io/api/core/v1
  k8s.io/api/discovery/v1
  k8s.io/api/events/v1
  k8s.io/api/flowcontrol/v1
  k8s.io/api/networking/v1
  k8s.io/api/node/v1
  k8s.io/api/policy/v1
  k8s.io/api/rbac/v1
  k8s.io/api/scheduling/v1
  k8s.io/api/storage/v1
  k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1
)

cd "$here"
module="$(go list -m)"
rm -rf internal/generated
# API-rule violations in upstream types are not ours to fix; the report goes to
# a scratch file so that they don't fail the run.
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
go tool openapi-gen \
  --go-header-file hack/boilerplate.go.txt \
  --output-dir internal/generated \
  --output-pkg "$module/internal/generated" \
  --output-file zz_generated.openapi.go \
  --report-filename "$report" \
  "${packages[@]}"

mkdir -p "$(dirname "$out")"
go run . -out "$out" "$@"
echo "wrote $out ($(wc -c <"$out") bytes)"
