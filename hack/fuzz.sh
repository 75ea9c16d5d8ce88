#!/usr/bin/env bash
# Runs each native fuzz target of the serving.knative.dev write path (decode,
# convert, default, validate; pkg/registry/serving/fuzz_test.go) for a bounded
# time. Go fuzzes one target per invocation.
#
#   FUZZTIME   how long each target runs (go test -fuzztime): a duration such
#              as 10s, or a count of executions such as 5000x. Default 10s.
#   FUZZ       a regexp picking targets by name (default: all of them).
#   FUZZMINIMIZETIME
#              how long Go may spend minimizing each new or failing input
#              (go test -fuzzminimizetime). Default 1s: Go's own default of
#              60s per input spends a short run minimizing rather than
#              exploring (measured: 8 new inputs in 60s at 60s, 64 in 40s
#              at 1s). Failing inputs are kept either way, if less minimal.
#
# The fuzzing cache (the corpus Go grows while fuzzing) lives under _output/.
# Failing inputs are written to pkg/registry/serving/testdata/fuzz/<Target>/:
# commit them, once the bug is fixed, as regression seeds that every plain
# `go test` run replays.
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

FUZZTIME="${FUZZTIME:-10s}"
FUZZ="${FUZZ:-.}"
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-1s}"
PKG=./pkg/registry/serving/
CACHE="${ROOT}/_output/fuzzcache"
mkdir -p "${CACHE}"

if ! listing=$(go test "${PKG}" -run '^$' -list '^Fuzz'); then
  echo "${listing}" >&2
  exit 1
fi
targets=$(grep '^Fuzz' <<<"${listing}" | grep -E -- "${FUZZ}" || true)
if [[ -z "${targets}" ]]; then
  echo "fuzz.sh: no fuzz target in ${PKG} matches '${FUZZ}'" >&2
  exit 1
fi

# Every target runs even when one fails, so that one run reports them all.
failed=()

# Replay the seeds and the committed regression inputs first, without
# fuzzing. -fuzztime also counts Go's replay of the cached corpus
# ("gathering baseline coverage"), which grows from run to run, so a short
# fuzzing run may end before it gets to every committed input.
echo "=== replaying the seed corpus of ${targets//$'\n'/ }"
if ! go test "${PKG}" -run "^($(paste -sd'|' <<<"${targets}"))\$"; then
  failed+=("seed-corpus")
fi

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

LOG=$(mktemp)
trap 'rm -f "${LOG}"' EXIT
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
  failed+=("${target}")
done
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: failing targets: ${failed[*]}; their inputs are in ${PKG}testdata/fuzz/" >&2
  exit 1
fi
