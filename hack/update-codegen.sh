#!/usr/bin/env bash
# Regenerates deepcopy, conversion, defaulters, OpenAPI, clientset, listers,
# informers and apply configurations with k8s.io/code-generator.
#
#   hack/update-codegen.sh                    everything
#   hack/update-codegen.sh helpers DIR        only deepcopy/conversion/defaults
#                                             under DIR (e.g. pkg/apis/eventing),
#                                             enough to compile a new API group
set -o errexit -o nounset -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${ROOT}"
THIS_PKG=github.com/knap-dev/knap

# Generator binaries stay in the project, never in the user's GOPATH/bin.
export GOBIN="${ROOT}/_output/codegen-bin"
mkdir -p "${GOBIN}"

CODEGEN_PKG=$(go list -m -f '{{.Dir}}' k8s.io/code-generator)
source "${CODEGEN_PKG}/kube_codegen.sh"

# Concurrent runs would write the same files: take turns.
exec {lock_fd}>"${GOBIN}/.codegen.lock"
flock "${lock_fd}"

if [[ "${1:-}" == "helpers" ]]; then
    kube::codegen::gen_helpers --boilerplate "${ROOT}/hack/boilerplate.go.txt" "${ROOT}/${2:?helpers needs a directory}"
    exit 0
fi

kube::codegen::gen_helpers \
    --boilerplate "${ROOT}/hack/boilerplate.go.txt" \
    "${ROOT}/pkg/apis"

report="${ROOT}/hack/api-rules/violation_exceptions.list"
update_report=""
if [[ "${UPDATE_API_KNOWN_VIOLATIONS:-}" == "true" ]]; then
    update_report="--update-report"
fi

kube::codegen::gen_openapi \
    --output-dir "${ROOT}/pkg/generated/openapi" \
    --output-pkg "${THIS_PKG}/pkg/generated/openapi" \
    --report-filename "${report}" \
    --output-model-name-file "zz_generated.model_name.go" \
    --extra-pkgs k8s.io/api/core/v1 \
    --extra-pkgs k8s.io/apimachinery/pkg/util/intstr \
    ${update_report:+"${update_report}"} \
    --boilerplate "${ROOT}/hack/boilerplate.go.txt" \
    "${ROOT}/pkg/apis"

# RevisionSpec inlines core/v1 PodSpec: every core/v1 type reachable from it
# must map to client-go's apply configurations, or the generated With*
# helpers would mix API types with apply configurations.
CORE_AC_DIR="$(go list -m -f '{{.Dir}}' k8s.io/client-go)/applyconfigurations/core/v1"
externals=$(sed -n 's/^type \([A-Za-z0-9]*\)ApplyConfiguration struct.*/k8s.io\/api\/core\/v1.\1:k8s.io\/client-go\/applyconfigurations\/core\/v1/p' "${CORE_AC_DIR}"/*.go | LC_ALL=C sort | paste -sd, -)

kube::codegen::gen_client \
    --applyconfig-externals "${externals}" \
    --with-watch \
    --with-applyconfig \
    --applyconfig-openapi-schema <(go run "${THIS_PKG}/pkg/generated/openapi/cmd/models-schema") \
    --output-dir "${ROOT}/pkg/generated" \
    --output-pkg "${THIS_PKG}/pkg/generated" \
    --boilerplate "${ROOT}/hack/boilerplate.go.txt" \
    "${ROOT}/pkg/apis"

# gen_client only feeds API groups to applyconfiguration-gen, so the shared
# duck shapes embedded in every status would be left without apply
# configurations. Run it once more with the duck package as an input too.
rm -rf "${ROOT}/pkg/generated/applyconfiguration"
"${GOBIN}/applyconfiguration-gen" \
    --go-header-file "${ROOT}/hack/boilerplate.go.txt" \
    --output-dir "${ROOT}/pkg/generated/applyconfiguration" \
    --output-pkg "${THIS_PKG}/pkg/generated/applyconfiguration" \
    --external-applyconfigurations "${externals}" \
    --openapi-schema <(go run "${THIS_PKG}/pkg/generated/openapi/cmd/models-schema") \
    $(cd "${ROOT}" && go list ./pkg/apis/... | grep -E '/v[0-9]+((alpha|beta)[0-9]+)?$')
