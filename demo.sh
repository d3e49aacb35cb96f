#!/usr/bin/env bash
# The main job: installs what is missing, builds, then runs the tutorial walkthrough on our stack
# (scripts/walkthrough.sh): a 3-node cluster in network namespaces, corosync and pacemaker
# started with the usual tools, a floating IP and Apache configured with the tutorial's pcs
# commands, the page read through the VIP from a client namespace, node1 crashed with the
# client's outage measured, node1 back. Needs root (namespaces); without root it runs the older
# local demo (scripts/local-demo.sh: corosync on 127.0.0.x and crm_simulate).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
./build.sh
if [ "$(id -u)" -ne 0 ]; then
  echo "demo.sh: not root, so no network namespaces: running scripts/local-demo.sh instead" >&2
  exec scripts/local-demo.sh --no-build
fi
exec scripts/walkthrough.sh
