#!/usr/bin/env python3
"""Writes small hand-made CIBs covering fencing, shutdown, failed operations of every kind,
on-fail values, migration-threshold, failure-timeout and quorum loss into DIR (default: cases/
beside this script). regenerate.sh runs each through the real crm_simulate 2.1.5 to record the
expected summary (NAME.summary) and graph (NAME.exp); tests/Crm.Tests (OracleCaseTests) compares
ours against them.

Operation digests are deliberately constant (not the resources' real digests): Pacemaker then
sees changed parameters, which exercises rescheduled monitors and fail-count clearing too.
"""
import os
import sys
def nv(i,n,v): return f'<nvpair id="{i}" name="{n}" value="{v}"/>'
def op(rsc, task, interval, rc, node, call, status=0, suffix=None, expected=None):
    suffix = suffix or ("last_0" if interval==0 else f"monitor_{interval}")
    exp = expected if expected is not None else (7 if task=="monitor" and interval==0 else 0)
    key=f"{call}:1:{exp}:00000000-0000-0000-0000-000000000000"
    return (f'<lrm_rsc_op id="{rsc}_{suffix}" operation_key="{rsc}_{task}_{interval}" operation="{task}" crm-debug-origin="x" crm_feature_set="3.16.1" '
            f'transition-key="{key}" transition-magic="{status}:{rc};{key}" exit-reason="" on_node="{node}" call-id="{call}" rc-code="{rc}" op-status="{status}" '
            f'interval="{interval}" last-rc-change="1700000000" exec-time="10" queue-time="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>')
def cib(props, nodes, resources, status, constraints="", have_quorum=1, rsc_meta=""):
    p="".join(nv("o-"+k,k,v) for k,v in props.items())
    ns="".join(f'<node id="{i+1}" uname="{n}"/>' for i,n in enumerate(nodes))
    return f'''<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="10" num_updates="0" admin_epoch="0" have-quorum="{have_quorum}" dc-uuid="1">
<configuration><crm_config><cluster_property_set id="o">{p}</cluster_property_set></crm_config>
<nodes>{ns}</nodes><resources>{resources}</resources><constraints>{constraints}</constraints>{rsc_meta}</configuration>
<status>{status}</status></cib>'''
def prim(i, stonith=False, meta=None, ops=None):
    cls = 'class="stonith" type="fence_dummy"' if stonith else 'class="ocf" provider="pacemaker" type="Dummy"'
    m = "" if not meta else f'<meta_attributes id="{i}-m">' + "".join(nv(f"{i}-m-{k}",k,v) for k,v in meta.items()) + '</meta_attributes>'
    o = ops if ops is not None else f'<op id="{i}-mon" name="monitor" interval="10s"/>'
    return f'<primitive id="{i}" {cls}>{m}<operations>{o}</operations></primitive>'
ONLINE='in_ccm="true" crmd="online" join="member" expected="member"'
LOST='in_ccm="false" crmd="offline" join="down" expected="member"'
DOWN='in_ccm="false" crmd="offline" join="down" expected="down"'
def ns(i, n, state, lrm, attrs=None):
    t = "" if not attrs else f'<transient_attributes id="{i}"><instance_attributes id="st-{i}">' + "".join(nv(f"st-{i}-{k}",k,v) for k,v in attrs.items()) + '</instance_attributes></transient_attributes>'
    return f'<node_state id="{i}" uname="{n}" {state} crm-debug-origin="x">{t}<lrm id="{i}"><lrm_resources>{lrm}</lrm_resources></lrm></node_state>'
def lr(rsc, ops, stonith=False):
    cls = 'type="fence_dummy" class="stonith"' if stonith else 'type="Dummy" class="ocf" provider="pacemaker"'
    return f'<lrm_resource id="{rsc}" {cls}>{"".join(ops)}</lrm_resource>'


N=["node1","node2","node3"]
F = prim("fence1", stonith=True, ops="")
def fence_hist(): return lr("fence1",[op("fence1","start",0,0,"node1",1)],stonith=True)
def probe(rsc,node,call): return lr(rsc,[op(rsc,"monitor",0,7,node,call)])
def running(rsc,node,call): return lr(rsc,[op(rsc,"start",0,0,node,call), op(rsc,"monitor",10000,0,node,call+1)])
out={}

# ---- lost nodes, shutdown, failures, on-fail, quorum

# --- lost nodes
for name, props, dev in [("lost_nostonith",{"stonith-enabled":"false"},False),
                          ("lost_stonith",{"stonith-enabled":"true"},True),
                          ("lost_stonith_nodev",{"stonith-enabled":"true"},False)]:
    res = (F if dev else "") + prim("rsc1") + prim("rsc2")
    st = ns(1,"node1",ONLINE,(fence_hist() if dev else "")+probe("rsc1","node1",2)+running("rsc2","node1",3)) \
       + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)) \
       + ns(3,"node3",LOST,running("rsc1","node3",5))
    out[name]=cib(props,N,res,st)
# lost node with group and order
res = F + '<group id="g1">'+prim("a")+prim("b")+'</group>' + prim("c")
st = ns(1,"node1",ONLINE,fence_hist()+probe("a","node1",2)+probe("b","node1",3)+probe("c","node1",4)) \
   + ns(2,"node2",ONLINE,probe("a","node2",2)+probe("b","node2",3)+running("c","node2",4)) \
   + ns(3,"node3",LOST,running("a","node3",5)+running("b","node3",7))
out["lost_stonith_group"]=cib({"stonith-enabled":"true"},N,res,st,constraints='<rsc_order id="o1" first="g1" then="c"/>')
# --- clean shutdown
res = F + prim("rsc1") + prim("rsc2")
st = ns(1,"node1",ONLINE,fence_hist()+probe("rsc1","node1",2)+probe("rsc2","node1",3)) \
   + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)) \
   + ns(3,"node3",ONLINE,running("rsc1","node3",5)+running("rsc2","node3",7),attrs={"shutdown":"1700000000"})
out["shutdown_attr"]=cib({"stonith-enabled":"true"},N,res,st)
st = ns(1,"node1",ONLINE,fence_hist()+probe("rsc1","node1",2)+probe("rsc2","node1",3)) \
   + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)) \
   + ns(3,"node3",DOWN,running("rsc1","node3",5))
out["shutdown_down_hist"]=cib({"stonith-enabled":"true"},N,res,st)
out["shutdown_down_hist_nostonith"]=cib({"stonith-enabled":"false"},N,res,st)
# --- failures on node1 (online), stonith on with device
def fail_case(opname, interval, rc, status=0, meta=None, opsxml=None, attrs=None, extra_ops=None, props=None):
    props = props or {"stonith-enabled":"true"}
    res = F + prim("rsc1", meta=meta, ops=opsxml) + prim("rsc2")
    if opname=="start":
        ops=[op("rsc1","start",0,rc,"node1",5,status=status)]
        if rc!=0 or status!=0: ops.append(op("rsc1","start",0,rc,"node1",5,status=status,suffix="last_failure_0"))
    elif opname=="stop":
        ops=[op("rsc1","stop",0,rc,"node1",6,status=status), op("rsc1","stop",0,rc,"node1",6,status=status,suffix="last_failure_0")]
    elif opname=="monitor":
        ops=[op("rsc1","start",0,0,"node1",5), op("rsc1","monitor",interval,rc,"node1",6,status=status), op("rsc1","monitor",interval,rc,"node1",6,status=status,suffix="last_failure_0")]
    elif opname=="probe":
        ops=[op("rsc1","monitor",0,rc,"node1",5,status=status), op("rsc1","monitor",0,rc,"node1",5,status=status,suffix="last_failure_0")]
    st = ns(1,"node1",ONLINE,fence_hist()+lr("rsc1",ops)+running("rsc2","node1",8),attrs=attrs) \
       + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)) \
       + ns(3,"node3",ONLINE,probe("rsc1","node3",2)+probe("rsc2","node3",3))
    return cib(props,N,res,st)
for rc in [1,2,3,4,5,6,7]:
    out[f"fail_start_rc{rc}"]=fail_case("start",0,rc)
    out[f"fail_probe_rc{rc}"]=fail_case("probe",0,rc)
    out[f"fail_monitor_rc{rc}"]=fail_case("monitor",10000,rc)
for rc in [1,2,5]:
    out[f"fail_stop_rc{rc}"]=fail_case("stop",0,rc)
    out[f"fail_stop_rc{rc}_nostonith"]=fail_case("stop",0,rc,props={"stonith-enabled":"false"})
for s in [2,4,3,5,6,7]:
    out[f"fail_start_status{s}"]=fail_case("start",0,1,status=s)
    out[f"fail_monitor_status{s}"]=fail_case("monitor",10000,1,status=s)
    out[f"fail_stop_status{s}"]=fail_case("stop",0,1,status=s)
for of in ["restart","block","fence","standby","ignore","stop","demote"]:
    ops=f'<op id="rsc1-mon" name="monitor" interval="10s" on-fail="{of}"/>'
    out[f"onfail_monitor_{of}"]=fail_case("monitor",10000,7,opsxml=ops)
    ops=f'<op id="rsc1-start" name="start" interval="0" on-fail="{of}"/><op id="rsc1-mon" name="monitor" interval="10s"/>'
    out[f"onfail_start_{of}"]=fail_case("start",0,1,opsxml=ops)
    ops=f'<op id="rsc1-stop" name="stop" interval="0" on-fail="{of}"/><op id="rsc1-mon" name="monitor" interval="10s"/>'
    out[f"onfail_stop_{of}"]=fail_case("stop",0,1,opsxml=ops)
for mt in ["1","2","3"]:
    out[f"migthr{mt}_fc2"]=fail_case("monitor",10000,7,meta={"migration-threshold":mt},attrs={"fail-count-rsc1#monitor_10000":"2","last-failure-rsc1#monitor_10000":"1700000000"})
out["failtimeout_expired"]=fail_case("monitor",10000,7,meta={"migration-threshold":"1","failure-timeout":"60s"},attrs={"fail-count-rsc1#monitor_10000":"1","last-failure-rsc1#monitor_10000":"1700000000"})
out["failtimeout_start_expired"]=fail_case("start",0,1,meta={"failure-timeout":"60s"},attrs={"fail-count-rsc1#start_0":"INFINITY","last-failure-rsc1#start_0":"1700000000"})
out["failcount_start_inf"]=fail_case("start",0,1,attrs={"fail-count-rsc1#start_0":"INFINITY","last-failure-rsc1#start_0":"1700000000"})
# --- quorum
for pol in ["stop","freeze","ignore","demote","suicide"]:
    res = F + prim("rsc1") + prim("rsc2") + prim("rsc3")
    st = ns(1,"node1",ONLINE,fence_hist()+running("rsc1","node1",2)+probe("rsc2","node1",4)+probe("rsc3","node1",5)) \
       + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)+probe("rsc3","node2",5)) \
       + ns(3,"node3",LOST,running("rsc2","node3",5))
    out[f"noquorum_{pol}"]=cib({"stonith-enabled":"true","no-quorum-policy":pol},N,res,st,have_quorum=0)
    out[f"noquorum_{pol}_nostonith"]=cib({"stonith-enabled":"false","no-quorum-policy":pol},N,res,st,have_quorum=0)

# ---- stonith enabled without a device

res = prim("rsc1") + prim("rsc2") + prim("rsc3")
st = ns(1,"node1",ONLINE,running("rsc1","node1",2)+running("rsc2","node1",4)+probe("rsc3","node1",6)) \
   + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)+probe("rsc3","node2",4)) \
   + ns(3,"node3",ONLINE,probe("rsc1","node3",2)+probe("rsc2","node3",3)+probe("rsc3","node3",4))
out["nodev_ban"]=cib({"stonith-enabled":"true"},N,res,st,constraints='<rsc_location id="l1" rsc="rsc1" node="node1" score="-INFINITY"/>')
out["nodev_ban_stopped"]=cib({"stonith-enabled":"true"},N,res,st,constraints='<rsc_location id="l1" rsc="rsc1" node="node1" score="-INFINITY"/>',rsc_meta="")
res2 = prim("rsc1", meta={"target-role":"Stopped"}) + prim("rsc2", meta={"requires":"nothing"}) + prim("rsc3", meta={"requires":"quorum"})
out["nodev_roles"]=cib({"stonith-enabled":"true"},N,res2,st)
st2 = ns(1,"node1",ONLINE,running("rsc1","node1",2)+lr("rsc2",[op("rsc2","start",0,0,"node1",4),op("rsc2","monitor",10000,7,"node1",5),op("rsc2","monitor",10000,7,"node1",5,suffix="last_failure_0")])+probe("rsc3","node1",6)) \
   + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)+probe("rsc3","node2",4)) \
   + ns(3,"node3",ONLINE,probe("rsc1","node3",2)+probe("rsc2","node3",3)+probe("rsc3","node3",4))
out["nodev_monfail"]=cib({"stonith-enabled":"true"},N,res,st2)
st3 = ns(1,"node1",ONLINE,running("rsc1","node1",2)) + ns(2,"node2",ONLINE,"") + ns(3,"node3",ONLINE,"")
out["nodev_probe"]=cib({"stonith-enabled":"true"},N,res,st3)

# ---- unmanaged resources

res = prim("rsc1",meta={"is-managed":"false"}) + prim("rsc2",meta={"is-managed":"false"}) + prim("rsc3")
st3 = ns(1,"node1",ONLINE,running("rsc1","node1",2)) + ns(2,"node2",ONLINE,"") + ns(3,"node3",ONLINE,"")
out["unmanaged_mon"]=cib({"stonith-enabled":"false"},N,res,st3)

# ---- a node down cleanly with resource history

res = prim("rsc1") + prim("rsc2")
st = ns(1,"node1",ONLINE,probe("rsc1","node1",2)+probe("rsc2","node1",3)) \
   + ns(2,"node2",ONLINE,probe("rsc1","node2",2)+probe("rsc2","node2",3)) \
   + ns(3,"node3",DOWN,running("rsc1","node3",5))
out["down_hist_nodev"]=cib({"stonith-enabled":"true"},N,res,st)
res = prim("rsc1",meta={"is-managed":"false"}) + prim("rsc2") + prim("fence1",stonith=True,ops="")
out["down_hist_unmanaged"]=cib({"stonith-enabled":"true"},N,res,st)
res = prim("rsc1",meta={"requires":"quorum"}) + prim("rsc2") + prim("fence1",stonith=True,ops="")
out["down_hist_quorum"]=cib({"stonith-enabled":"true"},N,res,st)
out["down_hist_maint"]=cib({"stonith-enabled":"true","maintenance-mode":"true"},N,res,st)

# ---- which on-fail values outlive a completed stop; stop's on-fail reset to the default
for of in ["stop","standby","demote"]:
    ops=f'<op id="rsc1-stop" name="stop" interval="0" on-fail="{of}"/><op id="rsc1-mon" name="monitor" interval="10s"/>'
    out[f"nos_onfail_stop_{of}"]=fail_case("stop",0,1,opsxml=ops,props={"stonith-enabled":"false"})
for of in ["fence","standby","stop","block","restart"]:
    ops=f'<op id="rsc1-mon" name="monitor" interval="10s" on-fail="{of}"/>'
    x=fail_case("monitor",10000,7,opsxml=ops)
    # a successful stop after the failed monitor: which on-fail outlives it
    x=x.replace('</lrm_resource><lrm_resource id="rsc2"', op("rsc1","stop",0,0,"node1",7)+'</lrm_resource><lrm_resource id="rsc2"',1)
    out[f"monfail_then_stop_{of}"]=x

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
os.makedirs(d, exist_ok=True)
for k, v in sorted(out.items()):
    with open(os.path.join(d, k + ".xml"), "w") as fh:
        fh.write(v + "\n")
print(f"{len(out)} cases written to {d}")
