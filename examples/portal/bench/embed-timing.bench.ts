// The browser helper's timings in a real Chromium, portal and n8n-embed dev on two TLS sites through
// Caddy (cross-site, third-party cookies allowed): mount → first `ready` (token fetch, login POST,
// handshake page, n8n's page, the bridge's session check), and a renewal: n8n's session cookie gone,
// navigate → `ready` again (the page, the bridge's 401, a fresh token, the login, the page again).
// Run: npm run bench -- embed. Eight rounds each: n8n-embed dev allows 20 logins a minute per client.
// EMBED_BENCH_N8N=1 npm run bench -- embed: the same against the real n8n 2.41.1 with the hooks
// adapter (started as `npm run demo -- --n8n` does, behind Caddy as n8n.other.test): ready is the
// bridge's first signed-in report from n8n's editor page (its canvas renders after).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '@n8n-embed/cli';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import {
  PEER_TRUSTED_KEYS,
  PORTAL_PRIVATE_JWK,
} from '../../../packages/verifier/test/n8n/support/peer-keys.js';
import { startDemoN8n } from '../../../scripts/demo-n8n.js';
import { startPortal } from '../src/portal.js';
import { freePort, launchChromium, startTlsSites } from '../test/support/two-sites.js';

const ROUNDS = 8;
// Page scripts as strings: tsx would rewrite a function (its __name helper does not exist in the page).
const MOUNT_AND_TIME = `(async () => {
  const { n8nUrl } = JSON.parse(document.getElementById('config').textContent);
  const box = document.body.appendChild(document.createElement('div'));
  const started = performance.now();
  const embed = window.mountN8n({
    container: box,
    n8nUrl,
    getToken: async () => (await fetch('/n8n/token', { method: 'POST' })).text(),
  });
  await new Promise((resolve) => embed.on('ready', resolve));
  window.timed = embed;
  return performance.now() - started;
})()`;
const RENEW_AND_TIME = `(async () => {
  const embed = window.timed;
  const started = performance.now();
  const ready = new Promise((resolve) => embed.on('ready', resolve));
  embed.navigate(window.renewPath);
  await ready;
  const elapsed = performance.now() - started;
  embed.destroy();
  return elapsed;
})()`;
const key = VECTOR_KEYS[0];
if (!key) throw new Error('no vector key');
const httpsPort = await freePort();
const portalOrigin = `https://portal.test:${httpsPort}`;
const n8nOrigin = `https://n8n.other.test:${httpsPort}`;
const realN8n = process.env.EMBED_BENCH_N8N === '1';
const keysDir = mkdtempSync(join(tmpdir(), 'n8n-embed-bench-'));
const n8n = realN8n
  ? await startDemoN8n({
      dir: keysDir,
      trustedKeysFile: (() => {
        const file = join(keysDir, 'trusted-keys.json');
        writeFileSync(file, JSON.stringify(PEER_TRUSTED_KEYS));
        return file;
      })(),
      portalOrigins: [portalOrigin],
      log: (line) => console.log(line),
      env: {
        N8N_EDITOR_BASE_URL: `${n8nOrigin}/`,
        N8N_SAMESITE_COOKIE: 'none',
        N8N_SECURE_COOKIE: 'true',
        N8N_PROXY_HOPS: '1',
        N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE: '1000',
      },
    })
  : await startDevServer({
      port: 0,
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      portalOrigins: [portalOrigin],
      publicUrl: `${n8nOrigin}/`,
    });
const signer = await createLoginSigner({
  privateKey: realN8n ? { ...PORTAL_PRIVATE_JWK, kid: 'portal-es256' } : key.privateJwk,
  ...(realN8n ? {} : { kid: key.kid }),
  issuer: VECTOR_ISSUER,
  audience: VECTOR_AUDIENCE,
});
const portal = await startPortal({ signer, n8nUrl: `${n8nOrigin}/`, port: 0 });
const stopSites = await startTlsSites(httpsPort, {
  'portal.test': { upstreamPort: Number(new URL(portal.url).port) },
  'n8n.other.test': { upstreamPort: Number(new URL(n8n.url).port) },
});
const browser = await launchChromium({ thirdPartyCookies: true });

try {
  const page = await browser.context.newPage();
  await page.goto(`${portalOrigin}/`);
  await page.getByRole('button', { name: 'Sign in as Ada Lovelace' }).click();
  await page.waitForURL('**/dashboard');
  await page.locator('#n8n-state[data-state="ready"]').waitFor();
  await page.evaluate("import('/assets/n8n-embed.js').then((m) => { window.mountN8n = m.mountN8n; })");
  await page.evaluate(`window.renewPath = ${JSON.stringify(realN8n ? '/home/credentials' : '/workflow/2')}`);

  const firstReady: number[] = [];
  const renewal: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await browser.context.clearCookies({ name: 'n8n-auth' });
    firstReady.push(await page.evaluate(MOUNT_AND_TIME));
    await browser.context.clearCookies({ name: 'n8n-auth' });
    renewal.push(await page.evaluate(RENEW_AND_TIME));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const describe = (values: number[]) =>
    `median ${median(values).toFixed(0)} ms, min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)} (${values.length} rounds)`;
  console.log(
    `${await page.evaluate('navigator.userAgent.match(/Chrome\\/[\\d.]+/)[0]')}, cross-site over TLS (Caddy), ${realN8n ? 'n8n 2.41.1 with the hooks adapter' : 'n8n-embed dev'}`,
  );
  console.log(`mount → first ready: ${describe(firstReady)}`);
  console.log(`session ended → renewed and ready: ${describe(renewal)}`);
} finally {
  await browser.close();
  await stopSites();
  await portal.close();
  if ('close' in n8n) await n8n.close();
  else await n8n.stop();
  rmSync(keysDir, { recursive: true, force: true });
}
