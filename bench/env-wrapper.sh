#!/usr/bin/env bash
# Benchmark: the cost of the environment wrapper (Apptainer's action-script rules: host variables set aside and
# restored, env scripts sourced, overrides injected after 99-base.sh and evaluated, PS1/PROMPT_COMMAND) that every
# launch of an image with /bin/sh runs before the payload. Runs, with the same /bin/sh, against the baseline
# `sh -c 'exec /bin/true'` measured in the same run:
#   - the wrapper of a plain launch, and of one with overrides (--env with $HOME and $(...), PATH variables), both
#     taken from the planner's golden outputs (runner/src/test/resources/golden/launch/*/plan.golden), over an env
#     directory with the four scripts of an Apptainer image.
#   - the same two wrappers run by the static bash jsing binds in as their interpreter (README "Environment
#     scripts": bash -p, Debian's bash-static), against the same baseline: the interpreter's own launch cost.
#   bench/env-wrapper.sh        (RUNS, default 200; BASH_STATIC, default the first bash-static on PATH)
# Prints the medians and the ratios against the baseline (hyperfine -N). The overrides case runs one $(id -u).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { echo "env-wrapper: hyperfine is needed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/jsing-bench-env.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/env"
echo 'export PATH=/opt/tool/bin:$PATH' > "$work/env/10-docker2singularity.sh"
echo 'export LATE=image90' > "$work/env/90-environment.sh"
echo 'export BASE=base PS1="Apptainer> "' > "$work/env/99-base.sh"
echo 'export AFTER="$LATE-after"' > "$work/env/99-runtimevars.sh"
for c in default-exec env-eval-path; do
  sed -n '/^--- wrapper script$/,$p' "$root/runner/src/test/resources/golden/launch/$c/plan.golden" | tail -n +2 \
    | sed "s#/.singularity.d/env#$work/env#g; s#=\"/only\"#=\"/usr/bin:/bin\"#" > "$work/$c.sh"
done
export __JSING_HOST="LANG TERM USER" LANG=C.UTF-8 TERM=xterm USER=bench
runs=${RUNS:-200}
bs=${BASH_STATIC:-$(command -v bash-static || true)}
[ -x "$bs" ] || { echo "env-wrapper: bash-static is needed (scripts/setup-host.sh)" >&2; exit 1; }
hyperfine -N --warmup 20 --runs "$runs" --export-json "$work/h.json" \
  "/bin/sh -c 'exec /bin/true'" \
  "/bin/sh $work/default-exec.sh /bin/true" \
  "/bin/sh $work/env-eval-path.sh /bin/true" \
  "$bs -p $work/default-exec.sh /bin/true" \
  "$bs -p $work/env-eval-path.sh /bin/true" >/dev/null
python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
base=r[0]["median"]
names=["sh -c exec /bin/true (baseline)", "wrapper, plain launch", "wrapper, with overrides",
       "bash-static wrapper, plain launch", "bash-static wrapper, overrides"]
for i in range(5):
    print("%-34s median %6.2f ms  ratio %.2f" % (names[i], r[i]["median"]*1000, r[i]["median"]/base))' "$work/h.json"
