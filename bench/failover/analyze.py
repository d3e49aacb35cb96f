#!/usr/bin/env python3
"""analyze.py RUNDIR - compute failover metrics for one run (see failover.sh)."""
import json, os, re, sys, time, datetime

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
t0 = meta["t0"]; victim = meta["victim"]; vip_addr = meta.get("vip", "10.78.0.100")
year = datetime.datetime.fromtimestamp(t0).year

def ts_log(line):
    m = re.match(r"^(\w{3} +\d+ \d\d:\d\d:\d\d\.\d+)", line)
    if not m: return None
    dt = datetime.datetime.strptime(m.group(1) + " %d" % year, "%b %d %H:%M:%S.%f %Y")
    return dt.timestamp()

polls = []
for l in open(os.path.join(d, "poll.txt")):
    p = l.split()
    if len(p) >= 4: polls.append((float(p[0]), float(p[1]), int(p[2]), p[3]))
first_other = next((p for p in polls if p[0] >= t0 and p[2] == 0 and p[3] != victim), None)
last_victim = None
for p in polls:
    if p[2] == 0 and p[3] == victim and p[1] <= (first_other[1] if first_other else 1e18): last_victim = p
fails = sum(1 for p in polls if p[0] >= t0 and first_other and p[1] <= first_other[1] and p[2] != 0)
res = {"stack": meta.get("stack", "real"), "scenario": meta["scenario"], "token": meta["token"], "nodes": meta["nodes"], "run": meta["run"]}
res["client_outage_s"] = round(first_other[1] - t0, 3) if first_other else None
res["new_owner"] = first_other[3] if first_other else None
res["last_ok_victim_after_t0_s"] = round(last_victim[1] - t0, 3) if last_victim and last_victim[1] >= t0 else None
res["failed_polls"] = fails
# corosync membership on survivor(s)
memb = None
for f in sorted(os.listdir(d)):
    if f.startswith("corosync.") and f.endswith(".log"):
        for l in open(os.path.join(d, f), errors="replace"):
            if "A new membership" in l:
                t = ts_log(l)
                if t and t >= t0 and (memb is None or t < memb): memb = t
                break
res["detect_membership_s"] = round(memb - t0, 3) if memb else None
# VIP appearance on survivor (ip -ts monitor)
vip = None
for f in sorted(os.listdir(d)):
    if f.startswith("ipmon."):
        for l in open(os.path.join(d, f), errors="replace"):
            if vip_addr + "/" in l and "Deleted" not in l:
                m = re.match(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\]", l)
                if m:
                    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f").timestamp()
                    if t >= t0 and (vip is None or t < vip): vip = t
res["vip_up_s"] = round(vip - t0, 3) if vip else None
res["membership_to_vip_s"] = round(vip - memb, 3) if vip and memb else None
res["vip_to_http_s"] = round(first_other[1] - vip, 3) if vip and first_other else None
# pacemaker: scheduler transition start / start ops on survivor
pe = None; started = {}; extra = {}
for f in sorted(os.listdir(d)):
    if f.startswith("pacemaker.") and f.endswith(".log"):
        for l in open(os.path.join(d, f), errors="replace"):
            t = ts_log(l)
            if t is None or t < t0: continue
            if pe is None and "Calculated transition" in l:
                pe = t
            if "dc_elected" not in extra and "S_ELECTION -> S_INTEGRATION" in l:
                extra["dc_elected"] = t
            m = re.search(r"Result of start operation for (\w+) on (\w+): ok", l)
            if m and m.group(1) not in started: started[m.group(1)] = t
res["first_scheduler_action_s"] = round(pe - t0, 3) if pe else None
if "dc_elected" in extra: res["dc_elected_s"] = round(extra["dc_elected"] - t0, 3)
for k, v in started.items(): res["start_ok_%s_s" % k] = round(v - t0, 3)
print(json.dumps(res))
