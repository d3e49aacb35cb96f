#!/bin/bash
# compare.sh RUNS NODES [STACKS] [TOKENS] - side by side in one run, with the same poller and analysis:
#   for each token (default: "default 1000"), for each stack (default: "real mixed"):
#   cluster.sh up NODES, setup-resources.sh, failover.sh crash RUNS, cluster.sh down.
# The stacks alternate inside each token so that machine load drifts hit both alike.
# Results: $FO_RUNS/<stack>-t<token>-<N>node/results.jsonl, then the summarize.py table.
set -u
A=$(cd "$(dirname "$0")" && pwd)
RUNS=${1:-3} N=${2:-3} STACKS=${3:-real mixed} TOKENS=${4:-default 1000}
export FO_RUNS=${FO_RUNS:-$A/runs}
labels=()
for tok in $TOKENS; do
	for stack in $STACKS; do
		label=$stack-t$tok-${N}node
		rm -rf "${FO_RUNS:?}/$label"
		echo "== $label ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
		if [ "$tok" = default ]; then unset TOKEN; else export TOKEN=$tok; fi
		if STACK=$stack "$A/cluster.sh" up "$N" && STACK=$stack "$A/setup-resources.sh" >/dev/null; then
			STACK=$stack "$A/failover.sh" crash "$RUNS" "$N" "$label" || echo "$label: failover.sh failed" >&2
			labels+=("$label")
		else
			echo "$label: the cluster did not come up" >&2
		fi
		STACK=$stack "$A/cluster.sh" down
	done
done
python3 "$A/summarize.py" "${labels[@]}"
