#!/usr/bin/env python3
"""Fault campaign on a 3-node namespace cluster (issue 14, build item 5).

Each schedule starts a fresh cluster with bench/failover/cluster.sh (the seeds' WebIP + WebServer,
no-quorum-policy=stop), then injects a seeded random sequence of faults, one after another:

  crash N      every process of node N killed and its link cut (the machine is gone); later the
               node boots again: fresh /run, link up, daemons started
  partition N  node N's link down for a while, then up (N keeps running: the minority side)
  flap N       node N's link goes down and up every second for a while (lost packets)
  agent-fail   Apache killed (kill -9) on the node that runs WebServer
  agent-hang   Apache stopped (SIGSTOP) on that node long enough for its monitor to time out,
               then continued

Checked throughout, from outside the cluster:
  * VIP exclusivity: never two live nodes holding the VIP at once. A violation while fencing is
    enabled (--fencing); without fencing the overlaps are reported, since Pacemaker cannot
    prevent them then.
  * No acknowledged CIB change lost: while no partition or flap is active, a writer sets a new
    crm_config attribute (campaign-K) on a random live node every ~1.5 s; every one acknowledged
    (exit 0) must be in every node's CIB at the end.
  * Service back within the bound after each fault: the client's poller must get a page within
    --bound seconds of the fault being healed (of the injection, for agent faults), and the
    cluster must show all nodes Online again.

A failing schedule keeps its directory (poller log, VIP samples, every node's corosync and
pacemaker logs) and prints the command that replays it. The schedule is a function of the seed;
timing inside the cluster is not, so a replay re-runs the same faults in the same order.

  bench/campaign/campaign.py --seeds 1..20 [--faults 3] [--stack ours] [--bound 60] [--fencing]
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(HERE, "..", "failover", "cluster.sh")
SETUP = os.path.join(HERE, "..", "failover", "setup-resources.sh")
POLL = os.path.join(HERE, "..", "failover", "poll.sh")
NODES = 3
KINDS = ["crash", "partition", "flap", "agent-fail", "agent-hang"]


class Violation(Exception):
    pass


class Campaign:
    def __init__(self, args, seed):
        self.args = args
        self.seed = seed
        self.rng = random.Random(seed)
        self.prefix = args.prefix
        self.subnet = args.subnet
        self.vip = f"{args.subnet}.100"
        self.base = f"/tmp/fo-campaign-{args.prefix}"
        self.dir = os.path.join(args.out, f"seed-{seed}")
        self.env = dict(os.environ, STACK=args.stack, FO_PREFIX=args.prefix, FO_SUBNET=args.subnet,
                        FO_BASE=self.base, TRANSPORT=args.transport, CRYPTO="0" if args.transport == "udpu" else "1")
        if args.token:
            self.env["TOKEN"] = str(args.token)
        self.down = set()        # nodes crashed (no processes, link cut)
        self.cut = set()         # nodes whose link is down or flapping (processes run)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acked = []          # (key, value) acknowledged by crm_attribute
        self.late_cib = 0        # checks that found an acknowledged change not yet on a member
        self.overlaps = []       # (time, [nodes]) samples with two live holders
        self.events = []         # (time, text)
        self.recoveries = []     # seconds from heal to page served, per fault
        self.outages = []        # longest client-visible outage (s) between injection and service back, per fault
        self.threads = []
        self.poller = None
        self.faults = []
        self.fenced = 0          # nodes found fenced and booted again

    # ---- helpers -------------------------------------------------------------------------
    def log(self, text):
        line = f"{time.time():.3f} {text}"
        self.events.append(line)
        if self.args.verbose:
            print(f"  [seed {self.seed}] {text}", flush=True)

    def c(self, *argv, timeout=60, check=False):
        r = subprocess.run([CLUSTER, *map(str, argv)], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise Violation(f"cluster.sh {' '.join(map(str, argv))} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
        return r

    def ip(self, node, *argv):
        return subprocess.run(["ip", "-n", f"{self.prefix}n{node}", *argv], capture_output=True, text=True, timeout=10)

    def holders(self):
        out = []
        for n in range(1, NODES + 1):
            r = self.ip(n, "-o", "-4", "addr", "show", "dev", "eth0")
            if f" {self.vip}/" in r.stdout:
                out.append(n)
        return out

    def pages(self):
        """(start, ok, body) of every poll so far."""
        path = os.path.join(self.dir, "poll.txt")
        rows = []
        try:
            with open(path) as f:
                for line in f:
                    p = line.split()
                    if len(p) >= 4:
                        rows.append((float(p[0]), p[2] == "0" and p[3] != "_", p[3]))
        except FileNotFoundError:
            pass
        return rows

    def served_since(self, t):
        return any(start >= t and ok for start, ok, _ in self.pages())

    def longest_outage(self, start, end):
        """The longest time between two served pages (or from start to the first) within [start, end]."""
        last, worst = start, 0.0
        for s, ok, _ in self.pages():
            if start <= s <= end and ok:
                worst = max(worst, s - last)
                last = s
        return round(worst, 2)

    def wait(self, what, predicate, bound):
        deadline = time.time() + bound
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.25)
        return predicate()

    def online(self, via):
        r = self.c("exec", via, "crm_mon", "-1", timeout=20)
        want = "Online: [ " + " ".join(f"node{i}" for i in range(1, NODES + 1)) + " ]"
        return want in r.stdout

    def live_node(self):
        live = [n for n in range(1, NODES + 1) if n not in self.down and n not in self.cut]
        return self.rng.choice(live) if live else None

    def apache_pids(self, node):
        r = self.c("pids", node, timeout=10)
        pids = []
        for p in r.stdout.split():
            try:
                exe = os.path.basename(os.readlink(f"/proc/{p}/exe"))
            except OSError:
                continue
            if exe == "apache2":
                pids.append(int(p))
        return pids

    def webserver_node(self):
        for n in self.holders():
            if n not in self.down and self.apache_pids(n):
                return n
        return None

    # ---- background checkers ------------------------------------------------------------
    def watch_vip(self):
        while not self.stop.is_set():
            with self.lock:
                down = set(self.down)
            live = [n for n in self.holders() if n not in down]
            if len(live) > 1:
                self.overlaps.append((time.time(), live))
                self.log(f"VIP held by {live}")
            time.sleep(0.2)

    def write_cib(self):
        key = 0
        wrng = random.Random(self.seed * 7919)
        while not self.stop.is_set():
            time.sleep(1.5)
            with self.lock:
                quiet = not self.cut
                live = [n for n in range(1, NODES + 1) if n not in self.down]
            if not quiet or not live:
                continue
            key += 1
            node = wrng.choice(live)
            try:
                r = self.c("exec", node, "crm_attribute", "-t", "crm_config", "-n", f"campaign-{key}", "-v", str(key), timeout=15)
            except subprocess.TimeoutExpired:
                continue
            if r.returncode == 0:
                self.acked.append((f"campaign-{key}", str(key)))
                self.log(f"acked campaign-{key} on node{node}")

    # ---- the schedule -------------------------------------------------------------------
    def schedule(self):
        faults = []
        for _ in range(self.args.faults):
            kind = self.rng.choice(KINDS)
            # Half the node faults hit whichever node holds the VIP then (0), so failover is exercised.
            node = 0 if self.rng.random() < 0.5 else self.rng.randint(1, NODES)
            hold = round(self.rng.uniform(3, 12), 1)
            faults.append((kind, node, hold))
        return faults

    def boot(self, node):
        # cluster.sh boot: a new holder if fencing took the old one, fresh /run, no VIP, link up, daemons
        self.c("boot", node, timeout=180)
        with self.lock:
            self.down.discard(node)

    def boot_fenced(self):
        """A node the cluster fenced (fence_netns left no process in it) boots again, as after a power cycle."""
        for n in range(1, NODES + 1):
            with self.lock:
                if n in self.down:
                    continue
            if not self.c("pids", n, timeout=10).stdout.split():
                self.log(f"node{n} was fenced: booting it")
                with self.lock:
                    self.down.add(n)
                self.fenced += 1
                self.boot(n)

    def inject(self, kind, node, hold):
        """Injects one fault and heals it; returns the time from which service must come back."""
        if node == 0:
            node = (self.holders() or [1])[0]
        if kind == "crash":
            self.log(f"crash node{node}")
            with self.lock:
                self.down.add(node)
            self.c("kill", node, timeout=30)
            self.ip(node, "link", "set", "eth0", "down")
            time.sleep(hold)
            self.log(f"boot node{node}")
            self.boot(node)
            return time.time()
        if kind in ("partition", "flap"):
            self.log(f"{kind} node{node} for {hold} s")
            with self.lock:
                self.cut.add(node)
            if kind == "partition":
                self.ip(node, "link", "set", "eth0", "down")
                time.sleep(hold)
            else:
                end = time.time() + hold
                while time.time() < end:
                    self.ip(node, "link", "set", "eth0", "down")
                    time.sleep(0.4)
                    self.ip(node, "link", "set", "eth0", "up")
                    time.sleep(0.6)
            self.ip(node, "link", "set", "eth0", "up")
            self.log(f"heal node{node}")
            with self.lock:
                self.cut.discard(node)
            return time.time()
        target = self.webserver_node()
        if target is None:
            self.log(f"{kind}: WebServer runs nowhere now, skipped")
            return time.time()
        pids = self.apache_pids(target)
        if kind == "agent-fail":
            self.log(f"kill -9 apache on node{target} ({len(pids)} processes)")
            for p in pids:
                try:
                    os.kill(p, 9)
                except ProcessLookupError:
                    pass
            return time.time()
        self.log(f"SIGSTOP apache on node{target} for {self.args.hang} s")
        for p in pids:
            try:
                os.kill(p, 19)
            except ProcessLookupError:
                pass
        time.sleep(self.args.hang)
        for p in pids:
            try:
                os.kill(p, 18)
            except ProcessLookupError:
                pass
        self.log(f"SIGCONT apache on node{target}")
        return time.time()

    def run(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        faults = self.faults = self.schedule()
        self.log(f"schedule: {faults}")
        try:
            r = self.c("up", NODES, timeout=300)
            if r.returncode != 0:
                raise Violation(f"cluster did not come up: {r.stderr.strip()[-400:]}")
            r = subprocess.run([SETUP, "stop"], env=self.env, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise Violation(f"setup-resources failed: {r.stderr.strip()[-400:]}")
            if self.args.fencing:
                # fence_netns (agents/fence) powers a node off: kills its processes, cuts its link.
                hostmap = ";".join(f"node{n}:{self.prefix}n{n}" for n in range(1, NODES + 1))
                self.c("exec", 1, "pcs", "stonith", "create", "fence-ns", "fence_netns", f"pcmk_host_map={hostmap}", check=True)
                self.c("exec", 1, "crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "true", check=True)
            # A 5 s Apache monitor, so agent faults are seen within a bound.
            self.c("exec", 1, "cibadmin", "--modify", "--xml-text",
                   '<op id="WebServer-monitor-interval-1min" interval="5s" timeout="10s"/>', check=True)
            self.poller = subprocess.Popen(["ip", "netns", "exec", f"{self.prefix}cl", POLL,
                                            os.path.join(self.dir, "poll.txt"), "3600", f"http://{self.vip}/"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            start = time.time()
            if not self.wait("first page", lambda: self.served_since(start), self.args.bound):
                raise Violation(f"no page through the VIP within {self.args.bound} s of the resources' creation")
            for fn in (self.watch_vip, self.write_cib):
                t = threading.Thread(target=fn, daemon=True)
                t.start()
                self.threads.append(t)
            for i, (kind, node, hold) in enumerate(faults, 1):
                injected = time.time()
                healed = self.inject(kind, node, hold)
                if not self.wait("page", lambda: self.served_since(healed), self.args.bound):
                    raise Violation(f"fault {i} ({kind} node{node}): no page within {self.args.bound} s of the heal")
                self.boot_fenced()
                back = next(s for s, ok, _ in self.pages() if s >= healed and ok)
                self.recoveries.append(round(back - healed, 2))
                self.outages.append(self.longest_outage(injected, back))
                via = self.live_node() or 1
                if not self.wait("online", lambda: self.boot_fenced() or self.online(via), self.args.bound):
                    raise Violation(f"fault {i} ({kind} node{node}): not all nodes Online within {self.args.bound} s of the heal")
                self.log(f"fault {i} done: page {self.recoveries[-1]} s after the heal, longest outage {self.outages[-1]} s")
                if self.args.fencing and self.overlaps:
                    raise Violation(f"VIP on two live nodes with fencing enabled: {self.overlaps[0]}")
            time.sleep(2)
            self.stop.set()
            for t in self.threads:
                t.join(timeout=30)
            self.check_cib()
            if self.args.fencing and self.overlaps:
                raise Violation(f"VIP on two live nodes with fencing enabled: {self.overlaps[0]}")
            return None
        except (Violation, subprocess.TimeoutExpired) as e:
            return str(e)
        finally:
            self.stop.set()
            for t in self.threads:
                t.join(timeout=30)
            if self.poller:
                self.poller.kill()
                self.poller.wait()
            self.collect()
            self.c("down", timeout=120)

    def check_cib(self):
        # An acknowledged change is applied by its origin before the answer and by every other
        # member when it delivers the same message: a check right after the last answer may
        # reach a member a few milliseconds early. So a missing change is looked for again for
        # up to 10 s; one that turns up late is counted (late_cib), one that never does is lost.
        for n in range(1, NODES + 1):
            deadline = time.time() + 10
            while True:
                r = self.c("exec", n, "cibadmin", "--query", "--scope", "crm_config", timeout=20)
                if r.returncode != 0:
                    raise Violation(f"node{n}: cibadmin --query failed: {r.stderr.strip()}")
                missing = [(k, v) for k, v in self.acked if f'name="{k}" value="{v}"' not in r.stdout]
                if not missing:
                    break
                if time.time() > deadline:
                    key, value = missing[0]
                    raise Violation(f"node{n}: the acknowledged change {key}={value} is lost")
                self.late_cib += 1
                self.log(f"node{n}: {len(missing)} acknowledged change(s) not there yet: {missing[:3]}")
                time.sleep(0.5)

    def collect(self):
        with open(os.path.join(self.dir, "events.txt"), "w") as f:
            f.write("\n".join(self.events) + "\n")
        for n in range(1, NODES + 1):
            for src, name in ((f"node{n}/var-log/cluster/corosync.log", f"corosync.node{n}.log"),
                              (f"node{n}/var-log/pacemaker/pacemaker.log", f"pacemaker.node{n}.log")):
                try:
                    shutil.copy(os.path.join(self.base, src), os.path.join(self.dir, name))
                except OSError:
                    pass


def describe(kind, node, hold, args):
    if kind.startswith("agent-"):
        return kind + (f" {args.hang:g}s" if kind == "agent-hang" else "")  # on the node running WebServer
    return f"{kind} {'VIP holder' if node == 0 else f'node{node}'}" + f" {hold}s"


def seeds(text):
    a, _, b = text.partition("..")
    return range(int(a), int(b or a) + 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1", help="A or A..B")
    ap.add_argument("--faults", type=int, default=3, help="faults per schedule")
    ap.add_argument("--stack", default="ours", choices=["ours", "real", "mixed"])
    ap.add_argument("--bound", type=float, default=60, help="seconds for the service to come back after a heal")
    ap.add_argument("--hang", type=float, default=25, help="seconds an agent-hang keeps Apache stopped")
    ap.add_argument("--token", type=int, default=0, help="totem token (ms); 0 keeps the default")
    ap.add_argument("--transport", default="knet", choices=["knet", "udpu"])
    ap.add_argument("--fencing", action="store_true", help="stonith-enabled=true (needs a fence device for the stack)")
    ap.add_argument("--prefix", default="cp")
    ap.add_argument("--subnet", default="10.82.0")
    ap.add_argument("--out", default=os.path.join(HERE, "runs"))
    ap.add_argument("--keep", action="store_true", help="keep the directory of passing schedules too")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("campaign.py needs root (namespaces)", file=sys.stderr)
        return 2
    # SIGTERM (a test's timeout) unwinds through the finally blocks, which take the cluster down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(args.out, exist_ok=True)
    failed = 0
    results = []
    t0 = time.time()
    for seed in seeds(args.seeds):
        c = Campaign(args, seed)
        began = time.time()
        error = c.run()
        row = {"seed": seed, "stack": args.stack, "faults": [describe(k, n, h, args) for k, n, h in c.faults],
               "ok": error is None, "error": error, "recoveries": c.recoveries, "outages": c.outages, "acked": len(c.acked),
               "late_cib": c.late_cib, "overlaps": len(c.overlaps), "fenced": c.fenced, "seconds": round(time.time() - began, 1)}
        results.append(row)
        with open(os.path.join(args.out, "results.jsonl"), "a") as f:
            f.write(json.dumps(row) + "\n")
        if error is None:
            print(f"seed {seed}: ok  faults {row['faults']}  outages {c.outages}  acked {len(c.acked)}  VIP overlaps {len(c.overlaps)}  fenced {c.fenced}  {row['seconds']} s", flush=True)
            if not args.keep:
                shutil.rmtree(c.dir, ignore_errors=True)
        else:
            failed += 1
            replay = f"bench/campaign/campaign.py --seeds {seed} --faults {args.faults} --stack {args.stack} --bound {args.bound:g}" \
                     + (f" --token {args.token}" if args.token else "") + (" --fencing" if args.fencing else "") + " -v"
            print(f"seed {seed}: FAILED: {error}\n  logs: {c.dir}\n  replay: {replay}", flush=True)
    rec = sorted(r for row in results for r in row["outages"])
    median = rec[len(rec) // 2] if rec else None
    print(f"schedules={len(results)} failed={failed} faults={sum(len(r['recoveries']) for r in results)} "
          f"longest outage per fault: median={median} s max={rec[-1] if rec else None} s "
          f"acked CIB changes={sum(r['acked'] for r in results)} late={sum(r['late_cib'] for r in results)} VIP overlaps={sum(r['overlaps'] for r in results)} "
          f"elapsed={time.time() - t0:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
