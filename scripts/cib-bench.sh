#!/usr/bin/env bash
# Starts 3 local nodes (127.0.0.1-3, own HA_ROOT each) with our corosync and pacemakerd, then:
# cib-bench (modify round trip, sustained modifies/s with 10 clients x 100 over the 3 nodes and
# the check that every acknowledged change is on every node with one digest), `cibadmin --modify`
# / `--query` process wall times beside the real 2.1.5 cibadmin on a CIB_file, and pacemakerd's
# idle RSS and CPU. Needs ./build.sh first. Every process started here is ended by pid.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/artifacts/bin
d=$(mktemp -d /tmp/cib-bench.XXXXXX)
port=$((20000 + RANDOM % 20000))
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$d"
}
trap cleanup EXIT
for n in 1 2 3; do
  root=$d/n$n
  mkdir -p "$root/etc/corosync" "$root/var/log/cluster"
  {
    printf 'totem {\n version: 2\n cluster_name: bench\n transport: udpu\n token: 1000\n interface {\n  linknumber: 0\n  mcastport: %s\n }\n}\n' "$port"
    printf 'nodelist {\n local_node_pos: %s\n' $((n - 1))
    for m in 1 2 3; do printf ' node {\n  ring0_addr: 127.0.0.%s\n  name: node%s\n  nodeid: %s\n }\n' $m $m $m; done
    printf '}\nquorum {\n provider: corosync_votequorum\n}\nlogging {\n to_logfile: yes\n logfile: /var/log/cluster/corosync.log\n to_stderr: no\n}\n'
  } > "$root/etc/corosync/corosync.conf"
  HA_ROOT=$root "$bin/corosync" -f > "$root/corosync.out" 2>&1 & pids+=($!)
done
sleep 4
pm=()
for n in 1 2 3; do HA_ROOT=$d/n$n "$bin/pacemakerd" -f > "$d/n$n/pacemakerd.out" 2>&1 & pids+=($!); pm+=($!); done
for n in 1 2 3; do
  for i in $(seq 1 100); do HA_ROOT=$d/n$n "$bin/cibadmin" -Q -o nodes > /dev/null 2>&1 && break; sleep 0.2; done
done
echo "== pacemakerd idle (10 s after start)"
sleep 10
for p in "${pm[@]}"; do
  t0=$(awk '{print $14+$15}' /proc/$p/stat); sleep 5; t1=$(awk '{print $14+$15}' /proc/$p/stat)
  echo "pid $p: RSS $(awk '/VmRSS/{print $2" "$3}' /proc/$p/status), CPU over 5 s idle: $(( (t1 - t0) * 10 )) ms"
done
echo "== cib-bench"
"$bin/cib-bench" --roots "$d/n1,$d/n2,$d/n3" --clients 10 --count 100 --samples 200
echo "== process wall time, median of 20 (ours live on node 1; ours and real 2.1.5 on a CIB_file copy)"
HA_ROOT=$d/n1 "$bin/cibadmin" -Q > "$d/file.xml"
python3 - "$bin" "$d" <<'PY'
import os, statistics, subprocess, sys, time
bin, d = sys.argv[1], sys.argv[2]
def med(cmd, env):
    ts = []
    for _ in range(20):
        t = time.perf_counter(); subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)
live = dict(os.environ, HA_ROOT=f"{d}/n1")
live.pop("CIB_file", None)
filed = dict(os.environ, CIB_file=f"{d}/file.xml")
mod = ["-M", "-X", '<cluster_property_set id="bench"><nvpair id="bench-x" name="x" value="1"/></cluster_property_set>', "-o", "crm_config", "-c"]
print(f"ours live  cibadmin --query  {med([bin + '/cibadmin', '-Q'], live):.1f} ms")
print(f"ours live  cibadmin --modify {med([bin + '/cibadmin'] + mod, live):.1f} ms")
print(f"ours file  cibadmin --query  {med([bin + '/cibadmin', '-Q'], filed):.1f} ms")
if os.path.exists("/usr/sbin/cibadmin"):
    print(f"real file  cibadmin --query  {med(['/usr/sbin/cibadmin', '-Q'], filed):.1f} ms")
    print(f"real file  cibadmin --modify {med(['/usr/sbin/cibadmin'] + mod, filed):.1f} ms")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
