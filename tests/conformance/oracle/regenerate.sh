#!/usr/bin/env bash
# Rewrites the oracle cases: the CIBs from make_cases.py, then for each the real crm_simulate
# 2.1.5's output (NAME.summary, from `crm_simulate -x NAME.xml -S`) and graph (NAME.exp, -G).
# Cases the real tool rejects are dropped. Usage: tests/conformance/oracle/regenerate.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
real=${REAL_CRM_SIMULATE:-/usr/sbin/crm_simulate}
[ -x "$real" ] || { echo "regenerate.sh: $real not found (apt-get install pacemaker-cli-utils)" >&2; exit 1; }
rm -rf "$here/cases"
python3 "$here/make_cases.py" "$here/cases"
cd "$here/cases"
for xml in *.xml; do
  name=${xml%.xml}
  if ! LC_ALL=C timeout 60 "$real" -x "$xml" -S -G "$name.exp" > "$name.summary" 2> "$name.err"; then
    echo "dropped $name: the real crm_simulate rejects it ($(head -1 "$name.err"))"
    rm -f "$name.xml" "$name.exp" "$name.summary"
  fi
  rm -f "$name.err"
done
echo "$(ls *.xml | wc -l) cases recorded"
