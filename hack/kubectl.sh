#!/usr/bin/env bash
# Prints the path of the kubectl that scripts and tests must use: the one
# hack/tools/build.sh builds from k8s.io/kubectl v0.37.2 into _output/bin/kubectl
# (built on first use, cached after). Never the machine's own kubectl, so every
# machine runs the same client version.
#
#   KUBECTL="$(hack/kubectl.sh)"
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"${HACK_DIR}/tools/build.sh" kubectl
