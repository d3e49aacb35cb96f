#!/usr/bin/env bash
# Side-by-side figures for docs/benchmarks.md ("Native AOT"): tool start-up, crm_simulate at
# 16 x 200 with history, and the corosync daemon's idle RSS and CPU on a 3-node ring on
# 127.0.0.1-3. Needs hyperfine, the real tools (corosync, pacemaker-cli-utils) and ./build.sh.
# Usage: scripts/bench-native.sh [IDLE_SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/artifacts/bin
idle=${1:-60}
work=$(mktemp -d /tmp/bench-native.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# binary: $(stat -c %s "$bin/hacluster") bytes, $(ls "$bin" | grep -c '\.dll$' || true) .dll files beside it"

echo "== start-up (hyperfine, median)"
hyperfine -N --warmup 5 --runs 40 --export-json "$work/startup.json" \
  "$bin/crm_verify --version" "/usr/sbin/crm_verify --version" \
  "$bin/corosync-quorumtool -h" "/usr/sbin/corosync-quorumtool -h" >/dev/null
python3 - "$work/startup.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]:<55} median {r["median"]*1000:7.1f} ms  (min {r["min"]*1000:.1f}, max {r["max"]*1000:.1f})')
PY

echo "== crm_simulate -R -Q, 16 x 200, all running, one node died"
dotnet run -c Release --project bench/Bench -- gen --large 16x200 --history died --out "$work/16x200.xml" >/dev/null
hyperfine -N --warmup 2 --runs 15 -i --export-json "$work/sim.json" \
  "$bin/crm_simulate -R -Q -x $work/16x200.xml" "/usr/sbin/crm_simulate -R -Q -x $work/16x200.xml" >/dev/null
python3 - "$work/sim.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    cmd = r["command"].split(" -R")[0]
    print(f'{cmd:<40} -R -Q  median {r["median"]*1000:7.1f} ms  user+sys {(r["user"]+r["system"])*1000:6.1f} ms')
PY

echo "== corosync daemon, 3-node ring on 127.0.0.1-3, idle ${idle} s"
port=$((20000 + RANDOM % 20000))
"$bin/corosync-keygen" -k "$work/authkey" >/dev/null
for n in 1 2 3; do
  root=$work/n$n
  mkdir -p "$root/etc/corosync" "$root/var/log/cluster"
  cp "$work/authkey" "$root/etc/corosync/authkey"
  cat > "$root/etc/corosync/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: bench
    transport: udpu
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
        nodeid: 1
    }
    node {
        ring0_addr: 127.0.0.2
        nodeid: 2
    }
    node {
        ring0_addr: 127.0.0.3
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
}
CONF
  HA_ROOT=$root "$bin/corosync" -f >"$root/stdout.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 60); do
  if HA_ROOT=$work/n1 "$bin/corosync-quorumtool" -s 2>/dev/null | grep -q "^Nodes: *3\$"; then break; fi
  sleep 0.5
done
HA_ROOT=$work/n1 "$bin/corosync-quorumtool" -s | grep -E "^(Nodes|Quorate):"
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A before
for pid in "${pids[@]}"; do before[$pid]=$(cpu "$pid"); done
sleep "$idle"
for pid in "${pids[@]}"; do
  used=$(( $(cpu "$pid") - ${before[$pid]} ))
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  awk -v p="$pid" -v u="$used" -v t="$ticks" -v s="$idle" -v r="$rss" \
    'BEGIN { printf "node pid %-7s RSS %6.1f MiB   CPU %.2f s per minute\n", p, r / 1024, u / t * 60 / s }'
done
