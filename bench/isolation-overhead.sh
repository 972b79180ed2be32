#!/usr/bin/env bash
# What networks and resource limits add to a launch: `jsing exec IMAGE.sqfs /bin/true` on the host's network (the
# baseline, in the same run; replayed without a JVM) against --net (network none), --network slirp (slirp4netns started and ended) and
# --memory/--pids-limit (a cgroup created, joined and removed; a full launch: limits are never replayed), medians of
# RUNS interleaved rounds (each command once per round), with the ratio to the baseline.
#
#   bench/isolation-overhead.sh      # as root: runs everything as $JSING_TEST_USER (default jsingtest), in the cgroup
#                                    # subtree scripts/setup-cgroups.sh delegates to it
#
# Uses the dist at runner/target/jsing-dist (built when missing); needs busybox-static, squashfs-tools, slirp4netns
# and python3
# (scripts/setup-host.sh --test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-30}
user=${JSING_TEST_USER:-jsingtest}
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it places the test user in its delegated cgroups)" >&2; exit 1; }
[ -x "$root/runner/target/jsing-dist/bin/jsing" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
work=$(mktemp -d /tmp/jsing-bench-isolation-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -a "$root/runner/target/jsing-dist" "$work/dist"
mkdir -p "$work/sb/bin" "$work/sb/etc" "$work/sb/tmp"
cp /bin/busybox "$work/sb/bin/"
for a in sh true; do ln -s busybox "$work/sb/bin/$a"; done
mksquashfs "$work/sb" "$work/sb.sqfs" -quiet -no-progress -all-root >/dev/null   # a squashfs image: replayed
chmod -R a+rX "$work"
jsing=$work/dist/bin/jsing sb=$work/sb.sqfs

# The user's session in its delegated cgroups, as a login would place it (v2: a leaf below the delegated directory).
cg=$work/cgroups.sh
v2=$(findmnt -rn -t cgroup2 -o TARGET | head -1 || true)
{

  if [ -n "$v2" ] && [ -d "$v2/jsing-test.slice/$user" ]; then
    mkdir -p "$v2/jsing-test.slice/$user/bench"
    echo "echo \$\$ > $v2/jsing-test.slice/$user/bench/cgroup.procs"
  fi
  findmnt -rn -t cgroup -o TARGET | while read -r m; do
    [ -d "$m/jsing-test.slice/$user" ] && echo "echo \$\$ > $m/jsing-test.slice/$user/cgroup.procs"
  done
  echo "exec setpriv --reuid=$(id -u "$user") --regid=$(id -g "$user") --init-groups -- env -i HOME=/tmp USER=$user PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 JAVA_HOME=${JAVA_HOME:-} \"\$@\""
} > "$cg"
chmod 755 "$cg"

run() { sh "$cg" sh -c "$1" >/dev/null 2>&1; }
names=("exec (host network, baseline)" "exec --net (network none)" "exec --network slirp"
       "exec --memory 256m --pids-limit 100 (a full launch)")
cmds=("$jsing exec $sb /bin/true" "$jsing exec --net $sb /bin/true" "$jsing exec --network slirp $sb /bin/true"
      "$jsing exec --memory 256m --pids-limit 100 $sb /bin/true")
for c in "${cmds[@]}"; do run "$c"; run "$c"; done   # warm-up; records the replay entries
# Interleaved (one of each per round, in turn), so that the load of a shared machine falls on all of them alike.
for r in $(seq "$runs"); do
  for k in 0 1 2 3; do
    t0=$(date +%s%N); run "${cmds[$k]}"; t1=$(date +%s%N)
    echo "$k $(( (t1 - t0) / 1000 ))" >> "$work/times"
  done
done
python3 - "$work/times" "${names[@]}" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    k, us = line.split()
    times.setdefault(int(k), []).append(int(us) / 1000)
names = sys.argv[2:]
base = statistics.median(times[0])
print("| launch | median | vs baseline |")
print("|---|---|---|")
for k, name in enumerate(names):
    m = statistics.median(times[k])
    print(f"| `{name}` | {m:.1f} ms | {m / base:.2f}x |")
PY
[ -z "$v2" ] || rmdir "$v2/jsing-test.slice/$user/bench" 2>/dev/null || true
