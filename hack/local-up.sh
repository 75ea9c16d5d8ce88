#!/usr/bin/env bash
# Brings up a local knap control plane (`make run`):
#   etcd -> kube-apiserver (RBAC, client certificates, front proxy) ->
#   knap-apiserver in aggregated mode (delegated authn/authz, its own
#   embedded etcd), registered by one APIService per group/version ->
#   kube-controller-manager (namespace cleanup, garbage collection, ...) ->
#   knap-controller and knap-gateway (restarted whenever they exit) ->
#   a node (hack/lib/node.sh: containerd with the local images imported,
#   bridge CNI, kubelet, kube-proxy, kube-scheduler) where pods really run.
#   --no-node (or KNAP_NO_NODE=1) keeps to the control plane; the node needs
#   root and installs its Debian packages once.
# Writes ${KNAP_LOCAL_DIR}/kubeconfig (cluster admin) and ${KNAP_LOCAL_DIR}/env
# (KEY=value lines) once every APIService is Available; logs go to
# ${KNAP_LOCAL_DIR}/logs/. Ctrl-C or SIGTERM stops everything, kube-apiserver
# before its etcd. A second run reuses the data; `make clean-local` wipes it.
#
# Environment: KNAP_LOCAL_DIR (default _output/local), KUBE_PORT (6443),
# KNAP_PORT (8443), KCM_PORT (10257), CONTROLLER_PORT (10270, knap-controller's
# /healthz, /readyz, /metrics and the autoscaler's stats intake),
# GATEWAY_PORT (8088, knap-gateway's HTTP data plane: GATEWAY_URL in the env
# file), GATEWAY_METRICS_PORT (10271), and for the node KUBELET_PORT (10250),
# KUBELET_HEALTHZ_PORT (10248), PROXY_HEALTHZ_PORT (10256),
# PROXY_METRICS_PORT (10249), SCHED_PORT (10259).
# `make stop` (hack/local-down.sh) stops a running instance from elsewhere.
set -o errexit -o nounset -o pipefail

WITH_NODE=true
[[ "${KNAP_NO_NODE:-}" == 1 ]] && WITH_NODE=false
for arg in "$@"; do
    case "${arg}" in
    --no-node) WITH_NODE=false ;;
    *) echo "usage: $0 [--no-node]" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=$(mkdir -p "${KNAP_LOCAL_DIR:-${ROOT}/_output/local}" && cd "${KNAP_LOCAL_DIR:-${ROOT}/_output/local}" && pwd)
KUBE_PORT="${KUBE_PORT:-6443}"
KNAP_PORT="${KNAP_PORT:-8443}"
KCM_PORT="${KCM_PORT:-10257}"
CONTROLLER_PORT="${CONTROLLER_PORT:-10270}"
GATEWAY_PORT="${GATEWAY_PORT:-8088}"
GATEWAY_METRICS_PORT="${GATEWAY_METRICS_PORT:-10271}"
KUBELET_PORT="${KUBELET_PORT:-10250}"
KUBELET_HEALTHZ_PORT="${KUBELET_HEALTHZ_PORT:-10248}"
PROXY_HEALTHZ_PORT="${PROXY_HEALTHZ_PORT:-10256}"
PROXY_METRICS_PORT="${PROXY_METRICS_PORT:-10249}"
SCHED_PORT="${SCHED_PORT:-10259}"
BIN="${ROOT}/_output/bin"
PKI="${LOCAL}/pki"
LOGS="${LOCAL}/logs"
ADMIN="${PKI}/admin.kubeconfig"

log() { echo "local-up: $*" >&2; }
die() { log "$*"; exit 1; }

# The env file appears only when everything is up; scripts wait for it.
rm -f "${LOCAL}/env" "${LOCAL}/images.env"
mkdir -p "${LOGS}"
PORTS=("${KUBE_PORT}" "${KNAP_PORT}" "${KCM_PORT}" "${CONTROLLER_PORT}" "${GATEWAY_PORT}" "${GATEWAY_METRICS_PORT}")
if ${WITH_NODE}; then
    PORTS+=("${KUBELET_PORT}" "${KUBELET_HEALTHZ_PORT}" "${PROXY_HEALTHZ_PORT}" "${PROXY_METRICS_PORT}" "${SCHED_PORT}")
fi
for port in "${PORTS[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
        die "port ${port} is in use: is another 'make run' still running? ('make stop' stops it; the *_PORT variables pick others)"
    fi
done
echo $$ >"${LOCAL}/local-up.pid"
source "${ROOT}/hack/lib/node.sh"

log "building knap-apiserver and the Kubernetes tools (a cold build takes several minutes)"
go -C "${ROOT}" build -o "${BIN}/knap-apiserver" ./cmd/apiserver
go -C "${ROOT}" build -o "${BIN}/knap-controller" ./cmd/controller
go -C "${ROOT}" build -o "${BIN}/knap-gateway" ./cmd/gateway
go -C "${ROOT}" build -o "${BIN}/knap-pki" ./hack/pki
TOOLS=(etcd kube-apiserver kube-controller-manager kubectl)
${WITH_NODE} && TOOLS+=(kubelet kube-proxy kube-scheduler)
"${ROOT}/hack/tools/build.sh" "${TOOLS[@]}" >/dev/null
KUBECTL="${BIN}/kubectl"
"${BIN}/knap-pki" local --dir "${PKI}" --kube-server "https://127.0.0.1:${KUBE_PORT}"

# Processes, in start order; stop() stops them in reverse.
PIDS=()
NAMES=()
start() {
    local name="$1"
    shift
    # Its own session: a Ctrl-C in the terminal reaches only this script,
    # which then stops the processes in order.
    setsid "$@" >"${LOGS}/${name}.log" 2>&1 &
    PIDS+=("$!")
    NAMES+=("${name}")
}
# supervise NAME CMD...: like start, but CMD is started again whenever it
# exits, as the kubelet restarts a crashed container; for knap's own
# components, which must survive being killed at any moment.
supervise() {
    local name="$1"
    shift
    : >"${LOGS}/${name}.log"
    setsid bash -c '
        trap "kill -TERM \${child} 2>/dev/null; wait \${child}; exit 0" TERM INT
        while true; do
            "$@" &
            child=$!
            wait "${child}"
            echo "supervisor: $1 exited with status $?; starting it again in 1s"
            sleep 1
        done' supervise "$@" >>"${LOGS}/${name}.log" 2>&1 &
    PIDS+=("$!")
    NAMES+=("${name}")
}
stop() {
    trap - INT TERM EXIT
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        if kill -TERM "${PIDS[i]}" 2>/dev/null; then
            log "stopping ${NAMES[i]}"
            # A process that ignores SIGTERM for 30 s is killed.
            for _ in $(seq 1 60); do kill -0 "${PIDS[i]}" 2>/dev/null || break; sleep 0.5; done
            kill -KILL "${PIDS[i]}" 2>/dev/null || true
            wait "${PIDS[i]}" 2>/dev/null || true
        fi
    done
    if ${WITH_NODE}; then node_cleanup; fi
    rm -f "${LOCAL}/env" "${LOCAL}/local-up.pid"
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# alive NAME: fail with the end of its log if the named process has exited.
alive() {
    local i
    for i in "${!NAMES[@]}"; do
        if [[ "${NAMES[i]}" == "$1" ]] && ! kill -0 "${PIDS[i]}" 2>/dev/null; then
            tail -20 "${LOGS}/$1.log" >&2
            die "$1 exited; see ${LOGS}/$1.log"
        fi
    done
}

# wait_for NAME SECONDS CMD...: poll CMD until it succeeds.
wait_for() {
    local name="$1" secs="$2"
    shift 2
    for _ in $(seq 1 $((secs * 2))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        alive "${name}"
        sleep 0.5
    done
    die "${name} not ready after ${secs}s; see ${LOGS}/${name}.log"
}

# etcd for the kube-apiserver listens only on unix sockets in a private
# directory: a TCP port would let any local process read and write the
# cluster's state without authentication.
ETCD="${LOCAL}/etcd"
if (( ${#ETCD} + 12 > 107 )); then
    die "${ETCD}/client.sock is too long for a unix socket; set KNAP_LOCAL_DIR to a shorter directory"
fi
mkdir -p "${ETCD}" && chmod 0700 "${ETCD}"
ETCD_CLIENT="unix://${ETCD}/client.sock"
ETCD_PEER="unix://${ETCD}/peer.sock"
rm -f "${ETCD}/client.sock" "${ETCD}/peer.sock"
start etcd "${BIN}/etcd" --name local --data-dir "${ETCD}/data" \
    --listen-client-urls "${ETCD_CLIENT}" --advertise-client-urls "${ETCD_CLIENT}" \
    --listen-peer-urls "${ETCD_PEER}" --initial-advertise-peer-urls "${ETCD_PEER}" \
    --initial-cluster "local=${ETCD_PEER}"
wait_for etcd 30 test -S "${ETCD}/client.sock"

start kube-apiserver "${BIN}/kube-apiserver" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "${KUBE_PORT}" \
    --etcd-servers "${ETCD_CLIENT}" \
    --tls-cert-file "${PKI}/kube-apiserver.crt" --tls-private-key-file "${PKI}/kube-apiserver.key" \
    --client-ca-file "${PKI}/ca.crt" \
    --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "${PKI}/service-account.pub" \
    --service-account-signing-key-file "${PKI}/service-account.key" \
    --service-cluster-ip-range 10.0.0.0/24 \
    --endpoint-reconciler-type none \
    --requestheader-client-ca-file "${PKI}/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User \
    --requestheader-group-headers X-Remote-Group \
    --requestheader-uid-headers X-Remote-Uid \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "${PKI}/front-proxy-client.crt" \
    --proxy-client-key-file "${PKI}/front-proxy-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --kubelet-client-certificate "${PKI}/kube-apiserver-kubelet-client.crt" \
    --kubelet-client-key "${PKI}/kube-apiserver-kubelet-client.key"
wait_for kube-apiserver 120 "${KUBECTL}" --kubeconfig "${ADMIN}" get --raw /readyz

# knap's namespace and the RBAC a real deployment grants it; knap-apiserver
# runs as its ServiceAccount (a client certificate for that user), so the
# local plane proves artifacts/deploy/10-rbac.yaml is enough.
"${KUBECTL}" --kubeconfig "${ADMIN}" apply -f "${ROOT}/artifacts/deploy/00-namespace.yaml" \
    -f "${ROOT}/artifacts/deploy/10-rbac.yaml" -f "${ROOT}/artifacts/deploy/15-controller-rbac.yaml" \
    -f "${ROOT}/artifacts/deploy/16-gateway-rbac.yaml" \
    -f "${ROOT}/artifacts/deploy/40-config.yaml" >/dev/null
# The aggregator reaches a Service by name; this one resolves to loopback.
"${KUBECTL}" --kubeconfig "${ADMIN}" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata:
  name: knap-apiserver
  namespace: knap-system
  labels: {app.kubernetes.io/part-of: knap}
spec:
  type: ExternalName
  externalName: localhost
  ports: [{name: https, port: ${KNAP_PORT}}]
YAML

KNAP_KUBECONFIG="${PKI}/knap-apiserver.kubeconfig"
start knap-apiserver "${BIN}/knap-apiserver" --data-dir "${LOCAL}/knap-apiserver" \
    --bind-address 127.0.0.1 --secure-port "${KNAP_PORT}" \
    --tls-cert-file "${PKI}/knap-serving.crt" --tls-private-key-file "${PKI}/knap-serving.key" \
    --kubeconfig "${KNAP_KUBECONFIG}" \
    --authentication-kubeconfig "${KNAP_KUBECONFIG}" \
    --authorization-kubeconfig "${KNAP_KUBECONFIG}"

# Registered once it serves, so the aggregator never sees it down.
wait_for knap-apiserver 60 "${KUBECTL}" --kubeconfig "${ADMIN}" --server "https://127.0.0.1:${KNAP_PORT}" \
    --certificate-authority "${PKI}/knap-ca.crt" get --raw /readyz
"${BIN}/knap-pki" apiservices --ca-file "${PKI}/knap-ca.crt" --port "${KNAP_PORT}" |
    "${KUBECTL}" --kubeconfig "${ADMIN}" apply -f - >/dev/null
# Every APIService Available (one request; `kubectl wait` checks them one
# by one and a short --timeout runs out before the last on a busy machine).
apiservices_available() {
    local statuses
    statuses=$("${KUBECTL}" --kubeconfig "${ADMIN}" get apiservice -l app.kubernetes.io/part-of=knap \
        -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Available")].status}{"\n"}{end}') || return 1
    [[ -n "${statuses}" ]] && ! grep -qvx True <<<"${statuses}"
}
wait_for knap-apiserver 120 apiservices_available
# kubectl validates against OpenAPI and explains from it: wait until the
# aggregator has merged knap's spec into both versions.
openapi_ready() {
    local v2 v3 gv
    v3=$("${KUBECTL}" --kubeconfig "${ADMIN}" get --raw /openapi/v3) || return 1
    v2=$("${KUBECTL}" --kubeconfig "${ADMIN}" get --raw /openapi/v2) || return 1
    for gv in $("${KUBECTL}" --kubeconfig "${ADMIN}" get apiservice -l app.kubernetes.io/part-of=knap \
        -o jsonpath='{range .items[*]}{.spec.group}/{.spec.version}{"\n"}{end}'); do
        grep -q "\"apis/${gv}\"" <<<"${v3}" && grep -q "\"/apis/${gv}/" <<<"${v2}" || return 1
    done
}
wait_for knap-apiserver 60 openapi_ready

# Started last, so its namespace and garbage-collector controllers discover
# knap's resources from their first sync.
start kube-controller-manager "${BIN}/kube-controller-manager" \
    --kubeconfig "${PKI}/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "${PKI}/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "${PKI}/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "${KCM_PORT}" \
    --tls-cert-file "${PKI}/kube-controller-manager-serving.crt" \
    --tls-private-key-file "${PKI}/kube-controller-manager-serving.key" \
    --controllers '*,-nodeipam' --leader-elect=false \
    --use-service-account-credentials \
    --service-account-private-key-file "${PKI}/service-account.key" \
    --root-ca-file "${PKI}/ca.crt" \
    --cluster-signing-cert-file "${PKI}/ca.crt" --cluster-signing-key-file "${PKI}/ca.key"
wait_for kube-controller-manager 60 "${KUBECTL}" --kubeconfig "${ADMIN}" \
    --server "https://127.0.0.1:${KCM_PORT}" get --raw /healthz

# knap-controller runs as its ServiceAccount (a client certificate for that
# user), with the RBAC of artifacts/deploy/15-controller-rbac.yaml.
supervise knap-controller "${BIN}/knap-controller" \
    --kubeconfig "${PKI}/knap-controller.kubeconfig" \
    --bind-address "127.0.0.1:${CONTROLLER_PORT}" --namespace knap-system
wait_for knap-controller 60 "${KUBECTL}" --kubeconfig "${ADMIN}" \
    --server "http://127.0.0.1:${CONTROLLER_PORT}" get --raw /readyz

# knap-gateway on the host reaches pods by their IPs (the node's bridge)
# and pushes its stats to knap-controller's autoscaler.
supervise knap-gateway "${BIN}/knap-gateway" \
    --kubeconfig "${PKI}/knap-gateway.kubeconfig" \
    --bind-address "127.0.0.1:${GATEWAY_PORT}" --metrics-bind-address "127.0.0.1:${GATEWAY_METRICS_PORT}" \
    --autoscaler-url "http://127.0.0.1:${CONTROLLER_PORT}"
wait_for knap-gateway 60 "${KUBECTL}" --kubeconfig "${ADMIN}" \
    --server "http://127.0.0.1:${GATEWAY_METRICS_PORT}" get --raw /readyz

NODE_NAME=""
if ${WITH_NODE}; then
    log "starting the node: containerd, kubelet, kube-proxy, kube-scheduler"
    node_start "${LOCAL}/images.env"
fi

cp "${ADMIN}" "${LOCAL}/kubeconfig"
cat >"${LOCAL}/env.tmp" <<ENV
KUBECONFIG=${LOCAL}/kubeconfig
KUBECTL=${KUBECTL}
KUBE_APISERVER_URL=https://127.0.0.1:${KUBE_PORT}
KNAP_APISERVER_URL=https://127.0.0.1:${KNAP_PORT}
KNAP_PKI_DIR=${PKI}
GATEWAY_URL=http://127.0.0.1:${GATEWAY_PORT}
NODE_NAME=${NODE_NAME}
ENV
if ${WITH_NODE}; then cat "${LOCAL}/images.env" >>"${LOCAL}/env.tmp"; fi
mv "${LOCAL}/env.tmp" "${LOCAL}/env"

cat <<MSG
knap is serving through kube-apiserver https://127.0.0.1:${KUBE_PORT}:
$("${KUBECTL}" --kubeconfig "${ADMIN}" get apiservice -l app.kubernetes.io/part-of=knap --no-headers | sed 's/^/  /')
Use it from another shell:
  set -a; source ${LOCAL}/env; set +a
  \$KUBECTL apply -f artifacts/examples/serving/hello-world.yaml
  \$KUBECTL get ksvc
MSG
if ${WITH_NODE}; then
    cat <<MSG
Node ${NODE_NAME} is Ready; pods run on it, and knap-gateway routes to them at ${GATEWAY_PORT}:
  \$KUBECTL create namespace demo
  \$KUBECTL -n demo create -f - <<<'{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"hello"},"spec":{"template":{"spec":{"containers":[{"image":"'\$HELLO_IMAGE'"}]}}}}'
  \$KUBECTL -n demo wait --for=condition=Ready ksvc/hello
  curl -H 'Host: hello.demo.example.com' \$GATEWAY_URL
MSG
fi
cat <<MSG
Logs: ${LOGS}/. Ctrl-C (or 'make stop') stops everything; data stays in ${LOCAL} until 'make clean-local'.
MSG

# Serve until a signal, or until a component dies.
while true; do
    for name in "${NAMES[@]}"; do alive "${name}"; done
    sleep 2
done
