// The browser helper against the real n8n 2.41.1 with the hooks adapter, in a real Chromium: the
// example portal on https://portal.test framing n8n on https://n8n.other.test (Caddy with its internal
// CA in front of both; third-party cookies allowed in that Chromium), n8n configured as the READMEs say:
// frame-ancestors through N8N_CONTENT_SECURITY_POLICY, SameSite=None cookies, the portal origin, and
// the bridge through EXTERNAL_FRONTEND_HOOKS_URLS. A second portal that n8n's frame-ancestors does not
// list gets the frame-blocked error with the fix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Portal, startPortal } from '../../../../examples/portal/src/portal.js';
import {
  freePort,
  launchChromium,
  startTlsSites,
  type TestBrowser,
} from '../../../../examples/portal/test/support/two-sites.js';
import { EXAMPLE_HOOKS_FILE, type RunningN8n, setUpOwner, startN8n } from './support/n8n-process.js';
import { PEER_TRUSTED_KEYS, PORTAL_PRIVATE_JWK } from './support/peer-keys.js';

let n8n: RunningN8n;
let framable: Portal;
let blocked: Portal;
let browser: TestBrowser;
let keysFolder: string;
const stops: (() => Promise<void>)[] = [];
let origins: { portal: string; n8n: string; blockedPortal: string };

beforeAll(async () => {
  const httpsPort = await freePort();
  const origin = (host: string) => `https://${host}:${httpsPort}`;
  origins = {
    portal: origin('portal.test'),
    n8n: origin('n8n.other.test'),
    blockedPortal: origin('portal.blocked.test'),
  };
  keysFolder = mkdtempSync(join(tmpdir(), 'n8n-embed-keys-'));
  const keysFile = join(keysFolder, 'trusted-keys.json');
  writeFileSync(keysFile, JSON.stringify(PEER_TRUSTED_KEYS));
  // Two portals may start logins; only the first is listed in frame-ancestors.
  n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: keysFile,
    N8N_EMBED_PORTAL_ORIGINS: `${origins.portal},${origins.blockedPortal}`,
    N8N_CONTENT_SECURITY_POLICY: JSON.stringify({ 'frame-ancestors': [origins.portal] }),
    N8N_SAMESITE_COOKIE: 'none',
    N8N_SECURE_COOKIE: 'true',
    N8N_EDITOR_BASE_URL: `${origins.n8n}/`,
    N8N_PROXY_HOPS: '1',
    EXTERNAL_FRONTEND_HOOKS_URLS: '/rest/auth/embed/bridge.js',
    EXTERNAL_HOOK_FILES: EXAMPLE_HOOKS_FILE,
  });
  stops.push(() => n8n.stop());
  await setUpOwner(n8n.url);
  const signer = await createLoginSigner({
    privateKey: { ...PORTAL_PRIVATE_JWK, kid: 'portal-es256' },
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });
  framable = await startPortal({ signer, n8nUrl: `${origins.n8n}/`, port: 0 });
  blocked = await startPortal({ signer, n8nUrl: `${origins.n8n}/`, port: 0 });
  stops.push(
    () => framable.close(),
    () => blocked.close(),
  );
  const n8nPort = Number(new URL(n8n.url).port);
  stops.push(
    await startTlsSites(httpsPort, {
      'portal.test': { upstreamPort: Number(new URL(framable.url).port) },
      'n8n.other.test': { upstreamPort: n8nPort },
      'portal.blocked.test': { upstreamPort: Number(new URL(blocked.url).port) },
    }),
  );
  browser = await launchChromium({ thirdPartyCookies: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const stop of stops.reverse()) await stop();
  if (keysFolder) rmSync(keysFolder, { recursive: true, force: true });
});

async function signIn(portalOrigin: string, path?: string): Promise<{ page: Page; requests: Request[] }> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  // The portal's sign-in, posted by its sign-in page (no helper there), then one dashboard load.
  await page.goto(`${portalOrigin}/`);
  await page.evaluate(() =>
    fetch('/signin', { method: 'POST', body: new URLSearchParams({ user: 'ada' }), redirect: 'manual' }),
  );
  await page.goto(`${portalOrigin}/dashboard${path ? `?n8n=${path}` : ''}`);
  return { page, requests };
}

const state = (page: Page) => page.locator('#n8n-state').getAttribute('data-state');
/** Waits for the helper's state; on a timeout the failure shows the helper's events. */
async function waitForState(page: Page, wanted: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const now = await state(page);
    if (now === wanted) return;
    if (now === 'error' || now === 'auth-required') break;
    await page.waitForTimeout(200);
  }
  const now = await state(page);
  if (now !== wanted)
    throw new Error(`state ${now}, not ${wanted}; events: ${(await events(page)).join(' | ')}`);
}
const events = (page: Page) => page.locator('#n8n-events li').allTextContents();
const logins = (requests: Request[]) =>
  requests.filter((request) => request.method() === 'POST' && request.url().includes('/rest/auth/embed'));
/** The signed-in user as n8n's own REST API tells the frame. */
const frameUser = (page: Page) =>
  page
    .frames()
    .find((frame) => frame.url().startsWith(origins.n8n))
    ?.evaluate(async () => {
      const response = await fetch('/rest/login', { credentials: 'same-origin' });
      return response.ok
        ? ((await response.json()) as { data: { email: string } }).data.email
        : response.status;
    });

describe('n8n 2.41.1 with the adapter, cross-site', () => {
  it('shows the real editor signed in as the portal user: ready, one token, no token in a URL', async () => {
    const before = framable.tokensMinted();
    const { page, requests } = await signIn(origins.portal, '/home/workflows');
    await waitForState(page, 'ready');
    expect(framable.tokensMinted() - before).toBe(1);
    expect(logins(requests)).toHaveLength(1);
    await expect.poll(() => frameUser(page), { timeout: 15_000 }).toBe('ada@example.com');
    const token = new URLSearchParams(logins(requests)[0]?.postData() ?? '').get('token') ?? '';
    expect(token.split('.')).toHaveLength(3);
    const urls = requests.flatMap((request) => [request.url(), request.headers().referer ?? '']);
    expect(urls.filter((url) => url.includes(token))).toEqual([]);
    expect(await events(page)).toContainEqual('ready {"path":"/home/workflows"}');
    await page.close();
  }, 90_000);

  it('renews an expired n8n session inside the frame without auth-required', async () => {
    const { page } = await signIn(origins.portal, '/home/workflows');
    await waitForState(page, 'ready');
    const before = framable.tokensMinted();
    await browser.context.clearCookies({ name: 'n8n-auth' });
    await page.evaluate(() =>
      (window as unknown as { n8nEmbed: { navigate(path: string): void } }).n8nEmbed.navigate(
        '/home/credentials',
      ),
    );
    await expect
      .poll(() => events(page), { timeout: 45_000 })
      .toContainEqual('navigate {"path":"/home/credentials"}');
    await expect.poll(() => state(page)).toBe('ready');
    expect(framable.tokensMinted() - before).toBe(1);
    expect(await events(page)).toContainEqual('loading {"reason":"reauth"}');
    expect((await events(page)).filter((line) => /^(error|auth-required)/.test(line))).toEqual([]);
    await expect.poll(() => frameUser(page), { timeout: 15_000 }).toBe('ada@example.com');
    await page.close();
  }, 120_000);

  it('reports a portal missing from frame-ancestors as frame-blocked with the fix', async () => {
    const { page } = await signIn(origins.blockedPortal);
    await waitForState(page, 'error');
    const error = (await events(page)).find((line) => line.startsWith('error'));
    expect(error).toContain('"code":"frame-blocked"');
    expect(error).toContain('N8N_CONTENT_SECURITY_POLICY');
    await page.close();
  }, 90_000);
});
