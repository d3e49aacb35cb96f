#!/bin/bash
# cluster.sh - an N-node cluster on ONE machine, each node in its own network + mount + UTS
# namespace, all nodes and one client wired to a bridge ("switch") in its own network namespace.
# Nothing touches the root namespace's interfaces. Runs either stack (STACK=):
#   real   Debian corosync 3.1.7 + Debian pacemaker 2.1.5 (the reference)
#   mixed  OUR corosync (artifacts/bin/corosync) + Debian pacemakerd and Debian CLI tools
#          (the real libcpg/libcmap/libquorum/libcfg talk to our daemon over libqb IPC)
#   ours   our corosync + our pacemakerd + our CLI tools (artifacts/bin first on PATH)
#
# Subcommands:
#   up N                 create switch + client + N nodes, write configs, start daemons,
#                        wait (bounded) until crm_mon shows all N nodes Online
#   net N                only create switch/client/node namespaces (no daemons)
#   start NODE           start corosync + pacemakerd on node NODE (number)
#   start-corosync NODE  start only corosync;  start-pacemaker NODE  only pacemakerd
#   stop NODE            graceful stop (pacemakerd TERM, then corosync TERM), bounded
#   kill NODE            SIGSTOP then SIGKILL of every process inside node NODE (a crash)
#   boot NODE            power-on after a crash or fencing: new holder if the old one is gone,
#                        fresh /run, no secondary addresses, link up, daemons started
#   netcut NODE | netheal NODE  set NODE's port on the switch down | up (a partition: the node's
#                        own interface, and any VIP on it, stay up)
#   reset-run NODE       replace NODE's /run and /dev/shm with fresh tmpfs (like a reboot)
#   exec NODE CMD...     run CMD inside node NODE (netns+mntns+utsns, the stack's PATH)
#   client CMD...        run CMD inside the client namespace (SUBNET.200)
#   conf N               (re)write corosync.conf for N nodes into every node
#   wait-online N        bounded wait for all N nodes Online
#   pids NODE | ps       processes per node
#   info                 the knobs in effect (stack, prefix, base, subnet, binaries)
#   down                 kill everything we started (by network namespace), delete namespaces
#
# Environment knobs:
#   STACK=real|mixed|ours  (default real)
#   TOKEN=ms         totem token timeout (unset = corosync default)
#   TOKEN_COEFFICIENT=ms  totem token_coefficient (unset = default 650 per node beyond two)
#   TWO_NODE=1|0     votequorum two_node (default 1 when N==2, 0 otherwise)
#   TRANSPORT=knet|udpu  (default knet)
#   CRYPTO=1|0       aes256/sha256 with an authkey (default 1; forced 0 on udpu for the real daemon,
#                    which refuses crypto there)
#   FO_PREFIX=fo     namespace name prefix: <p>sw switch, <p>cl client, <p>n1.. nodes
#   FO_SUBNET=10.78.0  the /24 on the bridge: nodes .11.., VIP .100, client .200
#   FO_BASE=/tmp/fo-$STACK  per-node private state
#   FO_BIN=<repo>/artifacts/bin  our binaries (built by ./build.sh)
#   WAIT_ONLINE_S=180  bound of `up`'s wait for all nodes Online
set -u
A=$(cd "$(dirname "$0")" && pwd)
STACK=${STACK:-real}
case "$STACK" in real|mixed|ours) ;; *) echo "STACK must be real, mixed or ours (got '$STACK')" >&2; exit 2 ;; esac
P=${FO_PREFIX:-fo}
BASE=${FO_BASE:-/tmp/fo-$STACK}
SUBNET=${FO_SUBNET:-10.78.0}
BIN=${FO_BIN:-$(cd "$A/../.." && pwd)/artifacts/bin}
VIP=$SUBNET.100
SW=${P}sw        # switch netns
CL=${P}cl        # client netns
CLIENT_IP=$SUBNET.200

# What runs where, per stack. Debian's tools stay on PATH for `mixed` (its point is that the real
# client libraries work against our corosync); `ours` puts our multi-call binary's links first.
case "$STACK" in
	real)  COROSYNC=/usr/sbin/corosync; PACEMAKERD=/usr/sbin/pacemakerd; NODE_PATH=/usr/sbin:/usr/bin:/sbin:/bin ;;
	mixed) COROSYNC=$BIN/corosync;      PACEMAKERD=/usr/sbin/pacemakerd; NODE_PATH=/usr/sbin:/usr/bin:/sbin:/bin ;;
	ours)  COROSYNC=$BIN/corosync;      PACEMAKERD=$BIN/pacemakerd;       NODE_PATH=$BIN:/usr/sbin:/usr/bin:/sbin:/bin ;;
esac

nodeip() { echo "$SUBNET.$((10 + $1))"; }
holder_pid() { cat "$BASE/node$1/holder.pid" 2>/dev/null; }
log() { echo "[cluster.sh $STACK $(date +%T.%3N)] $*" >&2; }

nx() { # run inside node, with the stack's PATH
	local n=$1; shift
	local h; h=$(holder_pid "$n")
	if [ -z "$h" ] || [ ! -d "/proc/$h" ]; then echo "node$n is not up" >&2; return 1; fi
	nsenter -t "$h" -m -u -n --wd=/ -- env PATH="$NODE_PATH" "$@"
}

nodes_list() { # numbers of nodes with a namespace or a state directory
	{
		local d
		for d in "$BASE"/node*; do [ -d "$d" ] && echo "${d##*/node}"; done
		ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^${P}n\([0-9]\+\)\$/\1/p"
	} | sort -nu
}

check_prereqs() {
	local missing=() f
	[ "$(id -u)" = 0 ] || { echo "cluster.sh needs root (namespaces, bind mounts)" >&2; exit 1; }
	for f in ip nsenter unshare curl; do command -v "$f" >/dev/null || missing+=("$f"); done
	case "$STACK" in
		real)  for f in /usr/sbin/corosync /usr/sbin/pacemakerd /usr/sbin/crm_mon; do [ -x "$f" ] || missing+=("$f"); done ;;
		mixed) for f in "$BIN/corosync" /usr/sbin/pacemakerd /usr/sbin/crm_mon; do [ -x "$f" ] || missing+=("$f"); done ;;
		ours)  for f in "$BIN/corosync" "$BIN/pacemakerd" "$BIN/crm_mon"; do [ -x "$f" ] || missing+=("$f"); done ;;
	esac
	[ -x /usr/sbin/apache2 ] || missing+=(/usr/sbin/apache2)
	[ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ] || missing+=(resource-agents)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "cluster.sh: missing: ${missing[*]} (scripts/install-deps.sh; ./build.sh for artifacts/bin)" >&2; exit 1
	fi
}

mk_switch() {
	ip netns add "$SW"
	ip -n "$SW" link set lo up
	ip -n "$SW" link add br0 type bridge stp_state 0 forward_delay 0
	ip -n "$SW" link set br0 up
	# client namespace (the HTTP poller lives here)
	ip netns add "$CL"
	ip link add eth0 netns "$CL" type veth peer name pcl netns "$SW"
	ip -n "$SW" link set pcl master br0 up
	ip -n "$CL" link set lo up
	ip -n "$CL" addr add "$CLIENT_IP/24" dev eth0
	ip -n "$CL" link set eth0 up
}

mk_dirs() {
	local n=$1 d=$BASE/node$1
	rm -rf "$d"
	mkdir -p "$d"/{etc-corosync/uidgid.d,var-lib-corosync,var-lib-pacemaker/{cib,pengine,blackbox,cores},var-log/{cluster,corosync,pacemaker/bundles,apache2,pcsd,crmsh},etc-apache2,www/html,var-lib-pcsd}
	chmod 755 "$d"/etc-corosync "$d"/var-lib-corosync "$d"/var-lib-pacemaker "$d"/var-log "$d"/var-log/cluster "$d"/var-log/corosync
	chown hacluster:haclient "$d"/var-lib-pacemaker/{cib,pengine,blackbox,cores}
	chmod 750 "$d"/var-lib-pacemaker/{cib,pengine,blackbox,cores}
	chown hacluster:haclient "$d"/var-log/pacemaker "$d"/var-log/pacemaker/bundles
	chmod 770 "$d"/var-log/pacemaker "$d"/var-log/pacemaker/bundles
	chown hacluster:haclient "$d"/var-log/crmsh; chmod 775 "$d"/var-log/crmsh
	chown root:adm "$d"/var-log/apache2; chmod 750 "$d"/var-log/apache2
	chmod 700 "$d"/var-lib-pcsd
	cp -a /etc/apache2/. "$d"/etc-apache2/
	echo "ServerName node$n" > "$d"/etc-apache2/conf-enabled/zz-fo-servername.conf
	echo "node$n" > "$d"/www/html/index.html
	chmod 755 "$d"/www "$d"/www/html; chmod 644 "$d"/www/html/index.html
	cp /etc/hosts "$d"/hosts
	local i; for i in 1 2 3 4 5; do echo "$(nodeip $i) node$i" >> "$d"/hosts; done
}

setup_run() { # inside node mount ns: fresh /run and /dev/shm (tmpfs)
	local n=$1 v=$BASE/node$1/netns-view
	mkdir -p "$v"
	# The host's /run/netns stays visible through the fresh /run, so that a fence agent running
	# on a node (agents/fence/fence_netns) can reach the other nodes' namespaces: it is carried
	# over by a bind mount, a slave of the host's (the holder's mount namespace is a slave, see
	# mk_node), so namespaces created later appear too.
	nx "$n" bash -c "
		[ -d /run/netns ] && mount --rbind /run/netns $v
		umount -l /run 2>/dev/null; umount -l /dev/shm 2>/dev/null
		mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
		mkdir -p /run/lock /run/crm /run/resource-agents /run/corosync-qdevice /run/netns
		chmod 1777 /run/lock
		chown hacluster:haclient /run/crm; chmod 750 /run/crm
		if mountpoint -q $v; then mount --rbind $v /run/netns; umount -R $v; fi
		mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm"
}

mk_node() {
	local n=$1 d=$BASE/node$1
	mk_dirs "$n"
	ip netns add "${P}n$n"
	ip link add eth0 netns "${P}n$n" type veth peer name "p$n" netns "$SW"
	ip -n "$SW" link set "p$n" master br0 up
	ip -n "${P}n$n" link set lo up
	ip -n "${P}n$n" addr add "$(nodeip "$n")/24" dev eth0
	ip -n "${P}n$n" link set eth0 up
	mk_holder "$n"
}

mk_holder() { # the node's "machine": a holder process owning its mount + UTS namespace, its mounts, a fresh /run
	local n=$1 d=$BASE/node$1
	# long-lived holder: own mount + UTS namespace, inside netns <p>n$n. Its mounts are slaves of
	# the host's: the node's own bind mounts stay inside it, while namespaces added to the host's
	# /run/netns later still show in the node's view of it (setup_run).
	setsid bash -c "echo \$\$ > $d/holder.pid; exec ip netns exec ${P}n$n unshare --mount --uts --propagation slave sleep infinity" </dev/null >/dev/null 2>&1 &
	local h="" i
	for i in $(seq 1 50); do
		h=$(holder_pid "$n")
		if [ -n "$h" ] && [ "$(cat /proc/"$h"/comm 2>/dev/null)" = sleep ] && \
		   [ "$(readlink /proc/"$h"/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]; then break; fi
		sleep 0.1
	done
	[ -n "$h" ] && [ "$(cat /proc/"$h"/comm 2>/dev/null)" = sleep ] || { log "node$n holder did not start"; return 1; }
	nx "$n" bash -c "
		set -e
		hostname node$n
		mount --bind $d/etc-corosync      /etc/corosync
		mount --bind $d/var-lib-corosync  /var/lib/corosync
		mount --bind $d/var-lib-pacemaker /var/lib/pacemaker
		mount --bind $d/var-log           /var/log
		mount --bind $d/etc-apache2       /etc/apache2
		mount --bind $d/www               /var/www
		[ -d /var/lib/pcsd ] && mount --bind $d/var-lib-pcsd /var/lib/pcsd
		mount --bind $d/hosts             /etc/hosts
	" || return 1
	setup_run "$n"
	log "node$n holder pid $h, ip $(nodeip "$n")"
}

boot_node() { # power-on after a crash or a fencing (fence_netns kills the holder too): a new
	# holder if needed, a fresh /run, no leftover processes or secondary addresses, link up, daemons
	local n=$1 h
	kill_node "$n"
	h=$(holder_pid "$n")
	if [ -z "$h" ] || [ ! -d "/proc/$h" ]; then mk_holder "$n" || return 1; else setup_run "$n"; fi
	ip -n "${P}n$n" -4 addr flush dev eth0 secondary 2>/dev/null
	ip -n "${P}n$n" link set eth0 up
	ip -n "$SW" link set "p$n" up
	start_node "$n"
}

write_conf() { # write corosync.conf (+ authkey) into every node
	local N=$1
	local transport=${TRANSPORT:-knet}
	local crypto=${CRYPTO:-1}; [ "$transport" = udpu ] && [ "$STACK" = real ] && crypto=0
	local two=${TWO_NODE:-}; [ -z "$two" ] && { [ "$N" = 2 ] && two=1 || two=0; }
	local f=$BASE/corosync.conf
	{
		echo "totem {"
		echo "    version: 2"
		echo "    cluster_name: anchor"
		echo "    transport: $transport"
		if [ "$crypto" = 1 ]; then
			echo "    crypto_cipher: aes256"
			echo "    crypto_hash: sha256"
		else
			echo "    crypto_cipher: none"
			echo "    crypto_hash: none"
		fi
		[ -n "${TOKEN:-}" ] && echo "    token: $TOKEN"
		[ -n "${TOKEN_COEFFICIENT:-}" ] && echo "    token_coefficient: $TOKEN_COEFFICIENT"
		echo "}"
		echo
		echo "nodelist {"
		local i
		for i in $(seq 1 "$N"); do
			echo "    node {"
			echo "        ring0_addr: $(nodeip "$i")"
			echo "        name: node$i"
			echo "        nodeid: $i"
			echo "    }"
		done
		echo "}"
		echo
		echo "quorum {"
		echo "    provider: corosync_votequorum"
		[ "$two" = 1 ] && echo "    two_node: 1"
		echo "}"
		echo
		echo "logging {"
		echo "    to_logfile: yes"
		echo "    logfile: /var/log/cluster/corosync.log"
		echo "    to_stderr: no"
		echo "    to_syslog: no"
		echo "    timestamp: hires"
		echo "}"
	} > "$f"
	# Debian's corosync-keygen for every stack: one key format, copied into every node.
	[ -f "$BASE/authkey" ] || corosync-keygen -k "$BASE/authkey" >/dev/null 2>&1 || \
		{ head -c 256 /dev/urandom > "$BASE/authkey"; }
	for i in $(seq 1 "$N"); do
		install -m 644 -o root -g root "$f" "$BASE/node$i/etc-corosync/corosync.conf"
		install -m 400 -o root -g root "$BASE/authkey" "$BASE/node$i/etc-corosync/authkey"
	done
}

start_corosync() {
	local n=$1 d=$BASE/node$1 i
	nx "$n" setsid "$COROSYNC" -f </dev/null >>"$d/corosync.stdout" 2>&1 &
	for i in $(seq 1 100); do
		nx "$n" corosync-cfgtool -s >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	log "corosync on node$n did not come up"; tail -5 "$d/corosync.stdout" >&2; return 1
}

start_pacemaker() {
	local n=$1 d=$BASE/node$1 i
	if [ "$STACK" = ours ]; then
		nx "$n" setsid "$PACEMAKERD" -f </dev/null >>"$d/pacemakerd.stdout" 2>&1 &
	else
		nx "$n" env PCMK_logfacility=none PCMK_logfile=/var/log/pacemaker/pacemaker.log \
			setsid "$PACEMAKERD" </dev/null >>"$d/pacemakerd.stdout" 2>&1 &
	fi
	for i in $(seq 1 100); do
		nx "$n" crm_mon -1 >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	log "pacemaker on node$n not answering yet"; return 0
}

start_node() { start_corosync "$1" && start_pacemaker "$1"; }

node_pids() { # every pid in the node's network namespace except its holder (no holder needed)
	local n=$1 h
	h=$(holder_pid "$n")
	ip netns pids "${P}n$n" 2>/dev/null | grep -vx "${h:-none}"
}

kill_node() { # a crash: stop every process first (none reacts to a sibling's death), then kill
	local n=$1 i pids
	for i in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(node_pids "$n" | tr '\n' ' ')
		[ -z "${pids// /}" ] && return 0
		# shellcheck disable=SC2086
		kill -STOP $pids 2>/dev/null
		# shellcheck disable=SC2086
		kill -9 $pids 2>/dev/null
		sleep 0.05
	done
	[ -z "$(node_pids "$n")" ] || log "node$n: processes left after 10 kill rounds: $(node_pids "$n" | tr '\n' ' ')"
}

pid_by_exe() { # pid_by_exe NODE NAME: the node's process whose executable (or argv[0]) is NAME
	local n=$1 name=$2 q
	for q in $(node_pids "$n"); do
		if [ "$(basename "$(readlink /proc/"$q"/exe 2>/dev/null)")" = "$name" ] || \
		   [ "$(basename "$(tr '\0' '\n' < /proc/"$q"/cmdline 2>/dev/null | head -1)")" = "$name" ]; then echo "$q"; return; fi
	done
}

stop_node() {
	local n=$1 i p
	p=$(pid_by_exe "$n" pacemakerd)
	if [ -n "$p" ]; then
		kill -TERM "$p"
		for i in $(seq 1 300); do [ -d /proc/"$p" ] || break; sleep 0.2; done
	fi
	p=$(pid_by_exe "$n" corosync)
	if [ -n "$p" ]; then
		kill -TERM "$p"
		for i in $(seq 1 100); do [ -d /proc/"$p" ] || break; sleep 0.1; done
	fi
	kill_node "$n"   # leftovers (apache etc.)
}

online_line() { # the crm_mon line that lists N online nodes
	echo "Online: \[ $(seq -f "node%g" -s ' ' 1 "$1") \]"
}

wait_online() { # wait until crm_mon on node1 lists all N nodes online (bounded)
	local N=$1 i out="" t0=$SECONDS limit=${WAIT_ONLINE_S:-180}
	for i in $(seq 1 $((limit * 2))); do
		out=$(nx 1 crm_mon -1 2>&1)
		if echo "$out" | grep -q "$(online_line "$N")"; then log "all $N nodes online after $((SECONDS - t0)) s"; return 0; fi
		[ $((SECONDS - t0)) -ge "$limit" ] && break
		sleep 0.5
	done
	log "timeout waiting for $N nodes online"; echo "$out" >&2; return 1
}

down() {
	local n h
	for n in $(nodes_list); do
		kill_node "$n"
		h=$(holder_pid "$n")
		[ -n "$h" ] && kill -9 "$h" 2>/dev/null
		ip netns del "${P}n$n" 2>/dev/null
	done
	# the client namespace: pollers, curl
	local pids; pids=$(ip netns pids "$CL" 2>/dev/null | tr '\n' ' ')
	# shellcheck disable=SC2086
	[ -n "${pids// /}" ] && kill -9 $pids 2>/dev/null
	ip netns del "$CL" 2>/dev/null
	ip netns del "$SW" 2>/dev/null
	return 0
}

cmd=${1:-}; shift || true
case "$cmd" in
	up)
		N=${1:-2}
		check_prereqs
		down; rm -rf "$BASE"/node*; mkdir -p "$BASE"
		# a failure half way leaves nothing behind
		mk_switch || { down; exit 1; }
		for i in $(seq 1 "$N"); do mk_node "$i" || { down; exit 1; }; done
		write_conf "$N"
		for i in $(seq 1 "$N"); do start_corosync "$i" || { down; exit 1; }; done
		for i in $(seq 1 "$N"); do start_pacemaker "$i"; done
		wait_online "$N" ;;
	net)
		N=${1:-2}
		check_prereqs
		down; rm -rf "$BASE"/node*; mkdir -p "$BASE"
		mk_switch || { down; exit 1; }
		for i in $(seq 1 "$N"); do mk_node "$i" || { down; exit 1; }; done ;;
	conf) write_conf "${1:-2}" ;;
	start) start_node "$1" ;;
	start-corosync) start_corosync "$1" ;;
	start-pacemaker) start_pacemaker "$1" ;;
	stop) stop_node "$1" ;;
	kill) kill_node "$1" ;;
	reset-run) setup_run "$1" ;;
	boot) boot_node "$1" ;;
	netcut) ip -n "$SW" link set "p$1" down ;;
	netheal) ip -n "$SW" link set "p$1" up ;;
	wait-online) wait_online "${1:-2}" ;;
	exec) n=$1; shift; nx "$n" "$@" ;;
	client) ip netns exec "$CL" "$@" ;;
	pids) node_pids "$1" ;;
	info) echo "STACK=$STACK prefix=$P base=$BASE subnet=$SUBNET.0/24 vip=$VIP corosync=$COROSYNC pacemakerd=$PACEMAKERD path=$NODE_PATH" ;;
	ps)
		for n in $(nodes_list); do
			echo "== node$n (holder $(holder_pid "$n"))"
			for p in $(node_pids "$n"); do printf '%7s %-10s %s\n' "$p" "$(stat -c %U /proc/$p 2>/dev/null)" "$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-100)"; done
		done ;;
	down) down ;;
	*) sed -n '2,40p' "$0"; exit 1 ;;
esac
