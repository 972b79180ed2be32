#!/usr/bin/env bash
# What networks and resource limits add to a launch: `jsing exec SANDBOX /bin/true` on the host's network (the
# baseline, in the same run) against --net (network none), --network slirp (slirp4netns started and ended) and
# --memory/--pids-limit (a cgroup created, joined and removed; a full launch: limits are never replayed), medians of
# hyperfine, with the ratio to the baseline.
#
#   bench/isolation-overhead.sh      # as root: runs everything as $JSING_TEST_USER (default jsingtest), in the cgroup
#                                    # subtree scripts/setup-cgroups.sh delegates to it
#
# Uses the dist at runner/target/jsing-dist (built when missing); needs hyperfine, busybox-static and slirp4netns
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
chmod -R a+rX "$work"
jsing=$work/dist/bin/jsing sb=$work/sb

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
run "$jsing exec $sb /bin/true && $jsing exec --net $sb /bin/true && $jsing exec --network slirp $sb /bin/true"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" \
  -n "exec (host network, baseline)" "sh $cg $jsing exec $sb /bin/true" \
  -n "exec --net (network none)" "sh $cg $jsing exec --net $sb /bin/true" \
  -n "exec --network slirp" "sh $cg $jsing exec --network slirp $sb /bin/true" \
  -n "exec --memory 256m --pids-limit 100" "sh $cg $jsing exec --memory 256m --pids-limit 100 $sb /bin/true" \
  >/dev/null
python3 - "$work/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
print("| launch | median | vs baseline |")
print("|---|---|---|")
for x in r:
    print(f"| `{x['command']}` | {x['median'] * 1000:.1f} ms | {x['median'] / base:.2f}x |")
PY
[ -z "$v2" ] || rmdir "$v2/jsing-test.slice/$user/bench" 2>/dev/null || true
