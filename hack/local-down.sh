#!/usr/bin/env bash
# Stops a running hack/local-up.sh (`make stop`) and removes what its node
# left on the host, even if the script itself was killed: processes started
# from the local directory, containers, mounts, the bridge, kube-proxy's
# nftables table, KUBE-/CNI- iptables chains, pod cgroups.
#
# Environment: KNAP_LOCAL_DIR (default _output/local), as for local-up.sh.
set -o errexit -o nounset -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="${KNAP_LOCAL_DIR:-${ROOT}/_output/local}"
[[ -d "${LOCAL}" ]] || exit 0
LOCAL=$(cd "${LOCAL}" && pwd)

log() { echo "local-down: $*" >&2; }

pid_file="${LOCAL}/local-up.pid"
if [[ -f "${pid_file}" ]] && kill -TERM "$(cat "${pid_file}")" 2>/dev/null; then
    log "stopping local-up (pid $(cat "${pid_file}"))"
    for _ in $(seq 1 240); do
        [[ -f "${pid_file}" ]] && kill -0 "$(cat "${pid_file}")" 2>/dev/null || break
        sleep 0.5
    done
fi
rm -f "${pid_file}" "${LOCAL}/env"

# Whatever a killed run left running: its processes name the directory.
for pid in $(pgrep -f -- "${LOCAL}/" || true); do
    [[ "${pid}" == "$$" ]] || kill -KILL "${pid}" 2>/dev/null || true
done
if [[ $(id -u) == 0 ]]; then
    source "${ROOT}/hack/lib/node.sh"
    node_cleanup
    left=$(node_leftovers)
    if [[ -n "${left}" ]]; then
        log "still on the host:"
        echo "${left}" >&2
        exit 1
    fi
fi
