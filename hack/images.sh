#!/usr/bin/env bash
# Builds the local container images (`make images`): the e2e test apps, the
# pod sandbox's pause image and, as their cmd/<x> packages appear, knap's own
# data-plane images. Each is one static linux/amd64 binary packed by
# hack/image into _output/images/<name>.tar as knap.local/<name>:<tag>; an
# archive is repacked only when its binary (or the packer) changed.
#
#   CONTAINERD_ADDRESS=/path/containerd.sock  also import every archive into
#                   that containerd's k8s.io namespace (where the kubelet's
#                   CRI looks), unpacked, so pods use them with
#                   imagePullPolicy IfNotPresent or Never. CONTAINERD_SNAPSHOTTER
#                   (read by ctr) picks the snapshotter to unpack into.
#   REGISTRY=host/prefix  push host/prefix/<name>:<tag> instead (credentials
#                   from ~/.docker/config.json); no archives, no import.
#   IMAGE_TAG       the tag (default dev).
#
# Prints one KEY=value line per image on stdout for the env file, e.g.
# HELLO_IMAGE=knap.local/hello:dev (with REGISTRY, the pushed name@digest);
# everything else goes to stderr.
set -o errexit -o nounset -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="${ROOT}/_output/images"
BIN="${OUT}/bin"
TAG="${IMAGE_TAG:-dev}"
REGISTRY="${REGISTRY:-}"
CONTAINERD_ADDRESS="${CONTAINERD_ADDRESS:-}"

# The one list of images: name, Go package, env-file key. An entry whose
# package does not exist yet (knap's own cmd/<x>) is skipped, so knap's
# images join by their cmd/ directory appearing; add new ones here.
IMAGES=(
    "hello        ./test/apps/hello     HELLO_IMAGE"
    "recorder     ./test/apps/recorder  RECORDER_IMAGE"
    "step         ./test/apps/step      STEP_IMAGE"
    "pause        ./hack/image/pause    PAUSE_IMAGE"
    "knap-queue   ./cmd/queue           QUEUE_IMAGE"
    "knap-gateway ./cmd/gateway         GATEWAY_IMAGE"
    "knap-broker  ./cmd/broker          BROKER_IMAGE"
)

log() { echo "images: $*" >&2; }
die() { log "$*"; exit 1; }

mkdir -p "${BIN}"
if [[ -n "${CONTAINERD_ADDRESS}" && -z "${REGISTRY}" ]]; then
    command -v ctr >/dev/null || die "CONTAINERD_ADDRESS is set but ctr is missing (apt-get install containerd)"
    [[ -S "${CONTAINERD_ADDRESS}" ]] || die "CONTAINERD_ADDRESS=${CONTAINERD_ADDRESS} is not a socket: is containerd running?"
fi

# The packer runs on this machine, so it is built for it.
go -C "${ROOT}" build -o "${BIN}/image" ./hack/image
packer_sum=$(sha256sum "${BIN}/image" | cut -d' ' -f1)

# The entries whose package exists.
names=() pkgs=() keys=()
for entry in "${IMAGES[@]}"; do
    read -r name pkg key <<<"${entry}"
    if [[ ! -d "${ROOT}/${pkg}" ]]; then
        log "skipping ${name}: ${pkg} does not exist yet"
        continue
    fi
    names+=("${name}") pkgs+=("${pkg}") keys+=("${key}")
done
log "building ${names[*]} (static linux/amd64)"
mkdir -p "${BIN}/linux_amd64"
for i in "${!names[@]}"; do
    # One go build per binary, to name it after its image; the build cache
    # compiles the packages they share once.
    CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go -C "${ROOT}" build -trimpath \
        -o "${BIN}/linux_amd64/${names[$i]}" "${pkgs[$i]}"
done

for i in "${!names[@]}"; do
    name=${names[$i]} key=${keys[$i]}
    binary="${BIN}/linux_amd64/${name}"
    ref="knap.local/${name}:${TAG}"

    if [[ -n "${REGISTRY}" ]]; then
        pushed=$(REGISTRY="${REGISTRY}" "${BIN}/image" build --binary "${binary}" --name "${ref}" --push)
        echo "${key}=${pushed}"
        continue
    fi

    tarball="${OUT}/${name}.tar"
    stamp="${OUT}/${name}.tar.inputs"
    inputs="$(sha256sum "${binary}" | cut -d' ' -f1) ${packer_sum} ${ref}"
    if [[ -f "${tarball}" && -f "${stamp}" && "$(cat "${stamp}")" == "${inputs}" ]]; then
        log "${ref}: up to date (${tarball#"${ROOT}/"})"
    else
        rm -f "${stamp}"
        REGISTRY= "${BIN}/image" build --binary "${binary}" --name "${ref}" --out "${tarball}" >/dev/null
        echo "${inputs}" >"${stamp}"
    fi

    if [[ -n "${CONTAINERD_ADDRESS}" ]]; then
        log "${ref}: importing into containerd at ${CONTAINERD_ADDRESS} (namespace k8s.io)"
        ctr --address "${CONTAINERD_ADDRESS}" -n k8s.io images import --no-unpack=false "${tarball}" >&2 ||
            die "importing ${tarball} into ${CONTAINERD_ADDRESS} failed"
    fi
    echo "${key}=${ref}"
done
