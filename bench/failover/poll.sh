#!/bin/bash
# poll.sh OUTFILE MAXSECONDS [URL] - HTTP poller, one curl every ~20 ms, bounded in time.
# Each line: <start epoch> <end epoch> <curl exit code> <body or _>
out=$1; max=$2; url=${3:-http://10.78.0.100/}
end=$((EPOCHSECONDS + max))
exec 3>>"$out"
while (( EPOCHSECONDS < end )); do
	t0=$EPOCHREALTIME
	r=$(curl -s -m 0.2 --connect-timeout 0.1 "$url" 2>/dev/null); rc=$?
	t1=$EPOCHREALTIME
	r=${r//[$'\n\r ']/}
	echo "$t0 $t1 $rc ${r:-_}" >&3
	sleep 0.02
done
