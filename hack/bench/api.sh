#!/usr/bin/env bash
# Builds knap-apiserver and the API benchmark (hack/bench/api) into
# _output/bin and runs the benchmark; every argument is passed through.
#
#   hack/bench/api.sh                      # start a standalone server, N=2000, C=8
#   hack/bench/api.sh -n 5000 -c 16
#   hack/bench/api.sh -kubeconfig _output/local/kubeconfig -server-pid PID
#
# Flags: go run ./hack/bench/api -h
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN_DIR="${REPO_ROOT}/_output/bin"
mkdir -p "${BIN_DIR}"
cd "${REPO_ROOT}"

echo "api.sh: building knap-apiserver and knap-bench-api ..." >&2
go build -o "${BIN_DIR}/knap-apiserver" ./cmd/apiserver
go build -o "${BIN_DIR}/knap-bench-api" ./hack/bench/api

exec "${BIN_DIR}/knap-bench-api" -server-bin "${BIN_DIR}/knap-apiserver" "$@"
