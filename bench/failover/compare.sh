#!/bin/bash
# compare.sh RUNS NODES [STACKS] [TOKENS] - side by side in one run, with the same poller and analysis:
#   for each token (default: "default 1000"), for each stack (default: "real mixed"):
#   cluster.sh up NODES, setup-resources.sh, failover.sh SCENARIO RUNS for each scenario, cluster.sh down.
# SCENARIOS (environment, default "crash"): any of crash netcut standby, measured on one cluster.
# The stacks alternate inside each token so that machine load drifts hit both alike.
# The load average is sampled every 5 s while a cell runs: $FO_RUNS/<label>/loadavg.txt, and its
# min / max (1-minute figure) is printed with the cell's end.
# Results: $FO_RUNS/<stack>-t<token>-<N>node/results.jsonl, then the summarize.py table.
set -u
A=$(cd "$(dirname "$0")" && pwd)
RUNS=${1:-3} N=${2:-3} STACKS=${3:-real mixed} TOKENS=${4:-default 1000}
SCENARIOS=${SCENARIOS:-crash}
export FO_RUNS=${FO_RUNS:-$A/runs}
labels=()
loadpid=""
trap '[ -n "$loadpid" ] && kill "$loadpid" 2>/dev/null' EXIT
for tok in $TOKENS; do
	for stack in $STACKS; do
		label=$stack-t$tok-${N}node
		rm -rf "${FO_RUNS:?}/$label"; mkdir -p "$FO_RUNS/$label"
		echo "== $label ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
		# bounded: at most 2 hours of samples
		( for i in $(seq 1 1440); do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done ) > "$FO_RUNS/$label/loadavg.txt" &
		loadpid=$!
		if [ "$tok" = default ]; then unset TOKEN; else export TOKEN=$tok; fi
		if STACK=$stack "$A/cluster.sh" up "$N" && STACK=$stack "$A/setup-resources.sh" >/dev/null; then
			for scen in $SCENARIOS; do
				STACK=$stack "$A/failover.sh" "$scen" "$RUNS" "$N" "$label" || echo "$label: failover.sh $scen failed" >&2
			done
			labels+=("$label")
		else
			echo "$label: the cluster did not come up" >&2
		fi
		STACK=$stack "$A/cluster.sh" down
		kill "$loadpid" 2>/dev/null; wait "$loadpid" 2>/dev/null; loadpid=""
		echo "== $label done ($(date -u +%T)), load average (1 min) min/max during the cell: $(awk '{print $2}' "$FO_RUNS/$label/loadavg.txt" | sort -n | sed -n '1p;$p' | tr '\n' ' ')" >&2
	done
done
python3 "$A/summarize.py" "${labels[@]}"
