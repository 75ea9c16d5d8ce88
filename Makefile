# knap: Knative's APIs served natively by an aggregated API server.
SHELL := /usr/bin/env bash
OUT   := _output
BIN   := $(OUT)/bin
FUZZTIME ?= 10s

.PHONY: all build run test test-unit test-integration test-smoke verify codegen fuzz bench clean tools

all: build

build:
	go build -o $(BIN)/knap-apiserver ./cmd/apiserver

tools:
	hack/tools/build.sh kubectl

# A local knap: the standalone knap-apiserver with its embedded etcd.
run: build
	hack/local-up.sh

verify:
	@echo ">> gofmt"; files=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	  if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi
	@echo ">> go vet"; go vet ./...
	@echo ">> codegen"; hack/verify-codegen.sh

codegen:
	hack/update-codegen.sh

test-unit:
	go test -count=1 ./pkg/... ./cmd/...

# The race detector runs where the goroutines are: the whole API server,
# in-process, with its embedded etcd, storage, watches and handlers.
test-integration:
	go test -count=1 -race ./test/integration/...

test-smoke: tools
	go test -count=1 ./test/smoke/...

fuzz:
	FUZZTIME=$(FUZZTIME) hack/fuzz.sh

# Everything CI checks. Keep in step with .ci/run and the README.
test: verify test-unit test-integration test-smoke fuzz

bench: build
	hack/bench/api.sh

clean:
	rm -rf $(OUT)
