// `npm run demo`: a portal and a local n8n-compatible endpoint on 127.0.0.1, signed together by a key
// pair the CLI creates in .demo/ on the first run. With N8N_URL set, the portal points at that n8n
// instead (configure its N8N_TOKEN_EXCHANGE_TRUSTED_KEYS with the printed file). Ctrl-C stops both.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeIo, run } from '@n8n-embed/cli';
import { createLoginSigner } from '@n8n-embed/sdk';
import { startPortal } from '../examples/portal/src/portal.js';

const root = resolve(import.meta.dirname, '..');
const dir = resolve(root, process.env.DEMO_DIR ?? '.demo');
const portalPort = Number(process.env.DEMO_PORTAL_PORT ?? 3000);
const n8nPort = Number(process.env.DEMO_N8N_PORT ?? 5678);
const realN8n = process.env.N8N_URL;
const io = nodeIo();
const issuer = 'http://127.0.0.1:3000';
// The audience is a name both sides agree on; for the local endpoint it need not be its live URL.
const audience = realN8n ?? 'http://127.0.0.1:5678/';

async function cli(...args: string[]): Promise<void> {
  const code = await run(args, { ...io, cwd: dir, stdout: () => {} });
  if (code !== 0) throw new Error(`n8n-embed ${args.slice(0, 2).join(' ')} failed (exit ${code})`);
}

const kid = 'demo-portal';
const privateKey = join(dir, 'keys', `${kid}.private.jwk`);
if (!existsSync(privateKey)) await cli('keys', 'generate', '--out', 'keys', '--kid', kid);
const trustedKeys = join(dir, 'trusted-keys.json');
const config = {
  ...io,
  cwd: dir,
  stdout: (text: string) => writeFileSync(trustedKeys, text),
  stderr: () => {},
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
if ((await run(args, config)) !== 0) throw new Error('n8n-embed keys trusted-config failed');

let n8nUrl = realN8n;
let devStopped: Promise<number> | undefined;
if (n8nUrl === undefined) {
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
    ['dev', '--port', String(n8nPort), '--trusted-keys', trustedKeys, '--audience', audience],
    devIo,
  );
  n8nUrl = await Promise.race([
    announced,
    devStopped.then((code) => Promise.reject(new Error(`n8n-embed dev exited (${code})`))),
  ]);
}

const signer = await createLoginSigner({
  privateKey: JSON.parse(readFileSync(privateKey, 'utf8')),
  kid,
  issuer,
  audience,
});
const portal = await startPortal({ signer, n8nUrl, port: portalPort });
console.log(`
  Portal      ${portal.url}    ← open this, sign in as Ada or Grace
  n8n         ${n8nUrl}${realN8n ? '' : '    (n8n-embed dev: a local n8n-compatible endpoint)'}
  Keys        ${join(dir, 'keys')}   trusted keys: ${trustedKeys}

  The dashboard shows n8n in an iframe, signed in as your portal user; "Open n8n" opens it in the
  whole window. Ctrl-C stops both.
`);
await io.untilStopped();
await portal.close();
await devStopped;
process.exit(0);
