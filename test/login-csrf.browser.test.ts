// Login CSRF in a real Chromium (issue 9, item 3): an endpoint configured with the portal's origin
// accepts the SDK's own flows, the POST form and the redirect, and refuses the same kinds of request
// started by another site. Three sites, all served on 127.0.0.1: the portal (localhost), the endpoint
// (`n8n-embed dev` on 127.0.0.1) and an attacker (attacker.test, mapped by Chromium's resolver).
import { startDevServer } from '@n8n-embed/cli';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { createLoginSigner, createPortalLoginRoute, type LoginSigner } from '@n8n-embed/sdk';
import { toNodeHandler } from '@n8n-embed/sdk/node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../examples/portal/test/support/two-sites.js';
import { listen } from './http-server.js';

let browser: TestBrowser;
let signer: LoginSigner;
const stops: (() => Promise<void>)[] = [];
let n8nUrl = '';
let portalUrl = '';
let attackerUrl = '';

const ADA = { sub: 'ada', email: 'ada@example.com', emailVerified: true, givenName: 'Ada' } as const;
const MALLORY = { sub: 'mallory', email: 'mallory@example.com', emailVerified: true } as const;

beforeAll(async () => {
  const key = VECTOR_KEYS[0];
  if (!key) throw new Error('no vector key');
  signer = await createLoginSigner({
    privateKey: key.privateJwk,
    kid: key.kid,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });
  const portalServer = await listen((req, res) => {
    if (req.url === '/') {
      // A portal page: the login starts from a click here, as in a real portal.
      const to = encodeURIComponent('/workflow/7');
      res.setHeader('content-type', 'text/html');
      return void res.end(
        `<a href="/form?redirectTo=${to}">form</a> <a href="/redirect?redirectTo=${to}">redirect</a>`,
      );
    }
    const delivery = req.url?.startsWith('/redirect') ? 'redirect' : 'form';
    const route = createPortalLoginRoute({ signer, n8nUrl, authenticate: () => ADA, delivery });
    void toNodeHandler(route)(req, res);
  });
  portalUrl = portalServer.url.replace('127.0.0.1', 'localhost');
  const dev = await startDevServer({
    port: 0,
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    portalOrigins: [new URL(portalUrl).origin],
  });
  n8nUrl = dev.url;
  // The attacker's page: Mallory's own valid token, sent from another site by a form or a link.
  const attacker = await listen(async (req, res) => {
    const token = await signer.mint(MALLORY);
    const endpoint = `${n8nUrl}rest/auth/embed`;
    res.setHeader('content-type', 'text/html');
    if (req.url === '/form') {
      res.end(`<form id=f method=post action="${endpoint}"><input name=token value="${token}"></form>
<script>document.getElementById('f').submit()</script>`);
    } else if (req.url === '/form-no-referrer') {
      res.end(`<meta name=referrer content=no-referrer><form id=f method=post action="${endpoint}">
<input name=token value="${token}"></form><script>document.getElementById('f').submit()</script>`);
    } else if (req.url === '/link') {
      res.end(
        `<a id=a href="${endpoint}?token=${token}">n8n</a><script>document.getElementById('a').click()</script>`,
      );
    } else if (req.url === '/link-no-referrer') {
      res.end(
        `<a id=a rel=noreferrer href="${endpoint}?token=${token}">n8n</a><script>document.getElementById('a').click()</script>`,
      );
    } else {
      res.end(`<iframe src="${endpoint}?token=${token}"></iframe>`);
    }
  });
  attackerUrl = attacker.url.replace('127.0.0.1', 'attacker.test');
  stops.push(
    () => attacker.close(),
    () => dev.close(),
    () => portalServer.close(),
  );
  browser = await launchChromium({ thirdPartyCookies: false });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const stop of stops) await stop();
});

async function signedInAs(page: Page): Promise<string> {
  await page.goto(n8nUrl);
  return (await page.locator('#user').textContent()) ?? '';
}

describe("the SDK's flows pass the origin check", () => {
  it.each(['form', 'redirect'])(
    'delivery %s signs Ada in',
    async (delivery) => {
      await browser.context.clearCookies();
      const page = await browser.context.newPage();
      const loginResponses: number[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/rest/auth/embed') loginResponses.push(response.status());
      });
      await page.goto(portalUrl);
      await page.getByRole('link', { name: delivery }).click();
      await page.locator('#email').waitFor({ timeout: 15_000 });
      expect(await page.locator('#email').textContent()).toBe('ada@example.com');
      expect(await page.locator('#path').textContent()).toBe('/workflow/7');
      expect(loginResponses).toEqual([302]);
      await page.close();
    },
    60_000,
  );
});

describe('the same requests from another site are refused', () => {
  it.each(['form', 'form-no-referrer', 'link', 'link-no-referrer', 'frame'])(
    'attacker %s: 403 and no session',
    async (kind) => {
      await browser.context.clearCookies();
      const page = await browser.context.newPage();
      const statuses: number[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/rest/auth/embed') statuses.push(response.status());
      });
      await page.goto(`${attackerUrl}${kind}`);
      await expect.poll(() => statuses, { timeout: 15_000 }).toEqual([403]);
      expect(await signedInAs(page)).toBe('Not signed in.');
      await page.close();
    },
    60_000,
  );
});
