#!/usr/bin/env bash
# `npm run test:n8n`: the suites that run against a real n8n. Installs (or reuses) the pinned n8n and
# Node 24 from the npm registry, builds the hooks file n8n loads (the published dist/n8n.js), and runs
# vitest under n8n's own Node 24. Each suite starts its n8n on 127.0.0.1 and stops it by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=$(bash scripts/install-n8n-peer.sh)
node24="$cache/node-${NODE24_VERSION:-24.21.0}/bin/node"
export N8N_EMBED_CACHE="$cache"

# In workspace order: the verifier imports the other two (external in its build).
npm run build --silent -w @n8n-embed/protocol -w @n8n-embed/node-http -w @n8n-embed/verifier >/dev/null

exec "$node24" node_modules/vitest/vitest.mjs run --config vitest.n8n.config.ts "$@"
