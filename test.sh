#!/usr/bin/env bash
# Runs every test (unit, golden, conformance, simulation, end to end) and ends with one line
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
results=artifacts/test-results
rm -rf "$results"
if ! ./build.sh; then
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test Cluster.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?
passed=0 failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi  # a crashed test host counts
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
