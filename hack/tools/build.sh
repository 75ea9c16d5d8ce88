#!/usr/bin/env bash
# Builds Kubernetes tools from the hack/tools Go module (separate from the
# project's go.mod) into <repo>/_output/bin/<name>, and prints their paths.
#
#   hack/tools/build.sh [name...]     default: kubectl
#
# Each <name> is a main package at hack/tools/cmd/<name>/. A binary is rebuilt
# only when it is missing or stale: a stamp file _output/bin/.<name>.stamp
# records `go version`, the ldflags and the sha256 of go.mod, go.sum and
# cmd/<name>/*.go; any change to those rebuilds it. Works from any cwd.
# A cold build of kubectl takes ~6 min on 2 cores; cached, ~0.1 s.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${TOOLS_DIR}/../.." && pwd)"
BIN_DIR="${REPO_ROOT}/_output/bin"

# Kubernetes version the k8s.io/* modules in go.mod are pinned to; binaries
# report it so clients (kubectl version, version skew checks) can parse it.
KUBE_VERSION="v1.37.2"
KUBE_MAJOR="1"
KUBE_MINOR="37"

ldflags() {
	local pkg flags=()
	for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
		flags+=(
			"-X ${pkg}.gitVersion=${KUBE_VERSION}"
			"-X ${pkg}.gitMajor=${KUBE_MAJOR}"
			"-X ${pkg}.gitMinor=${KUBE_MINOR}"
			"-X ${pkg}.gitTreeState=clean"
			"-X ${pkg}.gitCommit="
		)
	done
	echo "-s -w ${flags[*]}"
}

stamp_of() {
	local name="$1"
	{
		go version
		echo "ldflags: $(ldflags)"
		cd "${TOOLS_DIR}"
		sha256sum go.mod go.sum cmd/"${name}"/*.go
	}
}

if [[ $# -eq 0 ]]; then
	set -- kubectl
fi

mkdir -p "${BIN_DIR}"
trap 'rm -f "${BIN_DIR}"/*.tmp.$$' EXIT
# Serialize concurrent callers (e.g. parallel test packages) so a cold build
# runs once; the others wait, then find it fresh.
if command -v flock >/dev/null 2>&1; then
	exec {lock_fd}>"${BIN_DIR}/.build.lock"
	flock "${lock_fd}"
fi
for name in "$@"; do
	if [[ ! -d "${TOOLS_DIR}/cmd/${name}" ]]; then
		echo "build.sh: unknown tool ${name} (no ${TOOLS_DIR}/cmd/${name})" >&2
		exit 1
	fi
	bin="${BIN_DIR}/${name}"
	stamp_file="${BIN_DIR}/.${name}.stamp"
	want="$(stamp_of "${name}")"
	if [[ -x "${bin}" && -f "${stamp_file}" && "$(cat "${stamp_file}")" == "${want}" ]]; then
		echo "${bin}"
		continue
	fi
	echo "build.sh: building ${name} ..." >&2
	rm -f "${stamp_file}"
	(
		cd "${TOOLS_DIR}"
		# -mod=readonly: go.mod/go.sum are committed; never rewrite them here.
		CGO_ENABLED=0 GOWORK=off go build -mod=readonly -trimpath \
			-ldflags "$(ldflags)" -o "${bin}.tmp.$$" "./cmd/${name}"
	)
	mv -f "${bin}.tmp.$$" "${bin}"
	printf '%s\n' "${want}" >"${stamp_file}"
	echo "${bin}"
done
