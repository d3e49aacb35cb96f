#!/usr/bin/env bash
# Restores, builds and publishes the multi-call executable into artifacts/bin/, with a link
# per tool name.
set -euo pipefail
cd "$(dirname "$0")"
out=artifacts/bin
dotnet build Cluster.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet publish src/Tools/Tools.csproj -c Release --no-build -nologo -v quiet -o "$out"
for name in $("$out/hacluster" --list-tools); do
  ln -sfn hacluster "$out/$name"
done
rm -rf artifacts/agents
cp -r agents artifacts/agents
echo "build: $out/hacluster and $("$out/hacluster" --list-tools | wc -l) tool links"
