#!/usr/bin/env bash
# Runs each native fuzz target of knap's write paths (decode, convert,
# default, validate; pkg/registry/<group>/fuzz_test.go) and of knap-queue's
# request parser (pkg/queue) for a bounded time.
# Go fuzzes one target per invocation. The harness and the invariants every
# target checks are pkg/registry/resource/fuzzing's.
#
#   FUZZTIME   how long each target runs (go test -fuzztime): a duration such
#              as 10s, or a count of executions such as 5000x. Default 10s.
#   FUZZ       a regexp picking targets by name (default: all of them).
#   PKGS       the packages to fuzz (default: pkg/queue and every pkg/registry/<group>/
#              with a fuzz_test.go).
#   FUZZMINIMIZETIME
#              how long Go may spend minimizing each new or failing input
#              (go test -fuzzminimizetime). Default 1s: Go's own default of
#              60s per input spends a short run minimizing rather than
#              exploring (measured: 8 new inputs in 60s at 60s, 64 in 40s
#              at 1s). Failing inputs are kept either way, if less minimal.
#
# The fuzzing cache (the corpus Go grows while fuzzing) lives under _output/.
# Failing inputs are written to pkg/registry/<group>/testdata/fuzz/<Target>/:
# commit them, once the bug is fixed, as regression seeds that every plain
# `go test` run replays.
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

FUZZTIME="${FUZZTIME:-10s}"
FUZZ="${FUZZ:-.}"
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-1s}"
# Every API group's registry package that has fuzz targets, and knap-queue's
# request parser.
PKGS="${PKGS:-$(ls pkg/registry/*/fuzz_test.go | xargs -n1 dirname | sed 's|^|./|; s|$|/|') ./pkg/queue/}"
CACHE="${ROOT}/_output/fuzzcache"
mkdir -p "${CACHE}"

crashers() {
  local files
  shopt -s nullglob
  files=("${PKG}testdata/fuzz/$1"/*)
  shopt -u nullglob
  echo "${#files[@]}"
}

fuzz_once() {
  go test "${PKG}" -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZTIME}" \
    -fuzzminimizetime "${FUZZMINIMIZETIME}" \
    -args -test.fuzzcachedir="${CACHE}" 2>&1 | tee "${LOG}"
  return "${PIPESTATUS[0]}"
}

# fuzz_package runs every matching target of ${PKG}.
fuzz_package() {
  if ! listing=$(go test "${PKG}" -run '^$' -list '^Fuzz'); then
    echo "${listing}" >&2
    failed+=("${PKG}")
    return 0
  fi
  targets=$(grep '^Fuzz' <<<"${listing}" | grep -E -- "${FUZZ}" || true)
  if [[ -z "${targets}" ]]; then
    return 0
  fi

  # Replay the seeds and the committed regression inputs first, without
  # fuzzing. -fuzztime also counts Go's replay of the cached corpus
  # ("gathering baseline coverage"), which grows from run to run, so a short
  # fuzzing run may end before it gets to every committed input.
  echo "=== replaying the seed corpus of ${targets//$'\n'/ }"
  if ! go test "${PKG}" -run "^($(paste -sd'|' <<<"${targets}"))\$"; then
    failed+=("${PKG} seed corpus")
  fi

  for target in ${targets}; do
    echo "=== fuzzing ${target} for ${FUZZTIME}"
    crashers_before=$(crashers "${target}")
    if fuzz_once "${target}"; then
      continue
    fi
    crashers_after=$(crashers "${target}")
    # Go's fuzzer sometimes ends a run with "context deadline exceeded" when
    # -fuzztime expires mid-execution, with no failing input: a toolchain
    # timing artefact, not a finding. Such a run gets one more try.
    if grep -q "context deadline exceeded" "${LOG}" && [[ "${crashers_after}" == "${crashers_before}" ]]; then
      echo "=== ${target}: deadline hit without a failing input; fuzzing once more"
      fuzz_once "${target}" && continue
    fi
    failed+=("${PKG}testdata/fuzz/${target}")
  done
}

# Every target runs even when one fails, so that one run reports them all.
failed=()
LOG=$(mktemp)
trap 'rm -f "${LOG}"' EXIT
for PKG in ${PKGS}; do
  fuzz_package
done
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: failing: ${failed[*]}" >&2
  exit 1
fi
