# The local node of hack/local-up.sh: containerd, a bridge CNI network,
# kubelet, kube-proxy and kube-scheduler, all with their state under
# ${NODE_DIR}, so `node_cleanup` can leave the host as it found it.
# Sourced by hack/local-up.sh (which defines start, wait_for, log, die) and
# by hack/local-down.sh (which uses only node_cleanup).
#
# One node per host: the bridge, the nftables table and the kubepods
# cgroups are host-wide names.

NODE_DIR="${LOCAL}/node"
CTRD="${NODE_DIR}/containerd"
CTRD_SOCK="${CTRD}/containerd.sock"
CNI_CONF_DIR="${NODE_DIR}/cni/net.d"
CNI_BRIDGE="knap0"
CNI_NETWORK="knap"
POD_CIDR="10.244.0.0/16"
# The host's ip_forward before the node set it, restored by node_cleanup.
IP_FORWARD_SAVED="${NODE_DIR}/ip_forward.saved"

NODE_PACKAGES=(containerd runc containernetworking-plugins nftables iptables conntrack)

# node_install_packages installs, once, what the node runs from Debian.
node_install_packages() {
    local missing=() p
    for p in "${NODE_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "${p}" 2>/dev/null | grep -q "install ok installed" || missing+=("${p}")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]} (apt, once)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The package starts the host's own containerd; knap runs its own.
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now containerd >/dev/null 2>&1 || true; fi
}

# node_ip is the address of the default route's interface: the node's
# InternalIP, which the kube-apiserver uses to reach the kubelet.
node_ip() {
    ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") { print $(i + 1); exit }}'
}

node_write_configs() {
    local node_name="$1" node_ip="$2"
    mkdir -p "${CTRD}" "${CNI_CONF_DIR}" "${NODE_DIR}/kubelet" "${NODE_DIR}/pod-logs"
    # restrict_oom_score_adj: root here lacks CAP_SYS_RESOURCE, and runc
    # fails to raise a container's oom_score_adj without it.
    cat >"${CTRD}/config.toml" <<TOML
version = 2
root = "${CTRD}/root"
state = "${CTRD}/state"
[grpc]
  address = "${CTRD_SOCK}"
[ttrpc]
  address = "${CTRD_SOCK}.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${CTRD}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "knap.local/pause:dev"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "${CTRD}/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${CNI_CONF_DIR}"
TOML
    cat >"${CNI_CONF_DIR}/10-${CNI_NETWORK}.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "${CNI_NETWORK}",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "${CNI_BRIDGE}",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "${POD_CIDR}"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "${NODE_DIR}/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
    cat >"${NODE_DIR}/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${node_ip}
port: ${KUBELET_PORT}
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: ${KUBELET_HEALTHZ_PORT}
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${PKI}/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://${CTRD_SOCK}
# This host has cgroup v1 and no systemd-managed cgroups.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
podLogsDir: ${NODE_DIR}/pod-logs
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
# A development machine's disk is often fuller than a node's defaults
# allow; evict only when it is really exhausted.
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
YAML
    cat >"${NODE_DIR}/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection: {kubeconfig: ${PKI}/kube-proxy.kubeconfig}
hostnameOverride: ${node_name}
clusterCIDR: ${POD_CIDR}
healthzBindAddress: 127.0.0.1:${PROXY_HEALTHZ_PORT}
metricsBindAddress: 127.0.0.1:${PROXY_METRICS_PORT}
# Leave the host's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
}

# node_start starts containerd, imports the local images (their KEY=value
# lines are appended to $1), then kubelet, kube-proxy and kube-scheduler,
# and waits until the node is Ready.
node_start() {
    local images_env="$1" node_name node_ip
    [[ $(id -u) == 0 ]] || die "the local node needs root (containers, network, cgroups); run with --no-node for the control plane only"
    node_install_packages
    node_name=$(hostname | tr '[:upper:]' '[:lower:]')
    node_ip=$(node_ip)
    [[ -n "${node_ip}" ]] || die "no default route: cannot pick the node's IP"
    "${BIN}/knap-pki" local --dir "${PKI}" --kube-server "https://127.0.0.1:${KUBE_PORT}" --node-name "${node_name}"
    node_cleanup # what a killed earlier run left behind
    node_write_configs "${node_name}" "${node_ip}"

    [[ -f "${IP_FORWARD_SAVED}" ]] || cat /proc/sys/net/ipv4/ip_forward >"${IP_FORWARD_SAVED}"
    echo 1 >/proc/sys/net/ipv4/ip_forward

    start containerd containerd --config "${CTRD}/config.toml"
    wait_for containerd 30 ctr --address "${CTRD_SOCK}" version
    log "importing the local images into containerd"
    CONTAINERD_ADDRESS="${CTRD_SOCK}" "${ROOT}/hack/images.sh" >>"${images_env}"

    start kubelet "${BIN}/kubelet" --config "${NODE_DIR}/kubelet.yaml" \
        --kubeconfig "${PKI}/kubelet.kubeconfig" --root-dir "${NODE_DIR}/kubelet" \
        --hostname-override "${node_name}" --node-ip "${node_ip}"
    start kube-proxy "${BIN}/kube-proxy" --config "${NODE_DIR}/kube-proxy.yaml"
    start kube-scheduler "${BIN}/kube-scheduler" \
        --kubeconfig "${PKI}/kube-scheduler.kubeconfig" \
        --authentication-kubeconfig "${PKI}/kube-scheduler.kubeconfig" \
        --authorization-kubeconfig "${PKI}/kube-scheduler.kubeconfig" \
        --bind-address 127.0.0.1 --secure-port "${SCHED_PORT}" --leader-elect=false
    wait_for kubelet 120 "${KUBECTL}" --kubeconfig "${ADMIN}" wait --for=condition=Ready "node/${node_name}" --timeout 1s
    wait_for kube-scheduler 60 "${KUBECTL}" --kubeconfig "${ADMIN}" --server "https://127.0.0.1:${SCHED_PORT}" \
        --insecure-skip-tls-verify get --raw /healthz
    NODE_NAME="${node_name}"
}

# node_cleanup removes what the node leaves on the host once its processes
# are gone (or kills them if a crashed run left them): containers, mounts,
# the bridge, kube-proxy's nftables table, kubelet's and CNI's iptables
# chains, pod cgroups. Idempotent.
node_cleanup() {
    local pid
    # Containers outlive containerd in their shims; the shims and the
    # node's daemons all name ${NODE_DIR} on their command line.
    for pid in $(pgrep -f -- "${NODE_DIR}/" || true); do
        [[ "${pid}" == "$$" ]] || kill -KILL "${pid}" 2>/dev/null || true
    done
    node_kill_pods
    # Mounts under the node's directories (rootfs, netns, volumes), deepest first.
    { findmnt -rn -o TARGET | grep -F "${NODE_DIR}/" || true; } | sort -r | while read -r mnt; do
        umount -l "${mnt}" 2>/dev/null || true
    done
    if ip link show "${CNI_BRIDGE}" >/dev/null 2>&1; then ip link delete "${CNI_BRIDGE}" || true; fi
    if command -v nft >/dev/null 2>&1; then
        nft delete table ip kube-proxy 2>/dev/null || true
        nft delete table ip6 kube-proxy 2>/dev/null || true
    fi
    node_clean_iptables
    rm -rf "${NODE_DIR}/cni/ipam" /var/lib/cni/results/"${CNI_NETWORK}"-* 2>/dev/null || true
    if [[ -f "${IP_FORWARD_SAVED}" ]]; then
        cat "${IP_FORWARD_SAVED}" >/proc/sys/net/ipv4/ip_forward 2>/dev/null || true
        rm -f "${IP_FORWARD_SAVED}"
    fi
}

# node_kill_pods kills every process in the kubelet's pod cgroups and
# removes those cgroups, deepest first.
node_kill_pods() {
    local root dir
    for root in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods /sys/fs/cgroup/unified/kubepods; do
        [[ -d "${root}" ]] || continue
        find "${root}" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
        find "${root}" -depth -type d | while read -r dir; do rmdir "${dir}" 2>/dev/null || true; done
    done
}

# node_clean_iptables removes the chains kubelet (KUBE-*) and the CNI
# plugins (CNI-*) add, and the rules that jump to them, in each table.
node_clean_iptables() {
    local cmd table chain rule
    for cmd in iptables ip6tables; do
        command -v "${cmd}" >/dev/null 2>&1 || continue
        for table in filter nat mangle; do
            { "${cmd}" -w -t "${table}" -S 2>/dev/null | grep -E -- '^-A .* -j (KUBE|CNI)-' || true; } | while read -r rule; do
                eval "${cmd} -w -t ${table} -D ${rule#-A }" 2>/dev/null || true
            done
            for chain in $("${cmd}" -w -t "${table}" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ {print $2}'); do
                "${cmd}" -w -t "${table}" -F "${chain}" 2>/dev/null || true
            done
            for chain in $("${cmd}" -w -t "${table}" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ {print $2}'); do
                "${cmd}" -w -t "${table}" -X "${chain}" 2>/dev/null || true
            done
        done
    done
}

# node_leftovers prints what of the node is still on the host, one line
# each; nothing when the host is clean.
node_leftovers() {
    local cmd table
    pgrep -af -- "${NODE_DIR}/" || true
    findmnt -rn -o TARGET | grep -F "${NODE_DIR}/" || true
    ip link show "${CNI_BRIDGE}" 2>/dev/null | head -1 || true
    if command -v nft >/dev/null 2>&1; then nft list tables 2>/dev/null | grep -w kube-proxy || true; fi
    for cmd in iptables ip6tables; do
        command -v "${cmd}" >/dev/null 2>&1 || continue
        for table in filter nat mangle; do
            "${cmd}" -w -t "${table}" -S 2>/dev/null | grep -E -- '^-N (KUBE|CNI)-' | sed "s/^/${cmd} ${table}: /" || true
        done
    done
    ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null || true
}
