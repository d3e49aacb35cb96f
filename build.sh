#!/usr/bin/env bash
# Restores and builds everything (the tests run against these assemblies), then publishes the
# multi-call executable as one native AOT binary into artifacts/bin/, with a link per tool name.
# Native AOT needs clang and zlib1g-dev (scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")"
out=artifacts/bin
start=$SECONDS
dotnet build Cluster.sln -c Release -nologo -v quiet -clp:ErrorsOnly
built=$SECONDS
# Tools.csproj sets PublishAot: the referenced libraries are reused from the build above, only
# the native compilation is new work. Trimming/AOT warnings are errors (TreatWarningsAsErrors).
rm -rf "$out"
dotnet publish src/Tools/Tools.csproj -c Release -r linux-x64 -nologo -v quiet -clp:ErrorsOnly -o "$out"
# Keep the debug symbols (native .dbg, the libraries' .pdb), but not beside the executable.
rm -rf artifacts/symbols
mkdir -p artifacts/symbols
find "$out" -maxdepth 1 \( -name '*.dbg' -o -name '*.pdb' \) -exec mv -f {} artifacts/symbols/ \;
for name in $("$out/hacluster" --list-tools); do
  ln -sfn hacluster "$out/$name"
done
rm -rf artifacts/agents
cp -r agents artifacts/agents
echo "build: $out/hacluster (native AOT) and $("$out/hacluster" --list-tools | wc -l) tool links;" \
  "build $((built - start)) s, AOT publish $((SECONDS - built)) s"
