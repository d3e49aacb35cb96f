#!/bin/bash
# setup-resources.sh [NQP] - the seeds' walkthrough resources on the running cluster, set from node1.
#   NQP = no-quorum-policy value (default ignore)
# The same commands for every STACK, with the tools the stack puts on the node's PATH: crm_attribute
# for the properties, cibadmin for the rest. (pcs is not part of the Debian install here, and the
# real crm_attribute refuses `-t rsc_defaults` with "Could not map name=... to a UUID".) The XML is
# what pcs 0.11.5 writes for the tutorial's commands (../../../shared/golden/cibadmin-query.txt):
#   pcs property set stonith-enabled=false; pcs property set no-quorum-policy=NQP
#   pcs resource create WebIP ocf:heartbeat:IPaddr2 ip=VIP cidr_netmask=24 op monitor interval=30s
#   pcs resource create WebServer ocf:heartbeat:apache configfile=/etc/apache2/apache2.conf \
#       statusurl=http://127.0.0.1/server-status op monitor interval=1min
#   pcs constraint colocation add WebServer with WebIP INFINITY
#   pcs constraint order WebIP then WebServer
#   pcs constraint location WebServer prefers node1=500
#   pcs resource defaults update resource-stickiness=100
# Idempotent: sections are replaced, not appended to.
# SETUP_WITH=pcs runs the tutorial's pcs commands above instead (the node's pcs: ours with
# STACK=ours; Debian's pcs only if installed). Until our controller fills <nodes>, our live pcs
# needs --force for a location naming a node, so it is passed.
set -u
C=$(cd "$(dirname "$0")" && pwd)/cluster.sh
VIP=${FO_SUBNET:-10.78.0}.100
x() { echo "+ $*"; "$C" exec 1 "$@"; }
fail() { echo "setup-resources: $* failed" >&2; exit 1; }
if [ "${SETUP_WITH:-cibadmin}" = pcs ]; then
	x pcs property set stonith-enabled=false || fail stonith-enabled
	x pcs property set no-quorum-policy="${1:-ignore}" || fail no-quorum-policy
	x pcs resource create WebIP ocf:heartbeat:IPaddr2 ip="$VIP" cidr_netmask=24 op monitor interval=30s || fail WebIP
	x pcs resource create WebServer ocf:heartbeat:apache configfile=/etc/apache2/apache2.conf \
		statusurl=http://127.0.0.1/server-status op monitor interval=1min || fail WebServer
	x pcs constraint colocation add WebServer with WebIP INFINITY || fail colocation
	x pcs constraint order WebIP then WebServer || fail order
	x pcs constraint location WebServer prefers node1=500 --force || fail location
	x pcs resource defaults update resource-stickiness=100 || fail defaults
	exit 0
fi
x crm_attribute -t crm_config -n stonith-enabled -v false || fail stonith-enabled
x crm_attribute -t crm_config -n no-quorum-policy -v "${1:-ignore}" || fail no-quorum-policy
x cibadmin --replace -o resources --xml-text "<resources>
  <primitive id=\"WebIP\" class=\"ocf\" type=\"IPaddr2\" provider=\"heartbeat\">
    <instance_attributes id=\"WebIP-instance_attributes\">
      <nvpair id=\"WebIP-instance_attributes-cidr_netmask\" name=\"cidr_netmask\" value=\"24\"/>
      <nvpair id=\"WebIP-instance_attributes-ip\" name=\"ip\" value=\"$VIP\"/>
    </instance_attributes>
    <operations>
      <op name=\"monitor\" interval=\"30s\" id=\"WebIP-monitor-interval-30s\"/>
      <op name=\"start\" interval=\"0s\" timeout=\"20s\" id=\"WebIP-start-interval-0s\"/>
      <op name=\"stop\" interval=\"0s\" timeout=\"20s\" id=\"WebIP-stop-interval-0s\"/>
    </operations>
  </primitive>
  <primitive id=\"WebServer\" class=\"ocf\" type=\"apache\" provider=\"heartbeat\">
    <instance_attributes id=\"WebServer-instance_attributes\">
      <nvpair id=\"WebServer-instance_attributes-configfile\" name=\"configfile\" value=\"/etc/apache2/apache2.conf\"/>
      <nvpair id=\"WebServer-instance_attributes-statusurl\" name=\"statusurl\" value=\"http://127.0.0.1/server-status\"/>
    </instance_attributes>
    <operations>
      <op name=\"monitor\" interval=\"1min\" id=\"WebServer-monitor-interval-1min\"/>
      <op name=\"start\" interval=\"0s\" timeout=\"40s\" id=\"WebServer-start-interval-0s\"/>
      <op name=\"stop\" interval=\"0s\" timeout=\"60s\" id=\"WebServer-stop-interval-0s\"/>
    </operations>
  </primitive>
</resources>" || fail resources
x cibadmin --replace -o constraints --xml-text '<constraints>
  <rsc_colocation rsc="WebServer" with-rsc="WebIP" score="INFINITY" id="colocation-WebServer-WebIP-INFINITY"/>
  <rsc_order first="WebIP" then="WebServer" first-action="start" then-action="start" id="order-WebIP-WebServer-mandatory"/>
  <rsc_location id="location-WebServer-node1-500" rsc="WebServer" node="node1" score="500"/>
</constraints>' || fail constraints
defaults='<rsc_defaults>
  <meta_attributes id="rsc_defaults-meta_attributes">
    <nvpair id="rsc_defaults-meta_attributes-resource-stickiness" name="resource-stickiness" value="100"/>
  </meta_attributes>
</rsc_defaults>'
# rsc_defaults is absent from a new CIB: create it then, replace it otherwise.
if "$C" exec 1 cibadmin --query -o rsc_defaults >/dev/null 2>&1; then
	x cibadmin --replace -o rsc_defaults --xml-text "$defaults" || fail rsc_defaults
else
	x cibadmin --create -o configuration --xml-text "$defaults" || fail rsc_defaults
fi
