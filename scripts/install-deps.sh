#!/usr/bin/env bash
# Installs the Debian packages the build, the demo and the tests need, when missing.
# Idempotent; runs apt-get update at most once, and only if something is missing.
set -euo pipefail
packages=(
  iproute2          # ip netns / veth / addresses for the namespace harness and IPaddr2
  iputils-arping    # gratuitous ARP from IPaddr2
  procps psmisc     # ps/pgrep for agents
  curl              # web checks of the demo and apache agent
  apache2           # the web server the apache agent runs
  resource-agents   # the real OCF agents, run side by side with ours
  pacemaker-cli-utils  # the real crm_simulate for differential tests
  util-linux        # setsid, unshare, nsenter
  clang zlib1g-dev  # native AOT: the compiler/linker and zlib the runtime links against
  corosync pacemaker  # Debian's real corosync tools and pacemakerd, run against OUR daemon (libqb interop tests)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages with daemons (corosync, pacemaker, apache2) must not start them on this machine's
# interfaces: forbid service starts during the install unless a policy already does.
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && guard=1
fi
apt-get update -qq </dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
[ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now corosync pacemaker >/dev/null 2>&1 || true; fi
# Debian starts apache2 on install; tests run their own instances on their own ports.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now apache2 >/dev/null 2>&1 || true; fi
