#!/usr/bin/env bash
# Command 1 of the README: set up a fresh machine, build and install jsing into dist/, and run its main job on the
# example in examples/quickstart.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup-host.sh
./mvnw -B -q -DskipTests package
scripts/install.sh
exec examples/quickstart/run.sh "$root/dist/bin/jsing"
