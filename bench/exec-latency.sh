#!/usr/bin/env bash
# Launch latency of `jsing exec img.sif /bin/true` on a Debian minbase image: the fast path (the starter replaying
# the recorded plan, no JVM) and the full path (JSING_NO_FAST=1: the JVM plans), against Charliecloud's ch-run on the
# same squashfs and `unshare -r true`, in one run (medians from hyperfine); a sequential pipeline of PIPELINE (50)
# launches, jsing against ch-run; and the resident memory of jsing's processes while a container runs (the payload
# and the squashfuse daemon; no JVM remains).
#
#   bench/exec-latency.sh            # as root: runs everything as $JSING_TEST_USER (default jsingtest)
#
# Reuses the installed jsing in $JSING_BENCH_PREFIX (default target/bench-jsing; built and installed with
# scripts/install.sh, which records the class-data archive, when missing) and the minbase squashfs cached by the
# tests (/var/tmp/jsing-test-cache/bookworm-minbase.sqfs; built with debootstrap when missing). Needs hyperfine and
# charliecloud-runtime (scripts/setup-host.sh --test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${JSING_BENCH_PREFIX:-$root/target/bench-jsing}
cache=${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}
runs=${RUNS:-40}
user=${JSING_TEST_USER:-jsingtest}

as_user() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups -- \
      env -i HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"
  else
    "$@"
  fi
}

if [ ! -x "$prefix/bin/jsing" ]; then
  [ -x "$root/runner/target/jsing-dist/bin/jsing" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
  PREFIX=$prefix "$root/scripts/install.sh" >/dev/null
  chmod -R a+rX "$prefix"
fi

mkdir -p "$cache"
sqfs=$cache/bookworm-minbase.sqfs
if [ ! -f "$sqfs" ]; then
  echo "bench: building $sqfs with debootstrap (once)" >&2
  rootfs=$(mktemp -d "$cache/minbase-root-XXXXXX")
  debootstrap --variant=minbase bookworm "$rootfs" "${JSING_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
  mksquashfs "$rootfs" "$sqfs.tmp" -quiet -noappend -comp gzip >/dev/null && mv "$sqfs.tmp" "$sqfs"
  rm -rf "$rootfs"
fi
work=$(mktemp -d /tmp/jsing-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
sif=$work/minbase.sif
siftool new "$sif"
siftool add --datatype 4 --parttype 2 --partfs 1 --partarch 2 --groupid 1 "$sif" "$sqfs"
cp "$sqfs" "$work/minbase.sqfs"
chmod -R a+rX "$work"
[ "$(id -u)" = 0 ] && chown -R "$user" "$work"
cd "$work"

jsing="$prefix/bin/jsing exec $sif /bin/true"
full="env JSING_NO_FAST=1 $prefix/bin/jsing exec $sif /bin/true"
chrun="ch-run $work/minbase.sqfs -- /bin/true"
unsh="unshare -r true"
as_user $prefix/bin/jsing exec "$sif" /bin/true   # warm the metadata cache and the page cache; records the plan
as_user hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/h.json" "$jsing" "$full" "$chrun" "$unsh" >/dev/null 2>&1

# A sequential pipeline: N launches one after the other, jsing (fast path) and ch-run, medians of PIPE_RUNS.
n=${PIPELINE:-50}
printf '#!/bin/sh\ni=0; while [ $i -lt %s ]; do "$@" || exit 1; i=$((i+1)); done\n' "$n" > "$work/seq.sh"
chmod a+rx "$work/seq.sh"
as_user hyperfine -N --warmup 1 --runs "${PIPE_RUNS:-5}" --export-json "$work/p.json" \
  "$work/seq.sh $jsing" "$work/seq.sh $chrun" >/dev/null 2>&1

# Resident memory while a container runs: the payload (it has the PID jsing was started with) and the squashfuse
# daemon it started.
as_user sh -c "$prefix/bin/jsing exec $sif sleep 3 & p=\$!; sleep 1.5;
  rss() { awk '/^VmRSS/ {print \$2}' /proc/\$1/status; }
  f=\$(pgrep -n -u \$(id -u) squashfuse_ll || pgrep -n -u \$(id -u) squashfuse);
  echo \"\$(cat /proc/\$p/comm) \$(rss \$p) \$(cat /proc/\$f/comm) \$(rss \$f)\"
  ps -o comm= -u \$(id -u) | grep -c java || true
  wait \$p" > "$work/rss.txt"

python3 - "$work/h.json" "$work/rss.txt" "$runs" "$work/p.json" "$n" <<'PY'
import json, sys
h = [r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]]
j, full, c, u = h
p = [r["median"] * 1000 for r in json.load(open(sys.argv[4]))["results"]]
rss = open(sys.argv[2]).read().split("\n")
pr, prss, f, frss = rss[0].split()
print(f"jsing exec img.sif /bin/true (fast path: replay) median {j:7.1f} ms   (jsing/ch-run = {j / c:.2f}x)")
print(f"JSING_NO_FAST=1 jsing exec (full path, JVM)      median {full:7.1f} ms   (full/ch-run = {full / c:.2f}x)")
print(f"ch-run img.sqfs -- /bin/true                     median {c:7.1f} ms")
print(f"unshare -r true                                  median {u:7.1f} ms")
print(f"{sys.argv[5]} sequential launches: jsing {p[0]:.0f} ms, ch-run {p[1]:.0f} ms   (jsing/ch-run = {p[0] / p[1]:.2f}x)")
print(f"RSS during a run: payload ({pr}) {int(prss) / 1024:.1f} MiB + {f} {int(frss) / 1024:.1f} MiB"
      f" = {(int(prss) + int(frss)) / 1024:.1f} MiB; java processes: {rss[1].strip()}")
print(f"({sys.argv[3]} runs each, hyperfine -N, one run of bench/exec-latency.sh)")
PY
