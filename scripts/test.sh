#!/usr/bin/env bash
# Command 2 of the README: the whole test suite. Installs what the tests need (tools, the unprivileged test user),
# then runs unit tests and integration tests (*IT) with the real tools. Launcher tests run as the test user.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup-host.sh --test
export JSING_TEST_USER=${JSING_TEST_USER:-jsingtest}
./mvnw -B verify "$@"
