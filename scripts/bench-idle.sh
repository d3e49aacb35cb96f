#!/usr/bin/env bash
# Idle cost and CLI latency of our whole stack on a local N-node cluster (127.0.0.x), measured the
# way ../shared/bench/real-stack/measure.sh measured the real one: per-node VmRSS of corosync and
# pacemakerd with a resource running, CPU over IDLE seconds from /proc/PID/stat, and the median of
# 10 runs of the administrator's commands on node 1.
#   scripts/bench-idle.sh [NODES=2] [IDLE_SECONDS=60]
# Needs ./build.sh (artifacts/bin). Every process it starts is tracked by local-cluster.sh and
# stopped on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2}; idle=${2:-60}
dir=$(mktemp -d /tmp/bench-idle.XXXXXX)
lc() { scripts/local-cluster.sh "$@"; }
trap 'lc down "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
on1() { lc run "$dir" 1 "$@"; }
bin=${BIN:-$PWD/artifacts/bin}
direct1() { local name=$1; shift; HA_ROOT=$dir/n1 "$bin/$name" "$@"; } # no wrapper: what an administrator runs

t0=$(date +%s.%N)
lc up "$dir" "$nodes" >/dev/null
on1 pcs property set stonith-enabled=false >/dev/null
on1 pcs resource create Dummy1 ocf:pacemaker:Dummy op monitor interval=10s >/dev/null
for _ in $(seq 1 100); do on1 crm_mon -1 2>/dev/null | grep -q 'Dummy1.*Started' && break; sleep 0.2; done
on1 crm_mon -1 | grep -q 'Dummy1.*Started' || { echo "Dummy1 did not start" >&2; on1 crm_mon -1 >&2; exit 1; }
echo "cluster of $nodes nodes up with Dummy1 started in $(echo "$(date +%s.%N) - $t0" | bc) s (load $(cut -d' ' -f1-3 /proc/loadavg))"

tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A before
while read -r pid what node; do before[$pid]=$(cpu "$pid"); done < "$dir/pids"
sleep "$idle"
echo
echo "| node | daemon | VmRSS | CPU in ${idle} s |"
echo "|---|---|---|---|"
total=0
while read -r pid what node; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  used=$(( $(cpu "$pid") - ${before[$pid]} ))
  printf '| node%s | %s | %s kB | %.2f s |\n' "$node" "$what" "$rss" "$(echo "$used / $tick" | bc -l)"
  [ "$node" = 1 ] && total=$((total + rss))
done < "$dir/pids"
echo
echo "node1 corosync + pacemakerd: $total kB (real stack, from its README: 216,412 kB with knet, about 151,700 kB with udpu)"

median10() { # median10 CMD...: wall seconds, median of 10 runs
  local times=()
  for _ in $(seq 1 10); do
    local s; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; times+=($(( ($(date +%s%N) - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "min %.1f ms, median %.1f ms, max %.1f ms", a[1]/1000, (a[5]+a[6])/2000, a[NR]/1000}'
}
echo
echo "| command (node1, 10 runs) | ours | real (its README) |"
echo "|---|---|---|"
echo "| \`crm_mon -1\` | $(median10 direct1 crm_mon -1) | median 21 ms |"
echo "| \`cibadmin --query\` | $(median10 direct1 cibadmin --query) | median 18 ms |"
echo "| \`pcs status\` | $(median10 direct1 pcs status) | median 591 ms |"
n=0
create() { n=$((n + 1)); direct1 pcs resource create "DummyN$n" ocf:pacemaker:Dummy; }
echo "| \`pcs resource create DummyN ocf:pacemaker:Dummy\` | $(median10 create) | median 660 ms |"
echo "| \`true\` (shell overhead) | $(median10 true) | 9 ms (nsenter) |"
