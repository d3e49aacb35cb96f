#!/usr/bin/env bash
# Runs the same pcs / crm_mon / crm_resource commands with the real tools and with ours, each on
# its own copy of a CIB file, and prints every difference (output, exit status, final CIB).
# Usage: scripts/pcs-differential.sh [START_CIB] < COMMANDS   (one command per line, "pcs ..."
# or "crm_mon ..."; the file is passed as -f / CIB_file). Needs the real pcs and pacemaker-cli-utils.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ours="$here/artifacts/bin/hacluster"
[ -x "$ours" ] || ours="dotnet $here/src/Tools/bin/Release/net10.0/hacluster.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then cp "$1" "$work/real.xml"; cp "$1" "$work/ours.xml"; fi
export HA_AGENTS_DIR="$here/agents"
differences=0 n=0
normalise() { sed -E 's/Last updated: .*/Last updated: X/'; }
while IFS= read -r line; do
  [ -z "$line" ] && continue
  n=$((n + 1))
  tool=${line%% *} rest=${line#* }
  case $tool in
    pcs) real=$(cd "$work" && eval "pcs -f real.xml $rest" 2>&1; echo "# exit $?")
         mine=$(cd "$work" && eval "$ours pcs -f ours.xml $rest" 2>&1; echo "# exit $?") ;;
    *)   real=$(cd "$work" && eval "CIB_file=real.xml $tool $rest" 2>&1; echo "# exit $?")
         mine=$(cd "$work" && eval "CIB_file=ours.xml $ours $tool $rest" 2>&1; echo "# exit $?") ;;
  esac
  if ! diff <(normalise <<<"$real") <(normalise <<<"$mine") >"$work/d"; then
    differences=$((differences + 1)); echo "### $line"; cat "$work/d"
  fi
done
strip() { sed -E 's/ (epoch|num_updates|admin_epoch|crm_feature_set|validate-with)="[^"]*"//g' "$1"; }
if ! diff <(strip "$work/real.xml") <(strip "$work/ours.xml") >"$work/d"; then
  differences=$((differences + 1)); echo "### final CIB"; cat "$work/d"
fi
echo "$n commands, $differences differences"
