#!/usr/bin/env bash
# The bounded fuzz tests (issue #17) as a longer run: the same tests CI runs (SifFuzzTest, definition-parser's
# FuzzTest, LayerFuzzTest, and LaunchFuzzIT as the unprivileged test user), with a fresh seed and SCALE times the CI
# input counts. Each test prints its seed, inputs, inputs per second and outcomes; a failure names the seed and the
# input (-Djsing.fuzz.seed=S -Djsing.fuzz.only=I reruns it alone; -Djsing.fuzz.keep=DIR keeps the SIF/launch inputs).
#   bench/fuzz.sh [SCALE [SEED]]            (default: SCALE=20, SEED=the current time)
#   FUZZ_ITS=0 bench/fuzz.sh 50             (library fuzzers only, no launches)
# The launch fuzzer needs what the integration tests need (scripts/setup-host.sh --test, root for setpriv).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scale=${1:-20}
seed=${2:-$(date +%s)}
echo "fuzz: seed $seed, scale $scale"
props=(-Djsing.fuzz.seed="$seed" -Djsing.fuzz.scale="$scale" -Dsurefire.failIfNoSpecifiedTests=false
  -Dfailsafe.failIfNoSpecifiedTests=false)
./mvnw -o -B -q -pl image-sif,definition-parser,oci -am test -Dtest='SifFuzzTest,FuzzTest,LayerFuzzTest' "${props[@]}" \
  | grep -E '^fuzz |AssertionError|FAIL'
if [ "${FUZZ_ITS:-1}" = 1 ]; then
  JSING_TEST_USER=${JSING_TEST_USER:-jsingtest} ./mvnw -o -B -pl runner -am verify -Dtest=none \
    -Dit.test=LaunchFuzzIT "${props[@]}" | grep -E '^fuzz |Tests run:|FAIL' || true
fi
