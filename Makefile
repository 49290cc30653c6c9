# splitplane: two commands do all the set-up on a fresh Debian machine with Node 20:
#   make up     installs what is missing, builds, and runs the control plane (foreground)
#   make test   installs what is missing, builds, and passes the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
DATA_DIR ?= .splitplane
TEST_CONCURRENCY ?= 2

.PHONY: help deps system-deps node-deps build up down status test test-unit test-e2e lint gen check-gen bench bench-watch clean

help:
	@echo "make up | down | status | test | lint | gen | check-gen | bench | bench-watch | clean"

deps: system-deps node-deps

# etcd and nats-server from Debian when absent (kubectl is expected on the machine).
system-deps:
	@scripts/ensure-system-deps.sh

# npm install when node_modules is missing or older than the lockfile. Not `npm ci`: with
# omit-lockfile-registry-resolved (set on our machines) npm leaves other platforms'
# optional packages (@bufbuild/buf-*) out of the lock, and `npm ci` then refuses it.
node-deps:
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm install --no-audit --no-fund; \
	fi

build: node-deps
	npx tsc -b

up: deps build
	node packages/launcher/dist/cli.js up --data-dir $(DATA_DIR)

down:
	node packages/launcher/dist/cli.js down --data-dir $(DATA_DIR)

status:
	node packages/launcher/dist/cli.js status --data-dir $(DATA_DIR)

# Unit and integration tests live beside the code; e2e suites under test/. Lint and the
# generated-code drift check run first, so CI enforces them too.
test: deps build check-gen lint
	scripts/run-tests.sh

lint: node-deps
	npx eslint .
	npx prettier --check --log-level warn .

# Regenerates the committed gRPC code. The Kubernetes schema/codec generators need Go
# and the Go module proxy: run `make gen-k8s` when bumping the Kubernetes version.
gen: node-deps
	npx buf generate

gen-k8s:
	tools/k8s-openapi-gen/gen.sh
	tools/k8s-protobuf-gen/gen.sh
	tools/gnostic-gen/gen.sh

# CI fails when the committed generated gRPC code differs from the .proto files.
check-gen: node-deps
	@tmp=$$(mktemp -d) && cp -r packages/proto/src/gen "$$tmp/before" && \
	npx buf generate && \
	if ! diff -r "$$tmp/before" packages/proto/src/gen >/dev/null; then \
		echo "generated code in packages/proto/src/gen is stale: run 'make gen' and commit" >&2; \
		diff -r "$$tmp/before" packages/proto/src/gen | head -40 >&2; rm -rf "$$tmp"; exit 1; \
	fi; rm -rf "$$tmp"

bench: deps build
	node test/dist/bench/run.js

# The watch-path benchmarks of issue #3 (docs/performance.md): LIST from cache vs etcd,
# watch fan-out over two gateways, watch-cache memory per cached pod.
bench-watch: deps build
	node test/dist/bench/list-cache.js
	node test/dist/bench/watch-fanout.js
	node test/dist/bench/cache-memory.js

clean:
	rm -rf packages/*/dist services/*/dist test/dist packages/*/tsconfig.tsbuildinfo services/*/tsconfig.tsbuildinfo
