// The attack review's endpoint findings inside a real n8n 2.41.1 with the hooks adapter (issue 9,
// items 1, 2, 3 and 5): redirects that read as a scheme stay on n8n, the answer and the session
// agree (n8n's issueCookie writes onto the raw response), login CSRF in a real Chromium with
// N8N_EMBED_PORTAL_ORIGINS set, and duplicate JSON members in the body n8n's own parser already read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { createLoginSigner, createPortalLoginRoute, type LoginSigner, type LoginUser } from '@n8n-embed/sdk';
import { toNodeHandler } from '@n8n-embed/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../../../examples/portal/test/support/two-sites.js';
import { listen } from '../../../../test/http-server.js';
import { type RunningN8n, setUpOwner, startN8n } from './support/n8n-process.js';
import { currentUser, embedClient, sessionCookie } from './support/peer-client.js';
import { PEER_TRUSTED_KEYS, PORTAL_PRIVATE_JWK } from './support/peer-keys.js';

let n8n: RunningN8n;
let keysFolder: string;
let portal: LoginSigner;
let browser: TestBrowser;
const stops: (() => Promise<void>)[] = [];
let portalUrl = '';
let attackerUrl = '';

const ADA: LoginUser = { sub: 'ada-h', email: 'ada-h@portal.test', emailVerified: true };
const mint = (user: Partial<LoginUser> = {}) => portal.mint({ ...ADA, ...user });

beforeAll(async () => {
  portal = await createLoginSigner({
    privateKey: PORTAL_PRIVATE_JWK,
    kid: 'portal-es256',
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });
  // The portal (localhost) and an attacker site (attacker.test), both on 127.0.0.1.
  const portalServer = await listen((req, res) => {
    if (req.url === '/') {
      res.setHeader('content-type', 'text/html');
      const to = encodeURIComponent('/home/workflows');
      return void res.end(
        `<a href="/form?redirectTo=${to}">form</a> <a href="/redirect?redirectTo=${to}">redirect</a>`,
      );
    }
    const delivery = req.url?.startsWith('/redirect') ? 'redirect' : 'form';
    const route = createPortalLoginRoute({
      signer: portal,
      n8nUrl: n8n.url,
      authenticate: () => ADA,
      delivery,
    });
    void toNodeHandler(route)(req, res);
  });
  portalUrl = portalServer.url.replace('127.0.0.1', 'localhost');
  const attacker = await listen(async (req, res) => {
    const token = await mint({ sub: 'mallory', email: 'mallory@portal.test' });
    const endpoint = `${n8n.url}/rest/auth/embed`;
    res.setHeader('content-type', 'text/html');
    res.end(
      req.url === '/form'
        ? `<form id=f method=post action="${endpoint}"><input name=token value="${token}"></form><script>f.submit()</script>`
        : `<a id=a href="${endpoint}?token=${token}">n8n</a><script>a.click()</script>`,
    );
  });
  attackerUrl = attacker.url.replace('127.0.0.1', 'attacker.test');
  stops.push(
    () => attacker.close(),
    () => portalServer.close(),
  );

  keysFolder = mkdtempSync(join(tmpdir(), 'n8n-embed-keys-'));
  const keysFile = join(keysFolder, 'trusted-keys.json');
  writeFileSync(keysFile, JSON.stringify(PEER_TRUSTED_KEYS));
  n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: keysFile,
    N8N_EMBED_PORTAL_ORIGINS: new URL(portalUrl).origin,
    N8N_PROXY_HOPS: '1',
  });
  await setUpOwner(n8n.url);
  browser = await launchChromium({ thirdPartyCookies: false });
});

afterAll(async () => {
  await browser?.close();
  for (const stop of stops) await stop();
  await n8n?.stop();
  if (keysFolder) rmSync(keysFolder, { recursive: true, force: true });
});

describe('1 and 2: redirects stay on n8n, and the answer, the session and the user agree', () => {
  it.each([
    '/https://evil.example/phish',
    '/javascript:alert(1)',
    '/data:text/html,x',
    '/HTTPS://evil.example',
    '/https:evil.example',
    '/https:%2f%2fevil.example',
    '/%68ttps://evil.example',
  ])('%j: 302 to n8n itself with a working session', async (redirectTo) => {
    for (const deliver of ['get', 'post'] as const) {
      const response = await embedClient(n8n.url)[deliver]({ token: await mint(), redirectTo });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(`${n8n.url}/`);
      const cookie = sessionCookie(response);
      expect(cookie).toBeDefined();
      expect(await currentUser(n8n.url, cookie as string)).toMatchObject({ email: ADA.email });
    }
  });

  it('a refused login carries no session cookie', async () => {
    const response = await embedClient(n8n.url).post({
      token: await mint({ sub: 'unverified', email: 'unverified@portal.test', emailVerified: false }),
      redirectTo: '/https:%2f%2fevil.example',
    });
    expect(response.status).toBe(401);
    expect(sessionCookie(response)).toBeUndefined();
  });
});

describe('5: duplicate JSON members, in the body n8n already parsed', () => {
  it('are refused; the token was never used', async () => {
    const token = await mint();
    const client = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' };
    const url = `${n8n.url}/rest/auth/embed`;
    const twice = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: client,
      body: `{"token":"junk","token":"${token}"}`,
    });
    expect(twice.status).toBe(400);
    expect(sessionCookie(twice)).toBeUndefined();
    const once = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: client,
      body: JSON.stringify({ token }),
    });
    expect(once.status).toBe(302);
  });
});

describe('3: login CSRF in Chromium, with N8N_EMBED_PORTAL_ORIGINS set', () => {
  it.each(['form', 'redirect'])(
    "the SDK's %s delivery signs the portal's user in",
    async (delivery) => {
      const { context } = browser;
      await context.clearCookies();
      const page = await context.newPage();
      const statuses: number[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/rest/auth/embed') statuses.push(response.status());
      });
      await page.goto(portalUrl);
      await page.getByRole('link', { name: delivery }).click();
      await expect.poll(() => statuses, { timeout: 30_000 }).toEqual([302]);
      const me = await context.request.get(`${n8n.url}/rest/login`);
      expect(((await me.json()) as { data: { email: string } }).data.email).toBe(ADA.email);
      await page.close();
    },
    60_000,
  );

  it.each(['form', 'link'])(
    'the same %s from another site: 403 and no session',
    async (kind) => {
      const { context } = browser;
      await context.clearCookies();
      const page = await context.newPage();
      const statuses: number[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/rest/auth/embed') statuses.push(response.status());
      });
      await page.goto(`${attackerUrl}${kind}`);
      await expect.poll(() => statuses, { timeout: 30_000 }).toEqual([403]);
      expect((await context.request.get(`${n8n.url}/rest/login`)).status()).toBe(401);
      await page.close();
    },
    60_000,
  );
});
