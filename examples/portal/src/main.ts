// Runs the example portal: `npm start` with N8N_URL, N8N_EMBED_PRIVATE_KEY (a private JWK file),
// N8N_EMBED_ISSUER and N8N_EMBED_AUDIENCE set (see README.md).
import { readFileSync } from 'node:fs';
import { createLoginSigner } from '@n8n-embed/sdk';
import { startPortal } from './portal.js';

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`Set ${name} (see examples/portal/README.md).`);
    process.exit(2);
  }
  return value;
}

const n8nUrl = env('N8N_URL', 'http://127.0.0.1:5678/');
const port = Number(env('PORT', '3000'));
const privateJwk = JSON.parse(readFileSync(env('N8N_EMBED_PRIVATE_KEY'), 'utf8'));
const signer = await createLoginSigner({
  privateKey: privateJwk,
  kid: env('N8N_EMBED_KID', privateJwk.kid),
  alg: privateJwk.alg,
  issuer: env('N8N_EMBED_ISSUER', `http://127.0.0.1:${port}`),
  audience: env('N8N_EMBED_AUDIENCE', n8nUrl),
});
const portal = await startPortal({ signer, n8nUrl, port });
console.log(`Portal: ${portal.url}  (n8n: ${n8nUrl})`);
