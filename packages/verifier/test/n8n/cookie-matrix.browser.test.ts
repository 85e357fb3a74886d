// Issue 14's Chromium rows against the real n8n 2.41.1 with the hooks adapter: the example portal on
// https://portal.example.com framing n8n on https://n8n.example.net (cross-site; Caddy with its
// internal CA in front of both), n8n configured as the READMEs say (frame-ancestors, SameSite=None,
// the portal origin, the bridge). In Chromium with third-party cookies blocked, the login's cookie
// never reaches the frame: the helper reports cookies-blocked after one login and the new tab signs
// the user in; with N8N_EMBED_PARTITIONED_COOKIE=true the same browser is signed in inside the frame.
// With third-party cookies allowed: signed in. Same-site (www.example.com framing n8n.example.com, the
// same n8n restarted with that base URL): signed in with third-party cookies blocked. The same matrix against `n8n-embed dev`, in Firefox and
// WebKit too: examples/portal/test/cookie-matrix.browser.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import type { Page } from 'playwright-core';
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

const HOSTS = ['portal.example.com', 'n8n.example.net'];
/** The same-site deployment: the same n8n, restarted with this base URL, behind its own portal. */
const SAME_SITE_HOSTS = ['www.example.com', 'n8n.example.com'];
/** "Within N s" against the real editor, which loads far more than n8n-embed dev's page. */
const WITHIN_MS = 30_000;

let n8n: RunningN8n;
let portal: Portal;
let sameSitePortal: Portal;
let allowing: TestBrowser;
let blocking: TestBrowser;
let keysFolder: string;
const stops: (() => Promise<void>)[] = [];
let origins: { portal: string; n8n: string; sameSitePortal: string; sameSiteN8n: string };
/** Requests to /rest/auth/embed from any page or frame of either browser (frame POSTs, new-tab GETs). */
let logins = 0;

beforeAll(async () => {
  const httpsPort = await freePort();
  const origin = (host: string | undefined) => `https://${host}:${httpsPort}`;
  origins = {
    portal: origin(HOSTS[0]),
    n8n: origin(HOSTS[1]),
    sameSitePortal: origin(SAME_SITE_HOSTS[0]),
    sameSiteN8n: origin(SAME_SITE_HOSTS[1]),
  };
  keysFolder = mkdtempSync(join(tmpdir(), 'n8n-embed-keys-'));
  const keysFile = join(keysFolder, 'trusted-keys.json');
  writeFileSync(keysFile, JSON.stringify(PEER_TRUSTED_KEYS));
  n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: keysFile,
    N8N_EMBED_PORTAL_ORIGINS: origins.portal,
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
  portal = await startPortal({ signer, n8nUrl: `${origins.n8n}/`, port: 0 });
  sameSitePortal = await startPortal({ signer, n8nUrl: `${origins.sameSiteN8n}/`, port: 0 });
  stops.push(
    () => portal.close(),
    () => sameSitePortal.close(),
  );
  stops.push(
    await startTlsSites(httpsPort, {
      [HOSTS[0] ?? '']: { upstreamPort: Number(new URL(portal.url).port) },
      [HOSTS[1] ?? '']: { upstreamPort: Number(new URL(n8n.url).port) },
      [SAME_SITE_HOSTS[0] ?? '']: { upstreamPort: Number(new URL(sameSitePortal.url).port) },
      [SAME_SITE_HOSTS[1] ?? '']: { upstreamPort: Number(new URL(n8n.url).port) },
    }),
  );
  allowing = await launchChromium({ thirdPartyCookies: true, hosts: [...HOSTS, ...SAME_SITE_HOSTS] });
  blocking = await launchChromium({ thirdPartyCookies: false, hosts: [...HOSTS, ...SAME_SITE_HOSTS] });
  for (const browser of [allowing, blocking])
    browser.context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/rest/auth/embed') logins += 1;
    });
}, 240_000);

afterAll(async () => {
  await allowing?.close();
  await blocking?.close();
  for (const stop of stops.reverse()) await stop();
  if (keysFolder) rmSync(keysFolder, { recursive: true, force: true });
});

async function dashboard(browser: TestBrowser, portalOrigin = origins.portal): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.goto(`${portalOrigin}/`);
  await page.click('button[value="ada"]');
  await page.waitForURL('**/dashboard');
  return page;
}

const events = (page: Page) => page.locator('#n8n-events li').allTextContents();

/** Waits for a settled state; on a timeout the failure shows the helper's events. */
async function settled(page: Page): Promise<string> {
  const deadline = Date.now() + WITHIN_MS;
  for (;;) {
    const now = (await page.locator('#n8n-state').getAttribute('data-state')) ?? '';
    if (['ready', 'cookies-blocked', 'error', 'auth-required'].includes(now)) return now;
    if (Date.now() > deadline)
      throw new Error(`state ${now} after ${WITHIN_MS} ms; events: ${(await events(page)).join(' | ')}`);
    await page.waitForTimeout(200);
  }
}

/** The user n8n's own REST API sees in `page` (or in its n8n frame). */
const n8nUser = (page: Page, n8nOrigin = origins.n8n) =>
  [page.mainFrame(), ...page.frames()]
    .find((frame) => frame.url().startsWith(n8nOrigin))
    ?.evaluate(async () => {
      const response = await fetch('/rest/login', { credentials: 'same-origin' });
      return response.ok
        ? ((await response.json()) as { data: { email: string } }).data.email
        : response.status;
    })
    .catch(() => undefined);

describe('n8n 2.41.1 with the adapter, in Chromium', () => {
  it('cross-site, third-party cookies allowed: signed in within 30 s, one login', async () => {
    const before = logins;
    const page = await dashboard(allowing);
    expect(await settled(page)).toBe('ready');
    expect(logins - before).toBe(1);
    await expect.poll(() => n8nUser(page), { timeout: WITHIN_MS }).toBe('ada@example.com');
    await page.close();
  }, 120_000);

  it('cross-site, third-party cookies blocked: cookies-blocked after one login, and the new tab signs the user in', async () => {
    const before = logins;
    const page = await dashboard(blocking);
    expect(await settled(page)).toBe('cookies-blocked');
    expect(logins - before).toBe(1);
    expect(await events(page)).toContainEqual(
      'cookies-blocked {"strategies":["same-site","partitioned","storage-access","new-tab"]}',
    );
    await page.waitForTimeout(1000);
    expect(logins - before).toBe(1);
    const [opened] = await Promise.all([blocking.context.waitForEvent('page'), page.click('#n8n > button')]);
    await expect.poll(() => n8nUser(opened), { timeout: WITHIN_MS }).toBe('ada@example.com');
    expect(logins - before).toBe(2);
    await opened.close();
    await page.close();
  }, 120_000);

  it('cross-site, third-party cookies blocked, N8N_EMBED_PARTITIONED_COOKIE=true: signed in within 30 s, one login', async () => {
    await n8n.restart({ N8N_EMBED_PARTITIONED_COOKIE: 'true' });
    const before = logins;
    const page = await dashboard(blocking);
    expect(await settled(page)).toBe('ready');
    expect(logins - before).toBe(1);
    await expect.poll(() => n8nUser(page), { timeout: WITHIN_MS }).toBe('ada@example.com');
    await page.close();
  }, 240_000);

  it('same-site (www.example.com frames n8n.example.com), third-party cookies blocked, no Partitioned: signed in, one login', async () => {
    await n8n.restart({
      N8N_EMBED_PARTITIONED_COOKIE: '',
      N8N_EDITOR_BASE_URL: `${origins.sameSiteN8n}/`,
      N8N_EMBED_PORTAL_ORIGINS: origins.sameSitePortal,
      N8N_CONTENT_SECURITY_POLICY: JSON.stringify({ 'frame-ancestors': [origins.sameSitePortal] }),
    });
    const before = logins;
    const page = await dashboard(blocking, origins.sameSitePortal);
    expect(await settled(page)).toBe('ready');
    expect(logins - before).toBe(1);
    await expect
      .poll(() => n8nUser(page, origins.sameSiteN8n), { timeout: WITHIN_MS })
      .toBe('ada@example.com');
    await page.close();
  }, 240_000);
});
