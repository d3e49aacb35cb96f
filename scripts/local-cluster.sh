#!/usr/bin/env bash
# A developer's N-node cluster on one machine: our corosync + pacemakerd per node on 127.0.0.N,
# each with its own HA_ROOT under DIR. Every process is tracked by pid in DIR/pids.
#   scripts/local-cluster.sh up DIR [N]     start N nodes (default 3), wait (bounded) for the CIB
#   scripts/local-cluster.sh run DIR N CMD  run one of our tools as node N (HA_ROOT set)
#   scripts/local-cluster.sh kill DIR N     kill -9 node N's corosync and pacemakerd
#   scripts/local-cluster.sh start DIR N    start node N's corosync and pacemakerd again
#   scripts/local-cluster.sh down DIR       stop everything started under DIR
# BIN (default artifacts/bin) holds the tools; HACLUSTER="dotnet path/hacluster.dll" runs the JIT build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-$PWD/artifacts/bin}
tool() { local name=$1; shift; if [ -n "${HACLUSTER:-}" ]; then $HACLUSTER "$name" "$@"; else "$bin/$name" "$@"; fi; }
# Starts a daemon in the background and records its own pid (not a wrapper's) in DIR/pids.
daemon() { # daemon DIR NODE NAME ARGS...
  local dir=$1 node=$2 name=$3; shift 3
  if [ -n "${HACLUSTER:-}" ]; then HA_ROOT=$dir/n$node $HACLUSTER "$name" "$@" > "$dir/n$node/$name.out" 2>&1 &
  else HA_ROOT=$dir/n$node "$bin/$name" "$@" > "$dir/n$node/$name.out" 2>&1 & fi
  echo "$! $name $node" >> "$dir/pids"
}
cmd=${1:?usage: local-cluster.sh up|run|kill|down DIR ...}; d=${2:?DIR}
case $cmd in
up)
  n=${3:-3}; mkdir -p "$d"; port=$((20000 + RANDOM % 20000))
  for i in $(seq 1 "$n"); do
    root=$d/n$i; mkdir -p "$root/etc/corosync" "$root/var/log/cluster"
    {
      printf 'totem {\n version: 2\n cluster_name: dev\n transport: udpu\n token: %s\n interface {\n  linknumber: 0\n  mcastport: %s\n }\n}\n' "${TOKEN:-1000}" "$port"
      printf 'nodelist {\n local_node_pos: %s\n' $((i - 1))
      for m in $(seq 1 "$n"); do printf ' node {\n  ring0_addr: 127.0.0.%s\n  name: node%s\n  nodeid: %s\n }\n' "$m" "$m" "$m"; done
      printf '}\nquorum {\n provider: corosync_votequorum\n%s\n}\nlogging {\n to_logfile: yes\n logfile: /var/log/cluster/corosync.log\n to_stderr: no\n}\n' "$([ "$n" = 2 ] && echo ' two_node: 1' || true)"
    } > "$root/etc/corosync/corosync.conf"
    daemon "$d" "$i" corosync -f
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 100); do HA_ROOT=$d/n$i tool corosync-cfgtool -s > /dev/null 2>&1 && break; sleep 0.1; done
    HA_ROOT=$d/n$i tool corosync-cfgtool -s > /dev/null 2>&1 || { echo "node$i: corosync did not start:" >&2; cat "$d/n$i/corosync.out" >&2; exit 1; }
    daemon "$d" "$i" pacemakerd -f
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 150); do HA_ROOT=$d/n$i tool cibadmin -Q -o nodes > /dev/null 2>&1 && break; sleep 0.2; done
  done ;;
run) i=${3:?N}; shift 3; HA_ROOT=$d/n$i tool "$@" ;;
start) # restart node N's daemons after a kill
  i=${3:?N}; daemon "$d" "$i" corosync -f
  for _ in $(seq 1 100); do HA_ROOT=$d/n$i tool corosync-cfgtool -s > /dev/null 2>&1 && break; sleep 0.1; done
  daemon "$d" "$i" pacemakerd -f ;;
kill)
  i=${3:?N}
  while read -r pid what node; do
    [ "$node" = "$i" ] || continue
    kill -9 "$pid" 2>/dev/null || true
  done < "$d/pids" ;;
down)
  [ -f "$d/pids" ] || exit 0
  while read -r pid what node; do kill -TERM "$pid" 2>/dev/null || true; done < "$d/pids"
  sleep 1
  while read -r pid what node; do kill -9 "$pid" 2>/dev/null || true; done < "$d/pids"
  rm -f "$d/pids" ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
