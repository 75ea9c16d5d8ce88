# knap: Knative's APIs served natively by an aggregated API server.
SHELL := /usr/bin/env bash
OUT   := _output
BIN   := $(OUT)/bin
FUZZTIME ?= 10s

.PHONY: all build run stop test test-unit test-integration test-smoke test-e2e verify codegen fuzz bench clean clean-local tools images

all: build

build:
	go build -o $(BIN)/knap-apiserver ./cmd/apiserver

# Kubernetes binaries built from the module proxy (hack/tools), cached.
tools:
	hack/tools/build.sh etcd kube-apiserver kube-controller-manager kubectl kubelet kube-proxy kube-scheduler

# Container images without a registry: the e2e test apps, pause and knap's
# data plane as _output/images/<name>.tar (knap.local/<name>:dev); imported
# into containerd when CONTAINERD_ADDRESS is set, pushed with REGISTRY=.
images:
	hack/images.sh

# A local control plane: etcd, kube-apiserver, knap-apiserver aggregated
# behind it, kube-controller-manager. Ctrl-C stops it; data is kept.
run:
	hack/local-up.sh $(ARGS)

stop:
	hack/local-down.sh

verify:
	@echo ">> gofmt"; files=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	  if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi
	@echo ">> go vet"; go vet ./...
	@echo ">> codegen"; hack/verify-codegen.sh

codegen:
	hack/update-codegen.sh

# The controllers, the data plane and the test apps run goroutines of their
# own: their unit tests run under the race detector too.
test-unit:
	go test -count=1 ./pkg/... ./cmd/... ./hack/image/... ./hack/bench/... ./test/apps/...
	go test -count=1 -race ./pkg/controller/... ./pkg/queue/... ./pkg/autoscaler/... ./pkg/gateway/... ./pkg/rawio/... ./hack/bench/dataplane/... ./test/apps/...

# The race detector runs where the goroutines are: the whole API server,
# in-process, with its embedded etcd, storage, watches and handlers.
test-integration:
	go test -count=1 -race ./test/integration/...

test-smoke: tools
	go test -count=1 ./test/smoke/...

# A real kube-apiserver with knap registered by APIService, driven by kubectl.
test-e2e: tools
	go test -count=1 -timeout 30m ./test/e2e/...

fuzz:
	FUZZTIME=$(FUZZTIME) hack/fuzz.sh

# Everything CI checks. Keep in step with .ci/run and the README.
test: verify test-unit test-integration test-smoke test-e2e fuzz

bench: build
	hack/bench/api.sh
	hack/bench/dataplane.sh

clean:
	rm -rf $(OUT)

# Wipes what `make run` keeps between runs (etcd data, certificates, logs).
clean-local: stop
	rm -rf $(OUT)/local
