#!/usr/bin/env bash
# Restores, builds and publishes the multi-call executable into artifacts/bin/, with a link
# per tool name.
set -euo pipefail
cd "$(dirname "$0")"
out=artifacts/bin
dotnet build Cluster.sln -c Release -nologo -v quiet -clp:ErrorsOnly
# ReadyToRun: precompiled code, so every tool starts without JIT-compiling its whole path.
dotnet publish src/Tools/Tools.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -nologo -v quiet -clp:ErrorsOnly -o "$out"
for name in $("$out/hacluster" --list-tools); do
  ln -sfn hacluster "$out/$name"
done
rm -rf artifacts/agents
cp -r agents artifacts/agents
echo "build: $out/hacluster and $("$out/hacluster" --list-tools | wc -l) tool links"
