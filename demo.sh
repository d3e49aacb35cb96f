#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job as far as it exists today.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
./build.sh
bin=artifacts/bin
echo "== tools"
"$bin/hacluster" --list-tools
