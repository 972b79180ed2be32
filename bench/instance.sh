#!/usr/bin/env bash
# Instances: the time to start one (`jsing instance start`, until it is up and recorded) and to stop it, and the
# time to run `/bin/true` inside it (`jsing exec instance://NAME /bin/true`: the JVM plans the payload's
# environment, the starter joins the instance's namespaces) against a plain `jsing exec img /bin/true` (the fast
# path, no JVM) and a plain full launch (JSING_NO_FAST=1), all in one run; medians from hyperfine, printed with
# their ratios to the plain exec.
#
#   bench/instance.sh            # as root: runs everything as $JSING_TEST_USER (default jsingtest)
#
# Uses runner/target/jsing-dist (built with ./mvnw package when missing) and the busybox squashfs cached by the
# tests (/var/tmp/jsing-test-cache/busybox-v1.sqfs; run the launcher tests once to make it), or $IMAGE.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-20}
user=${JSING_TEST_USER:-jsingtest}
image=${IMAGE:-${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}/busybox-v1.sqfs}
[ -f "$image" ] || { echo "bench: no image $image (set IMAGE, or run the launcher tests once)" >&2; exit 1; }
[ -x "$root/runner/target/jsing-dist/bin/jsing" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)

work=$(mktemp -d /tmp/jsing-bench-instance-XXXXXX)
cp -r "$root/runner/target/jsing-dist" "$work/dist"
cp "$image" "$work/img.sqfs"
mkdir -m 700 "$work/xdg"
chmod -R a+rX "$work/dist" "$work/img.sqfs"
chmod 755 "$work"
[ "$(id -u)" = 0 ] && chown "$user" "$work" "$work/xdg"
jsing=$work/dist/bin/jsing

as_user() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups -- \
      env -i HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin \
      LANG=C.UTF-8 XDG_RUNTIME_DIR="$work/xdg" "$@"
  else
    env XDG_RUNTIME_DIR="$work/xdg" "$@"
  fi
}
cleanup() {
  as_user "$jsing" -q instance stop --all --force >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

as_user "$jsing" exec img.sqfs /bin/true   # warms the metadata and page caches; records the plan for the fast path
as_user "$jsing" -q instance start img.sqfs bench
as_user hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" \
  "$jsing exec img.sqfs /bin/true" \
  "env JSING_NO_FAST=1 $jsing exec img.sqfs /bin/true" \
  "$jsing exec instance://bench /bin/true" >/dev/null 2>&1
# start and stop, alternately: each start is timed with the stop before it done (hyperfine --prepare), and the
# reverse for stop
as_user "$jsing" -q instance stop bench
as_user hyperfine -N --runs "$runs" --export-json "$work/s.json" \
  --prepare "$jsing -q instance stop --all" "$jsing -q instance start img.sqfs b2" \
  >/dev/null 2>&1
as_user hyperfine -N --runs "$runs" --export-json "$work/t.json" \
  --prepare "$jsing -q instance start img.sqfs b3" "$jsing -q instance stop b3" \
  >/dev/null 2>&1

python3 - "$work/h.json" "$work/s.json" "$work/t.json" "$runs" <<'PY'
import json, sys
med = lambda f: [r["median"] * 1000 for r in json.load(open(f))["results"]]
fast, full, enter = med(sys.argv[1])
start, = med(sys.argv[2])
stop, = med(sys.argv[3])
print(f"jsing exec img /bin/true (fast path)          median {fast:7.1f} ms")
print(f"JSING_NO_FAST=1 jsing exec img /bin/true      median {full:7.1f} ms   ({full / fast:.2f}x the fast path)")
print(f"jsing exec instance://NAME /bin/true          median {enter:7.1f} ms   ({enter / fast:.2f}x the fast path,"
      f" {enter / full:.2f}x the full path)")
print(f"jsing instance start img NAME                 median {start:7.1f} ms   ({start / fast:.2f}x the fast path)")
print(f"jsing instance stop NAME                      median {stop:7.1f} ms   ({stop / fast:.2f}x the fast path)")
print(f"({sys.argv[4]} runs each, hyperfine -N, one run of bench/instance.sh)")
PY
