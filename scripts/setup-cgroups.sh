#!/usr/bin/env bash
# Test setup for resource limits (run as root by setup-host.sh --test; idempotent): delegate a cgroup subtree to the
# test user as a site or systemd would, so that CgroupLimitsIT tests cgroup v2 and v1 for real.
#
# 1. A hybrid host (cgroup v1 controllers plus a cgroup2 mount, as this project's CI machine) gets its idle v1
#    controllers moved to cgroup v2: a v1 hierarchy with no child cgroups is unmounted, which frees its controller for
#    cgroup2. A controller whose hierarchy has child cgroups or open files (in use by someone) stays on v1. On this
#    project's CI machine every v1 hierarchy is held open by the VM's agent, so all of memory, cpu, cpuset, pids and
#    blkio are tested on v1, and cgroup v2 (which offers hugetlb only there) through --apply-cgroups [unified].
# 2. cgroup v2: <cgroup2>/jsing-test.slice (root's, controllers handed down) and in it <user>/, owned by the user
#    (directory, cgroup.procs, cgroup.subtree_control, cgroup.threads: what systemd's Delegate=yes chowns). The tests
#    start the user's processes in a leaf below it, as a login session would be.
# 3. cgroup v1: <mount>/jsing-test.slice/<user>/ in each hierarchy with a controller jsing limits, chowned to the user.
set -euo pipefail
user=${JSING_TEST_USER:-jsingtest}
slice=jsing-test.slice
v2=$(findmnt -rn -t cgroup2 -o TARGET | head -1 || true)

v2_name() { [ "$1" = blkio ] && echo io || echo "$1"; }

if [ -n "$v2" ]; then
  for c in pids cpu cpuset blkio; do
    m=$(findmnt -rn -t cgroup -o TARGET,OPTIONS | awk -v c="$c" '{ n = split($2, o, ","); for (i = 1; i <= n; i++)
      if (o[i] == c) print $1 }' | head -1)
    [ -n "$m" ] || continue
    if [ -n "$(find "$m" -mindepth 1 -maxdepth 1 -type d -print -quit)" ]; then
      echo "setup-cgroups: $c stays on cgroup v1 ($m has child cgroups)"
      continue
    fi
    if ! umount "$m" 2>/dev/null; then
      echo "setup-cgroups: $c stays on cgroup v1 ($m is busy: a process holds files of it open)"
      continue
    fi
    for _ in $(seq 50); do grep -qw "$(v2_name "$c")" "$v2/cgroup.controllers" && break; sleep 0.1; done
    if grep -qw "$(v2_name "$c")" "$v2/cgroup.controllers"; then
      echo "setup-cgroups: moved $c to cgroup v2 ($v2)"
    else
      # still bound to its v1 hierarchy (an fd opened elsewhere keeps it alive): put the mount back
      mount -t cgroup -o "$c" cgroup "$m"
      echo "setup-cgroups: $c stays on cgroup v1 (its hierarchy is still in use)"
    fi
  done
  offered=$(cat "$v2/cgroup.controllers")
  want=""
  for c in memory pids cpu cpuset io hugetlb; do
    case " $offered " in *" $c "*) want="$want +$c" ;; esac
  done
  if [ -n "$want" ]; then
    echo "$want" > "$v2/cgroup.subtree_control"
    mkdir -p "$v2/$slice"
    echo "$want" > "$v2/$slice/cgroup.subtree_control"
    mkdir -p "$v2/$slice/$user"
    chown "$user:" "$v2/$slice/$user" "$v2/$slice/$user/cgroup.procs" "$v2/$slice/$user/cgroup.subtree_control" \
      "$v2/$slice/$user/cgroup.threads"
    echo "setup-cgroups: delegated $v2/$slice/$user to $user ($want)"
  fi
fi

findmnt -rn -t cgroup -o TARGET,OPTIONS | while read -r m opts; do
  case ",$opts," in *,memory,*|*,pids,*|*,cpu,*|*,cpuset,*|*,blkio,*) ;; *) continue ;; esac
  mkdir -p "$m/$slice/$user"
  if [ -e "$m/$slice/cpuset.cpus" ]; then   # v1 cpusets start empty and refuse processes
    cat "$m/cpuset.cpus" > "$m/$slice/cpuset.cpus"; cat "$m/cpuset.mems" > "$m/$slice/cpuset.mems"
    cat "$m/cpuset.cpus" > "$m/$slice/$user/cpuset.cpus"; cat "$m/cpuset.mems" > "$m/$slice/$user/cpuset.mems"
  fi
  chown -R "$user:" "$m/$slice/$user"
  echo "setup-cgroups: delegated $m/$slice/$user to $user (cgroup v1)"
done
