#!/usr/bin/env bash
# Fails when generated code differs from what hack/update-codegen.sh produces.
set -o errexit -o nounset -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "${TMP}"' EXIT

# Generate into a copy of the tree so the working tree is never touched.
git -C "${ROOT}" ls-files -co --exclude-standard -z | (cd "${ROOT}" && xargs -0 cp --parents -t "${TMP}")
mkdir -p "${TMP}/_output" && [ -d "${ROOT}/_output/codegen-bin" ] && cp -a "${ROOT}/_output/codegen-bin" "${TMP}/_output/" || true
(cd "${TMP}" && hack/update-codegen.sh >/dev/null)

if diff -Naupr -x _output "${ROOT}/pkg" "${TMP}/pkg" && diff -Nau "${ROOT}/hack/api-rules" "${TMP}/hack/api-rules"; then
    echo "generated code is up to date"
else
    echo "generated code is stale: run hack/update-codegen.sh" >&2
    exit 1
fi
