#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu machine for jsing: install the external tools it drives, make /dev/fuse usable by
# ordinary users (its standard mode on Debian; udev sets it, but containers and minimal VMs often lack udev), and
# create the unprivileged test user with a subordinate id range. Idempotent; needs root only for what is missing.
#
#   scripts/setup-host.sh [--test]     --test also creates the test user (JSING_TEST_USER, default jsingtest)
set -euo pipefail

packages=(
  squashfs-tools squashfuse fuse3 siftool debootstrap uidmap e2fsprogs fuse2fs fuse-overlayfs
  gcc libc6-dev make procps util-linux ca-certificates curl unzip slirp4netns
  openjdk-17-jdk-headless bash-static
)
# golang-go, golang-github-sylabs-sif-dev: the reference SIF library, built into a verifier by build-test-tools.sh.
test_packages=(hyperfine charliecloud-runtime umoci busybox-static golang-go golang-github-sylabs-sif-dev)

want_test=0
[ "${1:-}" = "--test" ] && want_test=1
all=("${packages[@]}")
[ "$want_test" = 1 ] && all+=("${test_packages[@]}")

missing=()
for p in "${all[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A JDK of 17 or later from elsewhere (Temurin) is as good as Debian's.
if printf '%s\n' "${missing[@]:-}" | grep -qx openjdk-17-jdk-headless && command -v javac >/dev/null; then
  missing=("${missing[@]/openjdk-17-jdk-headless}")
fi
missing=($(printf '%s\n' "${missing[@]:-}" | grep -v '^$' || true))

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "setup-host: need root for: $*" >&2; exit 1; fi; }

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# /dev/fuse is 0666 on a normal Debian system; FUSE mounts inside a user namespace need it.
if [ -c /dev/fuse ] && [ "$(stat -c %a /dev/fuse)" != 666 ]; then
  as_root chmod 0666 /dev/fuse
fi

# /dev/net/tun is 0666 on a normal Debian system too; --network slirp (slirp4netns) opens it in the user namespace.
if [ -c /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
  as_root chmod 0666 /dev/net/tun
fi

if [ "$want_test" = 1 ]; then
  user=${JSING_TEST_USER:-jsingtest}
  if ! id "$user" >/dev/null 2>&1; then
    as_root useradd --create-home --shell /bin/bash "$user"
  fi
  # A subordinate id range, so fakeroot builds can map the ids apt uses.
  grep -q "^$user:" /etc/subuid 2>/dev/null || echo "$user:200000:65536" | as_root tee -a /etc/subuid >/dev/null
  grep -q "^$user:" /etc/subgid 2>/dev/null || echo "$user:200000:65536" | as_root tee -a /etc/subgid >/dev/null
  # A second unprivileged user (JSING_TEST_OTHER_USER), whose files and processes EscapeProbeIT must not reach. No
  # subordinate ids: it never runs containers.
  other=${JSING_TEST_OTHER_USER:-jsingother}
  if ! id "$other" >/dev/null 2>&1; then
    as_root useradd --create-home --shell /bin/bash "$other"
  fi
  as_root chmod 0700 "$(getent passwd "$other" | cut -d: -f6)"
  # A cgroup subtree delegated to the test user (cgroup v2 and v1), for the resource limit tests.
  as_root env JSING_TEST_USER="$user" "$(dirname "$0")/setup-cgroups.sh"
  # Test tools built from test-tools/ (the reference library's signature verifier), cached by their source.
  "$(dirname "$0")/build-test-tools.sh"
  # A synthetic GPU driver (libraries in the ld.so cache, nvidia-smi, /dev/nvidia0) for the --nv/--rocm/CDI tests.
  as_root "$(dirname "$0")/setup-test-gpu.sh"
fi
echo "setup-host: ready"
