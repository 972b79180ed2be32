#!/usr/bin/env bash
# Command 2 of the README: the whole test suite. Installs what the tests need (tools, the unprivileged test user),
# then runs unit tests and integration tests (*IT) with the real tools. Launcher tests run as the test user.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The integration suite installs tools, creates the test user and starts Slurm and registries: it needs root.
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "test: the integration suite needs root or sudo (run as root, or install sudo); unit tests alone: ./mvnw -DskipITs verify" >&2
  exit 1
fi
scripts/setup-host.sh --test
# The Slurm/MPI tests (examples/): a one-node Slurm cluster on localhost, and Open MPI's mpi.jar for the Java example.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_root scripts/start-slurm.sh
# The registry tests (runner dev.jsing.runner.registry): local CNCF distribution registries (open, basic, token auth).
as_root scripts/start-registry.sh
as_root scripts/build-mpi-jar.sh "${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}/mpi-java"
export JSING_TEST_USER=${JSING_TEST_USER:-jsingtest}
# The suite runs on the fast path: the tests' launches are primed (recorded first) so that they replay without a JVM
# (JSING_IT_REPLAY=0: all on the full path); the starter logs each launch here and the count is printed at the end.
export JSING_FAST_LOG=${JSING_FAST_LOG:-$(mktemp /tmp/jsing-fast-log-XXXXXX)}
chmod 0666 "$JSING_FAST_LOG"
./mvnw -B verify "$@"
echo "test: launches through bin/jsing: $(grep -c '^replay ' "$JSING_FAST_LOG" || true) replayed without a JVM," \
  "$(grep -c '^full ' "$JSING_FAST_LOG" || true) full (reasons: $(sed -n 's/^full \([^:]*\).*/\1/p' "$JSING_FAST_LOG" | sort | uniq -c | sort -rn | head -5 | tr -s ' ' | paste -sd, -))"
