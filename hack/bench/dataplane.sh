#!/usr/bin/env bash
# Builds the data-plane benchmark (hack/bench/dataplane) into _output/bin
# and runs it; every argument is passed through. It starts its own hello
# server, knap-queue and knap-gateway on loopback, each in a process of its
# own, and needs no cluster.
#
#   hack/bench/dataplane.sh                 # N=20000 per path and level, C=1,16
#   hack/bench/dataplane.sh -n 50000 -c 1,4,16
#
# Flags: go run ./hack/bench/dataplane -h
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN_DIR="${REPO_ROOT}/_output/bin"
mkdir -p "${BIN_DIR}"
cd "${REPO_ROOT}"

echo "dataplane.sh: building knap-bench-dataplane ..." >&2
go build -o "${BIN_DIR}/knap-bench-dataplane" ./hack/bench/dataplane

exec "${BIN_DIR}/knap-bench-dataplane" "$@"
