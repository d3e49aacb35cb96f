#!/bin/bash
# soak.sh SECONDS NODES [LABEL] - on a running cluster with the seeds' resources on node1
# (cluster.sh up + setup-resources.sh), put CPU and allocation pressure on every node for SECONDS
# (stress-ng inside each node: SOAK_CPU workers at SOAK_CPU_LOAD %, SOAK_VM workers touching
# SOAK_VM_BYTES each) while the client polls the page every ~20 ms, then say whether anything
# failed over falsely. A false failover is any of: a page from another node, a new membership in
# a corosync log, a resource operation other than monitors initiated by the DC, a fail count.
# Curl errors (slow answers under load, -m 0.2) are counted and reported, not judged.
# Results: $FO_RUNS/LABEL/soak/{poll.txt,corosync.nodeN.log,pacemaker.nodeN.log,summary.txt}.
# Exit 0 when there was no false failover. Same knobs as cluster.sh (STACK, FO_*).
set -u
A=$(cd "$(dirname "$0")" && pwd)
C=$A/cluster.sh
STACK=${STACK:-real}
P=${FO_PREFIX:-fo}
BASE=${FO_BASE:-/tmp/fo-$STACK}
VIP=${FO_SUBNET:-10.78.0}.100
SECS=$1 N=$2 LABEL=${3:-soak-$STACK-${N}node}
OUT=${FO_RUNS:-$A/runs}/$LABEL/soak
rm -rf "$OUT"; mkdir -p "$OUT"
command -v stress-ng >/dev/null || { echo "soak.sh: stress-ng is not installed (apt-get install stress-ng)" >&2; exit 1; }
pids=""
cleanup() { # what this script started, by pid
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill $pids 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT
declare -A coff poff
for n in $(seq 1 "$N"); do
	coff[$n]=$(stat -c %s "$BASE/node$n/var-log/cluster/corosync.log")
	poff[$n]=$(stat -c %s "$BASE/node$n/var-log/pacemaker/pacemaker.log" 2>/dev/null || echo 0)
done
before=$("$C" exec 2 crm_mon -1 2>&1)
echo "$before" | grep -qP "WebServer\t.*Started node1$" || { echo "soak.sh: WebServer is not started on node1" >&2; echo "$before" >&2; exit 1; }
t0=$EPOCHREALTIME
ip netns exec "${P}cl" "$A/poll.sh" "$OUT/poll.txt" "$SECS" "http://$VIP/" &
pids="$pids $!"
for n in $(seq 1 "$N"); do
	"$C" exec "$n" timeout $((SECS + 10)) stress-ng --timeout "${SECS}s" --quiet \
		--cpu "${SOAK_CPU:-1}" --cpu-load "${SOAK_CPU_LOAD:-60}" \
		--vm "${SOAK_VM:-1}" --vm-bytes "${SOAK_VM_BYTES:-128M}" > "$OUT/stress.node$n.txt" 2>&1 &
	pids="$pids $!"
done
# the load while it runs (bounded by SECS)
( end=$((EPOCHSECONDS + SECS)); while (( EPOCHSECONDS < end )); do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 10; done ) > "$OUT/loadavg.txt" &
pids="$pids $!"
# shellcheck disable=SC2086
wait $pids 2>/dev/null
pids=""
t1=$EPOCHREALTIME
for n in $(seq 1 "$N"); do
	tail -c +$((coff[$n] + 1)) "$BASE/node$n/var-log/cluster/corosync.log" > "$OUT/corosync.node$n.log"
	tail -c +$((poff[$n] + 1)) "$BASE/node$n/var-log/pacemaker/pacemaker.log" > "$OUT/pacemaker.node$n.log" 2>/dev/null
done
after=$("$C" exec 2 crm_mon -1 -f 2>&1)
polls=$(wc -l < "$OUT/poll.txt")
node1=$(awk '$3==0 && $4=="node1"' "$OUT/poll.txt" | wc -l)
others=$(awk '$3==0 && $4!="node1"' "$OUT/poll.txt" | wc -l)
errors=$(awk '$3!=0' "$OUT/poll.txt" | wc -l)
# longest stretch without a page (seconds)
gap=$(awk '$3==0 { if (last) { g = $1 - last; if (g > m) m = g } last = $2 } END { printf "%.2f", m }' "$OUT/poll.txt")
memb=$(cat "$OUT"/corosync.node*.log | grep -c "A new membership")
ops=$(cat "$OUT"/pacemaker.node*.log | grep "Initiating" | grep -vc "_monitor_")
fails=$(echo "$after" | grep -c "fail-count=")
load=$(awk '{print $2}' "$OUT/loadavg.txt" | sort -n | sed -n '1p;$p' | tr '\n' ' ')
{
	echo "soak $LABEL: ${SECS}s on $N nodes, stress-ng per node: cpu ${SOAK_CPU:-1} x ${SOAK_CPU_LOAD:-60}%, vm ${SOAK_VM:-1} x ${SOAK_VM_BYTES:-128M}"
	echo "elapsed $(echo "$t1 - $t0" | bc) s, load average (1 min) min/max: $load"
	echo "polls $polls: node1 $node1, other nodes $others, curl errors $errors, longest gap without a page ${gap}s"
	echo "new memberships $memb, resource operations other than monitors $ops, fail counts $fails"
} | tee "$OUT/summary.txt"
echo "$after" >> "$OUT/summary.txt"
[ "$others" = 0 ] && [ "$memb" = 0 ] && [ "$ops" = 0 ] && [ "$fails" = 0 ] && echo "no false failover" | tee -a "$OUT/summary.txt"
