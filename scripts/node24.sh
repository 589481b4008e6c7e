#!/usr/bin/env bash
# Prints the folder of a Node 24 LTS binary, installed once from the npm registry
# (the node-<os>-<arch> package holds the official build) into ~/.cache/lotse.
set -euo pipefail
version=${LOTSE_NODE24_VERSION:-24.21.0}
platform="$(node -p 'process.platform')-$(node -p 'process.arch')"
dir="$HOME/.cache/lotse/node-v$version"
bin="$dir/node_modules/node-$platform/bin"
if [ ! -x "$bin/node" ]; then
  echo "installing Node $version (node-$platform) into $dir…" >&2
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-$platform@$version" >&2
fi
echo "$bin"
