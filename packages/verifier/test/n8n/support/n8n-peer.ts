import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cached n8n test peer that scripts/install-n8n-peer.sh installs. */
export const N8N_VERSION = process.env.N8N_PEER_VERSION ?? '2.41.1';
const NODE24_VERSION = process.env.NODE24_VERSION ?? '24.21.0';

export function peerCache(): string {
  return (
    process.env.N8N_EMBED_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-embed')
  );
}

/** n8n's package folder (holding its package.json). */
export function n8nRoot(): string {
  const root = join(peerCache(), `n8n-${N8N_VERSION}`, 'node_modules', 'n8n');
  if (!existsSync(join(root, 'package.json'))) {
    throw new Error(`n8n ${N8N_VERSION} is not installed in ${peerCache()}: run npm run test:n8n`);
  }
  return root;
}

export function node24(): string {
  return join(peerCache(), `node-${NODE24_VERSION}`, 'bin', 'node');
}
