#!/usr/bin/env bash
# The demo without root (demo.sh runs it when it cannot create namespaces): starts a
# local 3-node corosync cluster on 127.0.0.1-3 (no root needed; each node its own HA_ROOT),
# shows ring and quorum with the usual tools, crashes a node and shows the survivors re-form
# with quorum, and plans a floating IP + web server placement with crm_simulate.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --no-build ]; then
  scripts/install-deps.sh
  ./build.sh
fi
bin=$PWD/artifacts/bin
demo=$(mktemp -d /tmp/hacluster-demo.XXXXXX)
port=$((20000 + RANDOM % 20000))
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== corosync-keygen (one key shared by the three nodes)"
"$bin/corosync-keygen" -k "$demo/authkey"
for n in 1 2 3; do
  root=$demo/n$n
  mkdir -p "$root/etc/corosync" "$root/var/log/cluster"
  cp "$demo/authkey" "$root/etc/corosync/authkey"
  cat > "$root/etc/corosync/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: demo
    transport: udpu
    token: 1000
    crypto_cipher: aes256
    crypto_hash: sha256
    interface {
        linknumber: 0
        mcastport: $port
    }
}
nodelist {
    local_node_pos: $((n - 1))
    node {
        ring0_addr: 127.0.0.1
        name: node1
        nodeid: 1
    }
    node {
        ring0_addr: 127.0.0.2
        name: node2
        nodeid: 2
    }
    node {
        ring0_addr: 127.0.0.3
        name: node3
        nodeid: 3
    }
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_stderr: no
    timestamp: on
}
CONF
done
echo "== corosync -t (node1's config)"
HA_ROOT=$demo/n1 "$bin/corosync" -t
for n in 1 2 3; do
  HA_ROOT=$demo/n$n "$bin/corosync" -f > "$demo/n$n/stdout.log" 2>&1 &
  pids+=($!)
done

wait_for_members() { # node count
  for _ in $(seq 1 60); do
    if HA_ROOT=$demo/n$1 "$bin/corosync-quorumtool" -s 2>/dev/null | grep -q "^Nodes: *$2\$"; then return 0; fi
    sleep 0.25
  done
  echo "demo: node$1 did not see $2 nodes in 15 s; its log:" >&2
  tail -20 "$demo/n$1/var/log/cluster/corosync.log" >&2 || true
  return 1
}
wait_for_members 1 3
echo "== corosync-cfgtool -s (node1)"
HA_ROOT=$demo/n1 "$bin/corosync-cfgtool" -s
echo "== corosync-quorumtool -s (node1)"
HA_ROOT=$demo/n1 "$bin/corosync-quorumtool" -s || true

echo "== crash node3 (SIGKILL)"
start=$(date +%s%N)
{ kill -KILL "${pids[2]}"; wait "${pids[2]}"; } 2>/dev/null || true
wait_for_members 1 2
echo "re-formed without node3 after $(( ($(date +%s%N) - start) / 1000000 )) ms (token 1000 ms, consensus 1200 ms)"
HA_ROOT=$demo/n1 "$bin/corosync-quorumtool" -s || true

echo "== crm_simulate: where a floating IP and a web server go when node1 dies"
cat > "$demo/cib.xml" <<'CIB'
<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.8" epoch="5" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="2">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"/>
      <node id="3" uname="node3"/>
    </nodes>
    <resources>
      <primitive id="WebIP" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="WebIP-ia"><nvpair id="WebIP-ip" name="ip" value="10.77.0.100"/></instance_attributes>
        <operations><op id="WebIP-mon" name="monitor" interval="30s"/></operations>
      </primitive>
      <primitive id="WebServer" class="ocf" provider="heartbeat" type="apache">
        <operations><op id="WebServer-mon" name="monitor" interval="60s"/></operations>
      </primitive>
    </resources>
    <constraints>
      <rsc_colocation id="col" rsc="WebServer" with-rsc="WebIP" score="INFINITY"/>
      <rsc_order id="ord" first="WebIP" then="WebServer"/>
      <rsc_location id="loc" rsc="WebServer" node="node1" score="500"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="3" uname="node3" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
CIB
"$bin/crm_simulate" -x "$demo/cib.xml" -S -d node1 || true
echo "== demo done (state in $demo)"
