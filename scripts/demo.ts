// `npm run demo`: a portal and a local n8n-compatible endpoint on 127.0.0.1, signed together by a key
// pair the CLI creates in .demo/ on the first run. With N8N_URL set, the portal points at that n8n
// instead (configure its N8N_TOKEN_EXCHANGE_TRUSTED_KEYS with the printed file). Ctrl-C stops both.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { nodeIo, run } from '@n8n-embed/cli';
import { createLoginSigner } from '@n8n-embed/sdk';
import { startPortal } from '../examples/portal/src/portal.js';

/** A mistake the user can fix: printed as one line, no stack trace. */
class DemoError extends Error {}

// A mistake the user can fix (ours, or a typed config_invalid from the packages) is one line; anything
// else is a bug and keeps its stack trace.
process.on('uncaughtException', (error) => {
  const known = error instanceof DemoError || (error as { reason?: string }).reason === 'config_invalid';
  console.error(known ? `demo: ${error.message}` : error);
  process.exit(1);
});

function portFrom(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new DemoError(`${variable}=${JSON.stringify(text)} is not a port (0–65535; 0 picks a free one)`);
  return port;
}

/** A busy port is the likeliest first-run failure (n8n itself uses 5678): name it and the variable. */
async function assertPortFree(port: number, variable: string, who: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  const error = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    probe.once('error', done);
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(undefined)));
  });
  if (error?.code === 'EADDRINUSE')
    throw new DemoError(
      `port ${port} (${who}) is in use; set ${variable} to another port, or ${variable}=0 for a free one`,
    );
  if (error)
    throw new DemoError(`cannot listen on 127.0.0.1:${port} (${who}): ${error.code ?? error.message}`);
}

/** A free port on 127.0.0.1, for DEMO_PORTAL_PORT=0. */
async function freePortNumber(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise((done) => probe.close(done));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

const root = resolve(import.meta.dirname, '..');
const dir = resolve(root, process.env.DEMO_DIR ?? '.demo');
const portalPort = portFrom('DEMO_PORTAL_PORT', 3000);
const n8nPort = portFrom('DEMO_N8N_PORT', 5678);
const realN8n = process.env.N8N_URL || undefined;
// `npm run demo -- --n8n`: the cached real n8n 2.41.1 with the hooks adapter instead of n8n-embed dev.
const withN8n = process.argv.slice(2).includes('--n8n');
if (withN8n && realN8n !== undefined) throw new DemoError('--n8n starts its own n8n: unset N8N_URL');
if (realN8n !== undefined && (!/^https?:\/\/./.test(realN8n) || !URL.canParse(realN8n)))
  throw new DemoError(
    `N8N_URL=${JSON.stringify(realN8n)} is not an http(s) URL (e.g. http://127.0.0.1:5678/)`,
  );
const io = nodeIo();
const issuer = 'http://127.0.0.1:3000';
// The audience is a name both sides agree on; for the local endpoint it need not be its live URL.
const audience = realN8n ?? 'http://127.0.0.1:5678/';

async function cli(...args: string[]): Promise<void> {
  const code = await run(args, { ...io, cwd: dir, stdout: () => {} });
  if (code !== 0) throw new DemoError(`n8n-embed ${args.slice(0, 2).join(' ')} failed (exit ${code})`);
}

await assertPortFree(portalPort, 'DEMO_PORTAL_PORT', 'the portal');
// The browser helper's handshake names the portal's origin, so the portal's port is fixed up front.
const portalListenPort = portalPort === 0 ? await freePortNumber() : portalPort;
const portalOrigins = [`http://127.0.0.1:${portalListenPort}`, `http://localhost:${portalListenPort}`];
if (realN8n === undefined && !withN8n) await assertPortFree(n8nPort, 'DEMO_N8N_PORT', 'n8n-embed dev');
else if (realN8n !== undefined) {
  // Not fatal (n8n may start after the portal), but the first thing to check when the iframe is empty.
  await fetch(realN8n, { signal: AbortSignal.timeout(3000) }).catch(() =>
    console.error(`demo: warning: N8N_URL ${realN8n} does not answer (yet); is that n8n running?`),
  );
}

const kid = 'demo-portal';
const privateKey = join(dir, 'keys', `${kid}.private.jwk`);
if (!existsSync(privateKey)) await cli('keys', 'generate', '--out', 'keys', '--kid', kid);
const trustedKeys = join(dir, 'trusted-keys.json');
const config = {
  ...io,
  cwd: dir,
  stdout: (text: string) => writeFileSync(trustedKeys, text),
  // Only the CLI's failure line, not its hint about n8n's variables.
  stderr: (text: string) => (text.startsWith('n8n-embed:') ? io.stderr(text) : undefined),
};
const args = [
  'keys',
  'trusted-config',
  '--public-key',
  `keys/${kid}.public.jwk`,
  '--issuer',
  issuer,
  '--audience',
  audience,
];
if ((await run(args, config)) !== 0) throw new DemoError('n8n-embed keys trusted-config failed');

let n8nUrl = realN8n;
let devStopped: Promise<number> | undefined;
let stopN8n: (() => Promise<void>) | undefined;
if (withN8n) {
  const { startDemoN8n } = await import('./demo-n8n.js');
  const n8n = await startDemoN8n({
    dir,
    trustedKeysFile: trustedKeys,
    portalOrigins,
    log: (line) => console.log(`demo: ${line}`),
  }).catch((error: Error) => {
    throw new DemoError(`the real n8n did not start: ${error.message.split('\n')[0]}`);
  });
  stopN8n = n8n.stop;
  n8nUrl = `${n8n.url}/`;
  console.log(`demo: n8n's instance owner (for n8n's own sign-in page) is in ${n8n.ownerFile}`);
} else if (n8nUrl === undefined) {
  let announce: (url: string) => void = () => {};
  const announced = new Promise<string>((resolveUrl) => {
    announce = resolveUrl;
  });
  const devIo = {
    ...io,
    cwd: dir,
    stdout: (text: string) => {
      const url = /(http:\/\/\S+?\/) /.exec(text)?.[1];
      if (url) announce(url);
    },
  };
  devStopped = run(
    [
      'dev',
      '--port',
      String(n8nPort),
      '--trusted-keys',
      trustedKeys,
      '--audience',
      audience,
      '--portal-origin',
      ...portalOrigins,
    ],
    devIo,
  );
  n8nUrl = await Promise.race([
    announced,
    // The CLI printed why (one line); this says who.
    devStopped.then((code) => Promise.reject(new DemoError(`n8n-embed dev did not start (exit ${code})`))),
  ]);
}

const signer = await createLoginSigner({
  privateKey: JSON.parse(readFileSync(privateKey, 'utf8')),
  kid,
  issuer,
  audience,
});
const portal = await startPortal({ signer, n8nUrl, port: portalListenPort });
console.log(`
  Portal      ${portal.url}    ← open this, sign in as Ada or Grace
  n8n         ${n8nUrl}${realN8n ? '' : withN8n ? '    (n8n 2.41.1 with the hooks adapter)' : '    (n8n-embed dev: a local n8n-compatible endpoint)'}
  Keys        ${join(dir, 'keys')}   trusted keys: ${trustedKeys}

  The dashboard shows n8n in an iframe, signed in as your portal user; "Open n8n" opens it in the
  whole window. Ctrl-C stops both.
`);
await io.untilStopped();
await portal.close();
await devStopped;
await stopN8n?.();
process.exit(0);
