#!/usr/bin/env bash
# Command 1 of the README: set up a fresh machine, build and install jsing into dist/, then run the main job
# (examples/quickstart: build an image from a definition file and run it) as an unprivileged user: the user who
# called sudo, or the current user, or (when run as plain root) the test user that setup creates.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "$(id -u)" = 0 ] && [ -z "${SUDO_USER:-}" ]; then
  scripts/setup-host.sh --test       # creates the unprivileged user (with a subuid range) to run as
  user=${JSING_TEST_USER:-jsingtest}
else
  scripts/setup-host.sh
  user=${SUDO_USER:-$(id -un)}
fi
./mvnw -B -q -DskipTests package
scripts/install.sh
if [ "$(id -un)" = "$user" ]; then
  exec examples/quickstart/run.sh "$root/dist/bin/jsing" "$root/hello.sif"
fi
# The user must be able to read the checkout and write the image: build in a directory of theirs.
out_dir=$(runuser -u "$user" -- mktemp -d /tmp/jsing-quickstart.XXXXXX)
cp -R "$root/dist" "$out_dir/dist" && cp -R examples/quickstart "$out_dir/quickstart" && chown -R "$user:" "$out_dir"
cd /tmp
runuser -u "$user" -- "$out_dir/quickstart/run.sh" "$out_dir/dist/bin/jsing" "$out_dir/hello.sif"
echo "quickstart: the image is $out_dir/hello.sif (owned by $user)"
