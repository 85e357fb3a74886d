// Runs the example portal: `npm start` with N8N_URL, N8N_EMBED_PRIVATE_KEY (a private JWK file),
// N8N_EMBED_ISSUER and N8N_EMBED_AUDIENCE set (see README.md). A configuration mistake is one line
// naming the variable, no stack trace: exit 2; a port in use: exit 1.
import { readFileSync } from 'node:fs';
import { createLoginSigner } from '@n8n-embed/sdk';
import { startPortal } from './portal.js';

/** A mistake the user can fix, printed as one line. */
class PortalConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

process.on('uncaughtException', (error) => {
  if (error instanceof PortalConfigError) {
    console.error(`portal: ${error.message}`);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(1);
});

// What reaches the terminal is quoted: a value with control characters cannot rewrite the line.
const quoted = (value: string) => JSON.stringify(value);

function env(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (value === undefined) throw new PortalConfigError(`set ${name} (see examples/portal/README.md)`);
  return value;
}

function readKeyFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PortalConfigError(
      code === 'ENOENT'
        ? `N8N_EMBED_PRIVATE_KEY: no file at ${quoted(path)} (create one: npm run n8n-embed -- keys generate --out keys)`
        : `N8N_EMBED_PRIVATE_KEY: cannot read ${quoted(path)} (${code ?? 'error'})`,
    );
  }
  try {
    const jwk: unknown = JSON.parse(text);
    if (typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk)) return jwk as Record<string, unknown>;
  } catch {}
  throw new PortalConfigError(`N8N_EMBED_PRIVATE_KEY: ${quoted(path)} is not a JWK file (JSON object)`);
}

const n8nUrl = env('N8N_URL', 'http://127.0.0.1:5678/');
if (!/^https?:\/\/./i.test(n8nUrl) || !URL.canParse(n8nUrl))
  throw new PortalConfigError(
    `N8N_URL=${quoted(n8nUrl)} is not an http(s) URL (e.g. http://127.0.0.1:5678/)`,
  );
const portText = env('PORT', '3000');
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65_535)
  throw new PortalConfigError(`PORT=${quoted(portText)} is not a port (0–65535; 0 picks a free one)`);
const signals = process.env.N8N_EMBED_SIGNALS || undefined;
if (signals !== undefined && !['bridge', 'handshake', 'load'].includes(signals))
  throw new PortalConfigError(`N8N_EMBED_SIGNALS=${quoted(signals)} is not one of bridge, handshake, load`);
const keyPath = env('N8N_EMBED_PRIVATE_KEY');
const privateJwk = readKeyFile(keyPath);

const signer = await createLoginSigner({
  privateKey: privateJwk as never,
  // Default: the JWK's own kid (the SDK requires one).
  ...(process.env.N8N_EMBED_KID ? { kid: process.env.N8N_EMBED_KID } : {}),
  ...(typeof privateJwk.alg === 'string' ? { alg: privateJwk.alg as never } : {}),
  issuer: env('N8N_EMBED_ISSUER', `http://127.0.0.1:${port}`),
  audience: env('N8N_EMBED_AUDIENCE', n8nUrl),
}).catch((error: { code?: string; message: string }) => {
  // The SDK's configuration errors already say what is wrong (a public key, a short RSA key …).
  if (error.code === 'ERR_EMBED_CONFIG_INVALID')
    throw new PortalConfigError(`N8N_EMBED_PRIVATE_KEY (${quoted(keyPath)}): ${error.message}`);
  throw error;
});

const portal = await startPortal({
  signer,
  n8nUrl,
  port,
  ...(signals ? { signals: signals as 'bridge' | 'handshake' | 'load' } : {}),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE')
    throw new PortalConfigError(`PORT ${port} is in use; set PORT to another port (0 picks a free one)`, 1);
  throw error;
});
console.log(`Portal: ${portal.url}  (n8n: ${n8nUrl})`);

// Not fatal (n8n may start after the portal), but the first thing to check when the frame stays empty.
await fetch(n8nUrl, { signal: AbortSignal.timeout(3000), redirect: 'manual' }).catch(() =>
  console.error(`portal: warning: N8N_URL ${quoted(n8nUrl)} does not answer (yet); is n8n running?`),
);
