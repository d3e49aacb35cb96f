#!/usr/bin/env bash
# The tutorial walkthrough on OUR stack, each command printed with its output: a 3-node cluster
# in network namespaces (bench/failover/cluster.sh, STACK=ours), corosync set up and started,
# pacemaker started, the STONITH check, the floating IP and Apache with the tutorial's
# commands (ocf:heartbeat:IPaddr, lsb:httpd, the older pcs forms), the page through the VIP from
# a client namespace, node1 stopped cleanly and started again, then node1 crashed (the client's
# outage measured) and brought back. Exit 0 when every step did what the tutorial says.
# Needs root, ./build.sh and scripts/install-deps.sh. Everything it starts is ended by
# `cluster.sh down` (by namespace), also on failure.
set -u
cd "$(dirname "$0")/.."
export STACK=ours
export FO_PREFIX=${FO_PREFIX:-wk} FO_SUBNET=${FO_SUBNET:-10.80.0} FO_BASE=${FO_BASE:-/tmp/wk-ours}
export FO_BIN=${FO_BIN:-$PWD/artifacts/bin}
C=${FO_CLUSTER:-$PWD/bench/failover/cluster.sh}
VIP=$FO_SUBNET.100
failures=0

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# run NODE CMD...: print "[nodeN]# CMD", run it inside the node, print its output and exit status if not 0.
run() {
  local n=$1; shift
  printf '[node%s]# %s\n' "$n" "$*"
  "$C" exec "$n" "$@" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || printf '(exit status %s)\n' "$rc"
  return $rc
}
client() { printf '[client]$ %s\n' "$*"; "$C" client "$@" 2>&1; }
# page_from SECONDS NODES: bounded poll of the page through the VIP until it comes from one of
# NODES (ERE, e.g. 'node[23]'); prints it and how long the client waited (ARP caches included).
page_from() {
  local limit=$1 nodes=$2 t0 page i
  t0=$(date +%s%N)
  printf '[client]$ curl -s -m 1 http://%s/\n' "$VIP"
  for i in $(seq 1 $((limit * 5))); do
    page=$("$C" client curl -s -m 1 "http://$VIP/" 2>/dev/null)
    if printf '%s' "$page" | grep -Eq "^($nodes)\$"; then
      printf '%s\n(after %s ms)\n' "$page" "$(( ($(date +%s%N) - t0) / 1000000 ))"
      return 0
    fi
    sleep 0.2
  done
  echo "no page from $nodes through $VIP within ${limit}s (last answer: '$page')" >&2
  return 1
}
check() { # check WHAT CMD...: a step the tutorial expects to succeed
  local what=$1; shift
  if ! "$@"; then echo "WALKTHROUGH FAILED: $what" >&2; failures=$((failures + 1)); fi
}
# wait_for SECONDS NODE PATTERN: bounded poll of crm_mon -1 on NODE until PATTERN (ERE) shows.
wait_for() {
  local limit=$1 n=$2 pattern=$3 i
  for i in $(seq 1 $((limit * 5))); do
    "$C" exec "$n" crm_mon -1 2>/dev/null | grep -Eq "$pattern" && return 0
    sleep 0.2
  done
  echo "timed out after ${limit}s waiting for /$pattern/ in crm_mon on node$n" >&2
  return 1
}
trap '"$C" down >/dev/null 2>&1' EXIT
trap 'exit 143' TERM INT
"$C" down >/dev/null 2>&1

say "Three nodes in network namespaces (bridge $FO_SUBNET.0/24, client $FO_SUBNET.200)"
"$C" net 3 || exit 1
"$C" conf 3 || exit 1
run 1 cat /etc/corosync/corosync.conf

say "corosync-keygen on node1, the key copied to the other nodes"
check keygen run 1 corosync-keygen
for n in 2 3; do cp -p "$FO_BASE/node1/etc-corosync/authkey" "$FO_BASE/node$n/etc-corosync/authkey"; done

say "Start corosync on every node"
for n in 1 2 3; do "$C" start-corosync "$n" || exit 1; done
for i in $(seq 1 100); do "$C" exec 1 corosync-quorumtool -s 2>/dev/null | grep -q 'Quorate: *Yes' && break; sleep 0.2; done
check cfgtool run 1 corosync-cfgtool -s
printf '[node1]# corosync-cmapctl | grep members\n'; "$C" exec 1 corosync-cmapctl 2>&1 | grep members

say "Start pacemaker on every node"
started=$(date +%s%N)
for n in 1 2 3; do "$C" start-pacemaker "$n" || exit 1; done
check online wait_for 60 1 'Online: \[ node1 node2 node3 \]'
echo "(all three Online with a DC $(( ($(date +%s%N) - started) / 1000000 )) ms after pacemakerd started)"
run 1 crm_mon -1

say "STONITH is enabled but no device is configured: crm_verify says so"
run 1 crm_verify -L -V
check stonith-enabled run 1 pcs property set stonith-enabled=false
check crm_verify run 1 crm_verify -L -V
check no-quorum-policy run 1 pcs property set no-quorum-policy=ignore

say "The floating IP and the web server, with the tutorials' own commands"
# The tutorials create the IP with ocf:heartbeat:IPaddr and the web server as the init script
# lsb:httpd (agents/lsb/httpd drives Debian's Apache), and use three older pcs forms, which
# we accept with a note giving today's form.
check WebIP run 1 pcs resource create WebIP ocf:heartbeat:IPaddr ip="$VIP" cidr_netmask=24 op monitor interval=30s
check WebServer run 1 pcs resource create WebServer lsb:httpd
check colocation run 1 pcs constraint colocation add WebServer WebIP INFINITY
check order run 1 pcs constraint order WebIP then WebServer
check location run 1 pcs constraint location add prefer-node1 WebServer node1 500
check defaults run 1 pcs resource rsc defaults resource-stickiness=100
check placed wait_for 60 1 'WebServer.*Started node1'
run 1 crm_mon -1
run 1 pcs constraint
check page client curl -s -m 2 "http://$VIP/"

say "node1 is stopped cleanly (pcs cluster stop): the resources move"
check stop run 1 pcs cluster stop
check moved wait_for 60 2 'WebServer.*Started node[23]'
run 2 crm_mon -1
check page-moved page_from 20 'node[23]'

say "node1 starts again: WebServer comes back to node1 (500 > stickiness 100)"
"$C" start-corosync 1 && "$C" start-pacemaker 1
check back wait_for 90 2 'WebServer.*Started node1'
run 2 crm_mon -1
check page-back page_from 20 node1

say "node1 crashes (every process killed): the client polls the VIP every 20 ms"
poll="$FO_BASE/poll.txt"
"$C" client bash -c "for i in \$(seq 1 3000); do printf '%s ' \$(date +%s%N); curl -s -m 0.5 http://$VIP/ || echo -; echo; sleep 0.02; done" > "$poll" 2>/dev/null &
poller=$!
sleep 1
t0=$(date +%s%N)
"$C" kill 1
echo "[host]# cluster.sh kill 1   (at $(date +%T.%3N))"
check failover wait_for 60 2 'WebServer.*Started node[23]'
for i in $(seq 1 100); do tail -n 1 "$poll" | grep -q 'node[23]' && break; sleep 0.1; done
kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null
python3 - "$poll" "$t0" <<'PY'
import sys
rows = [l.split(None, 1) for l in open(sys.argv[1]) if l.strip()]
t0 = int(sys.argv[2])
last_ok = max((int(t) for t, *r in rows if int(t) < t0 and r and r[0].strip().startswith('node1')), default=None)
first_new = min((int(t) for t, *r in rows if int(t) > t0 and r and r[0].strip().startswith(('node2', 'node3'))), default=None)
if first_new is None:
    print("the page never came back from another node"); sys.exit(0)
print(f"page served by {[r[0].strip() for t, *r in rows if int(t) == first_new][0]} {(first_new - t0) / 1e9:.2f} s after the crash"
      + (f" (client outage {(first_new - last_ok) / 1e9:.2f} s)" if last_ok else ""))
PY
run 2 crm_mon -1
client curl -s -m 2 "http://$VIP/"

say "node1 comes back (a fresh /run, as after a reboot): WebServer prefers node1 (500 > stickiness 100)"
"$C" reset-run 1
"$C" start 1
check failback wait_for 90 2 'WebServer.*Started node1'
run 2 crm_mon -1
check page-again page_from 20 node1

say "Done"
if [ "$failures" -eq 0 ]; then echo "walkthrough: every step did what the tutorial says"; else echo "walkthrough: $failures step(s) failed"; fi
[ "$failures" -eq 0 ]
