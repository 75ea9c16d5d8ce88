#!/usr/bin/env bash
# Brings up a local knap: knap-apiserver --standalone with its embedded etcd.
# Writes _output/local/kubeconfig and _output/local/env; Ctrl-C stops it.
# A second run reuses the data; `make clean` wipes it.
set -o errexit -o nounset -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="${ROOT}/_output/local"
PORT="${KNAP_PORT:-8443}"
mkdir -p "${LOCAL}/logs"

go build -o "${ROOT}/_output/bin/knap-apiserver" "${ROOT}/cmd/apiserver"
KUBECTL=$("${ROOT}/hack/kubectl.sh")

"${ROOT}/_output/bin/knap-apiserver" --standalone --data-dir "${LOCAL}/apiserver" \
    --bind-address 127.0.0.1 --secure-port "${PORT}" >"${LOCAL}/logs/knap-apiserver.log" 2>&1 &
PID=$!
trap 'kill -TERM ${PID} 2>/dev/null; wait ${PID} 2>/dev/null; exit 0' INT TERM
trap 'kill -TERM ${PID} 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
    if [ -f "${LOCAL}/apiserver/kubeconfig" ] && \
       "${KUBECTL}" --kubeconfig "${LOCAL}/apiserver/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "${PID}" 2>/dev/null; then
        echo "knap-apiserver exited; see ${LOCAL}/logs/knap-apiserver.log" >&2
        tail -20 "${LOCAL}/logs/knap-apiserver.log" >&2
        exit 1
    fi
    sleep 0.5
done
cp "${LOCAL}/apiserver/kubeconfig" "${LOCAL}/kubeconfig"
cat >"${LOCAL}/env" <<ENV
KUBECONFIG=${LOCAL}/kubeconfig
KUBECTL=${KUBECTL}
KNAP_APISERVER_URL=https://127.0.0.1:${PORT}
ENV

cat <<MSG
knap-apiserver is serving serving.knative.dev/v1 on https://127.0.0.1:${PORT}
  set -a; source ${LOCAL}/env; set +a
  \$KUBECTL apply -f artifacts/examples/serving/hello-world.yaml
  \$KUBECTL get ksvc
Logs: ${LOCAL}/logs/. Ctrl-C to stop.
MSG
wait "${PID}"
