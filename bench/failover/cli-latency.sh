#!/bin/bash
# cli-latency.sh NODE [RUNS=10] - the administrator's commands timed inside a running cluster node
# (the loop runs in the node, so neither nsenter nor bash start-up is counted), on whichever
# stack cluster.sh was brought up with (STACK=ours|real, same FO_* knobs).
# Prints one row per command: min / median / max wall milliseconds over RUNS runs.
# pcs resource create adds DummyN resources and deletes them again at the end.
set -u
A=$(cd "$(dirname "$0")" && pwd)
n=${1:-1}; runs=${2:-10}
"$A/cluster.sh" exec "$n" bash -s "$runs" <<'INNER'
runs=$1
ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", (b-a)*1000}'; }
lat() { # lat LABEL CMD... ; CMD may use $k (the run number)
	local label=$1; shift; local t0 t1 ts=() k
	for k in $(seq 1 "$runs"); do
		t0=$EPOCHREALTIME; eval "$@" >/dev/null 2>&1; t1=$EPOCHREALTIME
		ts+=("$(ms "$t0" "$t1")")
	done
	printf '%s\n' "${ts[@]}" | sort -n | awk -v l="$label" '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "| %-44s | %7.1f | %7.1f | %7.1f |\n", l, a[1], m, a[NR]}'
}
echo "| command | min ms | median ms | max ms |"
echo "|---|---|---|---|"
lat '`crm_mon -1`' crm_mon -1
lat '`cibadmin --query`' cibadmin --query
lat '`pcs status`' pcs status
lat '`pcs resource create DummyN ocf:pacemaker:Dummy`' 'pcs resource create LatDummy$k ocf:pacemaker:Dummy'
lat '`true` (the loop itself)' true
for k in $(seq 1 "$runs"); do pcs resource delete "LatDummy$k" >/dev/null 2>&1; done
INNER
