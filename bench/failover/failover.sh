#!/bin/bash
# failover.sh SCENARIO RUNS NODES LABEL
#   SCENARIO: crash | netcut | standby
#   Measures client-visible failover of WebIP+WebServer away from node1, polling
#   http://VIP/ from the client namespace every ~20 ms. Same knobs as cluster.sh (STACK, FO_*).
#   Results: $FO_RUNS/LABEL/<scenario>-rN/{poll.txt,ipmon.*,corosync.*.log,pacemaker.*.log,meta.json}
#            $FO_RUNS/LABEL/results.jsonl (one JSON line per run, from analyze.py)
#   FO_RUNS defaults to bench/failover/runs (not committed).
set -u
A=$(cd "$(dirname "$0")" && pwd)
C=$A/cluster.sh
STACK=${STACK:-real}
P=${FO_PREFIX:-fo}
BASE=${FO_BASE:-/tmp/fo-$STACK}
VIP=${FO_SUBNET:-10.78.0}.100
SCEN=$1 RUNS=$2 N=$3 LABEL=$4
OUT=${FO_RUNS:-$A/runs}/$LABEL
mkdir -p "$OUT"
VICTIM=1
others() { seq 2 "$N"; }
log() { echo "[failover $STACK $(date +%T.%3N)] $*" >&2; }
TOKEN=$("$C" exec 2 corosync-cmapctl -g runtime.config.totem.token 2>/dev/null | awk '{print $NF}')
monpids="" pollpid=""
cleanup() { # the pollers and monitors this script started, by pid
	# shellcheck disable=SC2086
	[ -n "$monpids" ] && kill $monpids 2>/dev/null
	[ -n "$pollpid" ] && kill "$pollpid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

stable() { # all nodes online, both resources on node1, client gets node1, no failures
	local i out body want t0=$SECONDS
	want=$(seq -f "node%g" -s ' ' 1 "$N")
	for i in $(seq 1 90); do
		out=$("$C" exec 2 crm_mon -1 2>/dev/null)
		if echo "$out" | grep -q "Failed Resource Actions"; then
			log "failed actions present -> crm_resource --cleanup"
			"$C" exec 2 crm_resource --cleanup >/dev/null 2>&1
		fi
		body=$("$C" client curl -s -m 0.5 "http://$VIP/" 2>/dev/null)
		if echo "$out" | grep -q "Online: \[ $want \]" &&
		   echo "$out" | grep -qP "WebIP\t.*Started node1$" &&
		   echo "$out" | grep -qP "WebServer\t.*Started node1$" &&
		   [ "$body" = node1 ]; then
			return 0
		fi
		[ $((SECONDS - t0)) -ge 180 ] && break
		sleep 2
	done
	log "cluster not stable after 180s"; echo "$out" >&2; return 1
}

for run in $(seq 1 "$RUNS"); do
	stable || exit 1
	sleep 3
	RD=$OUT/$SCEN-r$run; rm -rf "$RD"; mkdir -p "$RD"
	declare -A coff poff
	monpids=""
	for n in $(others); do
		coff[$n]=$(stat -c %s "$BASE/node$n/var-log/cluster/corosync.log")
		poff[$n]=$(stat -c %s "$BASE/node$n/var-log/pacemaker/pacemaker.log" 2>/dev/null || echo 0)
		ip -n "${P}n$n" -ts -o monitor address > "$RD/ipmon.node$n.txt" 2>&1 &
		monpids="$monpids $!"
	done
	vcoff=$(stat -c %s "$BASE/node$VICTIM/var-log/cluster/corosync.log")
	vpoff=$(stat -c %s "$BASE/node$VICTIM/var-log/pacemaker/pacemaker.log" 2>/dev/null || echo 0)
	ip netns exec "${P}cl" "$A/poll.sh" "$RD/poll.txt" 120 "http://$VIP/" &
	pollpid=$!
	sleep 1.5
	[ "$SCEN" = crash ] && vpids=$("$C" pids $VICTIM | tr '\n' ' ')
	t0=$EPOCHREALTIME
	case "$SCEN" in
		crash)   kill -STOP $vpids; kill -9 $vpids; "$C" kill $VICTIM ;;   # pids collected beforehand; STOP first so no process can react to a sibling dying
		netcut)  ip -n "${P}n$VICTIM" link set eth0 down ;;
		standby) "$C" exec $VICTIM crm_attribute -t nodes -N node$VICTIM -n standby -v on ;;
	esac
	t_action_done=$EPOCHREALTIME
	ok=0
	for i in $(seq 1 900); do   # up to 90 s
		if awk -v t0="$t0" -v v="node$VICTIM" '$1>=t0 && $3==0 && $4!=v && $4!="_" {f=1; exit} END{exit !f}' "$RD/poll.txt" 2>/dev/null; then ok=1; break; fi
		sleep 0.1
	done
	sleep 2
	kill "$pollpid" 2>/dev/null; wait "$pollpid" 2>/dev/null; pollpid=""
	# shellcheck disable=SC2086
	kill $monpids 2>/dev/null; wait $monpids 2>/dev/null; monpids=""
	for n in $(others); do
		tail -c +$((coff[$n] + 1)) "$BASE/node$n/var-log/cluster/corosync.log" > "$RD/corosync.node$n.log"
		tail -c +$((poff[$n] + 1)) "$BASE/node$n/var-log/pacemaker/pacemaker.log" > "$RD/pacemaker.node$n.log" 2>/dev/null
	done
	tail -c +$((vcoff + 1)) "$BASE/node$VICTIM/var-log/cluster/corosync.log" > "$RD/victim-corosync.node$VICTIM.log"
	tail -c +$((vpoff + 1)) "$BASE/node$VICTIM/var-log/pacemaker/pacemaker.log" > "$RD/victim-pacemaker.node$VICTIM.log" 2>/dev/null
	printf '{"stack":"%s","scenario":"%s","token":%s,"nodes":%s,"run":%s,"t0":%s,"t_action_done":%s,"victim":"node%s","vip":"%s","ok":%s}\n' \
		"$STACK" "$SCEN" "${TOKEN:-0}" "$N" "$run" "$t0" "$t_action_done" "$VICTIM" "$VIP" "$ok" > "$RD/meta.json"
	python3 "$A/analyze.py" "$RD" | tee -a "$OUT/results.jsonl"
	# ---- recover: bring everything back to node1 ----
	case "$SCEN" in
		crash)
			ip -n "${P}n$VICTIM" addr del "$VIP/24" dev eth0 2>/dev/null
			"$C" reset-run $VICTIM
			"$C" start $VICTIM ;;
		netcut)
			ip -n "${P}n$VICTIM" link set eth0 up ;;
		standby)
			"$C" exec $VICTIM crm_attribute -t nodes -N node$VICTIM -n standby -v off ;;
	esac
done
stable && log "done: $SCEN x $RUNS"
