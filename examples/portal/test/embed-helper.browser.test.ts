// The browser helper (@n8n-embed/sdk/browser) in the example portal, in a real Chromium, against
// `n8n-embed dev` (with the embed handshake and the bridge), portal and n8n on real host names with
// TLS through Caddy: cross-site (portal.test framing n8n.other.test, third-party cookies allowed in
// that Chromium) and same-site (www.portal.test framing n8n.portal.test, in a Chromium that blocks
// third-party cookies, as the Debian Chromium does by default).
import { type DevServer, startDevServer } from '@n8n-embed/cli';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Portal, startPortal } from '../src/portal.js';
import { freePort, launchChromium, startTlsSites, type TestBrowser } from './support/two-sites.js';

interface Deployment {
  readonly portal: Portal;
  readonly dev: DevServer;
  readonly portalOrigin: string;
  readonly n8nOrigin: string;
}

const stops: (() => Promise<void>)[] = [];
let crossSite: Deployment;
let sameSite: Deployment;
let framedBlocked: Deployment;
let cookiesBlocked: Deployment;
let allowing: TestBrowser;
let blocking: TestBrowser;

async function deploy(httpsPort: number, portalHost: string, n8nHost: string): Promise<Deployment> {
  const key = VECTOR_KEYS[0];
  if (!key) throw new Error('no vector key');
  const portalOrigin = `https://${portalHost}:${httpsPort}`;
  const n8nOrigin = `https://${n8nHost}:${httpsPort}`;
  const dev = await startDevServer({
    port: 0,
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    portalOrigins: [portalOrigin],
    publicUrl: `${n8nOrigin}/`,
  });
  const signer = await createLoginSigner({
    privateKey: key.privateJwk,
    kid: key.kid,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });
  const portal = await startPortal({ signer, n8nUrl: `${n8nOrigin}/`, port: 0 });
  stops.push(
    () => portal.close(),
    () => dev.close(),
  );
  return { portal, dev, portalOrigin, n8nOrigin };
}

const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  const httpsPort = await freePort();
  crossSite = await deploy(httpsPort, 'portal.test', 'n8n.other.test');
  sameSite = await deploy(httpsPort, 'www.portal.test', 'n8n.portal.test');
  framedBlocked = await deploy(httpsPort, 'blocked.portal.test', 'n8n.blocked.test');
  // Its own endpoint, so its logins are not counted against the others' (20 a minute per client).
  cookiesBlocked = await deploy(httpsPort, 'portal.cookies.test', 'n8n.other-cookies.test');
  stops.push(
    await startTlsSites(httpsPort, {
      'portal.test': { upstreamPort: portOf(crossSite.portal.url) },
      'n8n.other.test': { upstreamPort: portOf(crossSite.dev.url) },
      'www.portal.test': { upstreamPort: portOf(sameSite.portal.url) },
      'n8n.portal.test': { upstreamPort: portOf(sameSite.dev.url) },
      'blocked.portal.test': { upstreamPort: portOf(framedBlocked.portal.url) },
      'n8n.blocked.test': { upstreamPort: portOf(framedBlocked.dev.url), frameOptions: true },
      'portal.cookies.test': { upstreamPort: portOf(cookiesBlocked.portal.url) },
      'n8n.other-cookies.test': { upstreamPort: portOf(cookiesBlocked.dev.url) },
    }),
  );
  allowing = await launchChromium({ thirdPartyCookies: true });
  blocking = await launchChromium({ thirdPartyCookies: false });
}, 60_000);

afterAll(async () => {
  await allowing?.close();
  await blocking?.close();
  for (const stop of stops.reverse()) await stop();
});

/** Every request the browser makes from now on, from every page and frame. */
function record(page: Page): Request[] {
  const requests: Request[] = [];
  page.context().on('request', (request) => requests.push(request));
  return requests;
}

/** The tokens the logins carried (in their POST bodies). */
const tokensOf = (requests: Request[]) =>
  embedRequests(requests).map((request) => new URLSearchParams(request.postData() ?? '').get('token') ?? '');

/** Loads the helper's module into the page as `window.mountN8n` (as a string: not rewritten by Vite). */
const loadHelper = (page: Page) =>
  page.evaluate("import('/assets/n8n-embed.js').then((m) => { window.mountN8n = m.mountN8n; })");

async function signIn(browser: TestBrowser, deployment: Deployment, user: string, path = '/'): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.goto(`${deployment.portalOrigin}/`);
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await page.waitForURL('**/dashboard');
  if (path !== '/') await page.goto(`${deployment.portalOrigin}/dashboard?n8n=${path}`);
  return page;
}

const state = (page: Page) => page.locator('#n8n-state');
const frame = (page: Page) => page.frameLocator('#n8n iframe');
const events = (page: Page) => page.locator('#n8n-events li').allTextContents();
const embedRequests = (requests: Request[]) =>
  requests.filter((request) => request.method() === 'POST' && request.url().includes('/rest/auth/embed'));

describe('cross-site (portal.test frames n8n.other.test), third-party cookies allowed', () => {
  it('signs the portal user in: ready, one token per load, no token in any URL, Referer or history', async () => {
    const before = crossSite.portal.tokensMinted();
    const page = await allowing.context.newPage();
    const requests = record(page);
    await page.close();
    const signedIn = await signIn(allowing, crossSite, 'Ada Lovelace');
    await expect.poll(() => state(signedIn).getAttribute('data-state')).toBe('ready');
    await expect.poll(() => frame(signedIn).locator('#email').textContent()).toBe('ada@example.com');
    expect(crossSite.portal.tokensMinted() - before).toBe(1);

    await signedIn.reload();
    await expect.poll(() => state(signedIn).getAttribute('data-state')).toBe('ready');
    expect(crossSite.portal.tokensMinted() - before).toBe(2);
    expect(embedRequests(requests)).toHaveLength(2);
    const tokens = tokensOf(requests);
    expect(new Set(tokens).size).toBe(2);
    expect(tokens.every((token) => token.split('.').length === 3)).toBe(true);

    const history = await (await signedIn.context().newCDPSession(signedIn)).send(
      'Page.getNavigationHistory',
    );
    const seen = [
      ...requests.flatMap((request) => [request.url(), request.headers().referer ?? '']),
      ...history.entries.map((entry) => entry.url),
      ...signedIn.frames().map((each) => each.url()),
    ];
    for (const token of tokens) expect(seen.filter((text) => text.includes(token))).toEqual([]);
    // The login itself: a POST to n8n's origin whose body, not URL, carries the token.
    const login = embedRequests(requests)[0];
    expect(new URL(login?.url() ?? '').origin).toBe(crossSite.n8nOrigin);
    expect(login?.postData()).toContain('token=');
    await signedIn.close();
  }, 60_000);

  it('opens a deep link, and the portal URL follows n8n (navigate events)', async () => {
    const page = await signIn(allowing, crossSite, 'Grace Hopper', '/workflow/7');
    await expect.poll(() => frame(page).locator('#path').textContent()).toBe('/workflow/7');
    await expect.poll(() => frame(page).locator('#email').textContent()).toBe('grace@example.com');
    await frame(page).getByRole('link', { name: 'Workflows' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?n8n=/home/workflows');
    expect(await events(page)).toContainEqual('navigate {"path":"/home/workflows"}');
    await page.close();
  }, 60_000);

  it('renews an expired n8n session with a fresh token, without auth-required', async () => {
    const page = await signIn(allowing, crossSite, 'Ada Lovelace');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    const before = crossSite.portal.tokensMinted();
    // n8n's session ends (expiry, sign-out elsewhere): its cookie is gone, the portal's is not.
    await allowing.context.clearCookies({ name: 'n8n-auth' });
    await page.evaluate(() =>
      (window as unknown as { n8nEmbed: { navigate(p: string): void } }).n8nEmbed.navigate('/workflow/2'),
    );
    await expect.poll(() => frame(page).locator('#path').textContent()).toBe('/workflow/2');
    await expect.poll(() => frame(page).locator('#email').textContent()).toBe('ada@example.com');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    expect(crossSite.portal.tokensMinted() - before).toBe(1);
    const log = await events(page);
    expect(log).toContainEqual('loading {"reason":"reauth"}');
    expect(log.filter((line) => line.startsWith('auth-required') || line.startsWith('error'))).toEqual([]);
    await page.close();
  }, 60_000);

  it('reports a refused login as an error with the endpoint reason', async () => {
    const page = await signIn(allowing, crossSite, 'Ada Lovelace');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    await loadHelper(page);
    const outcome = await page.evaluate(async () => {
      const { mountN8n } = window as unknown as {
        mountN8n: typeof import('@n8n-embed/sdk/browser').mountN8n;
      };
      const token = await (await fetch('/n8n/token', { method: 'POST' })).text();
      const { n8nUrl } = JSON.parse(document.getElementById('config')?.textContent ?? '{}');
      const box = document.body.appendChild(document.createElement('div'));
      // A token used twice (what caching tokens does): the second login is refused as replayed.
      const embed = mountN8n({ container: box, n8nUrl, getToken: async () => token });
      const first = await new Promise((resolve) => embed.on('ready', resolve));
      embed.reload();
      const error = await new Promise((resolve) => embed.on('error', resolve));
      return { first, error, state: embed.state };
    });
    expect(outcome.first).toEqual({ path: '/' });
    expect(outcome.error).toEqual({
      code: 'login-refused',
      message: 'n8n refused the login: Token has already been used',
      reason: 'replayed',
      status: 401,
    });
    expect(outcome.state).toBe('error');
    await page.close();
  }, 60_000);

  it('keeps two helpers on one page apart, and destroy() leaves no listener and no frame', async () => {
    const page = await signIn(allowing, crossSite, 'Ada Lovelace');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    const cdp = await page.context().newCDPSession(page);
    const messageListeners = async () => {
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
        objectId: result.objectId ?? '',
      });
      return listeners.filter((listener) => listener.type === 'message').length;
    };
    const withOne = await messageListeners();
    await loadHelper(page);
    const second = await page.evaluate(async () => {
      const { mountN8n } = window as unknown as {
        mountN8n: typeof import('@n8n-embed/sdk/browser').mountN8n;
      };
      const { n8nUrl } = JSON.parse(document.getElementById('config')?.textContent ?? '{}');
      const box = document.body.appendChild(document.createElement('div'));
      box.id = 'second';
      const seen: string[] = [];
      const embed = mountN8n({
        container: box,
        n8nUrl,
        path: '/workflow/9',
        getToken: async () => (await fetch('/n8n/token', { method: 'POST' })).text(),
      });
      for (const name of ['ready', 'navigate', 'error', 'auth-required'] as const)
        embed.on(name, (detail: unknown) => seen.push(`${name} ${JSON.stringify(detail)}`));
      (window as unknown as { second: unknown }).second = { embed, seen };
      await new Promise((resolve) => embed.on('ready', resolve));
      return seen;
    });
    expect(second).toEqual(['ready {"path":"/workflow/9"}', 'navigate {"path":"/workflow/9"}']);
    expect(await messageListeners()).toBe(withOne + 1);
    // The first helper saw nothing of the second one's login or frame.
    expect((await events(page)).filter((line) => line.includes('/workflow/9'))).toEqual([]);
    await expect
      .poll(() => page.frameLocator('#second iframe').locator('#path').textContent())
      .toBe('/workflow/9');
    await expect.poll(() => frame(page).locator('#path').textContent()).toBe('/');

    await page.evaluate(() =>
      (window as unknown as { second: { embed: { destroy(): void } } }).second.embed.destroy(),
    );
    expect(await page.locator('#second iframe').count()).toBe(0);
    expect(await messageListeners()).toBe(withOne);
    expect(
      await page.evaluate(
        () => (window as unknown as { second: { embed: { state: string } } }).second.embed.state,
      ),
    ).toBe('destroyed');
    await page.close();
  }, 60_000);

  it('reports a failing getToken and a timeout (aborting getToken), and refuses a path outside n8n', async () => {
    const page = await signIn(allowing, crossSite, 'Ada Lovelace');
    await loadHelper(page);
    const outcome = await page.evaluate(`(async () => {
      const { n8nUrl } = JSON.parse(document.getElementById('config').textContent);
      const box = () => document.body.appendChild(document.createElement('div'));
      const failing = window.mountN8n({ container: box(), n8nUrl, getToken: async () => { throw new Error('backend down'); } });
      const failed = await new Promise((resolve) => failing.on('error', resolve));
      let signal;
      const hanging = window.mountN8n({
        container: box(), n8nUrl, timeoutMs: 300,
        getToken: (context) => { signal = context.signal; return new Promise(() => {}); },
      });
      const timedOut = await new Promise((resolve) => hanging.on('error', resolve));
      let refused = '';
      try { window.mountN8n({ container: box(), n8nUrl, path: '//evil.test/', getToken: async () => 'x' }); }
      catch (error) { refused = error.message; }
      return { failed, failedState: failing.state, timedOut, aborted: signal.aborted, refused };
    })()`);
    expect(outcome).toEqual({
      failed: { code: 'token-fetch-failed', message: 'getToken failed: backend down' },
      failedState: 'error',
      timedOut: { code: 'timeout', message: expect.stringContaining('within 300 ms') },
      aborted: true,
      refused: 'path: must be a path inside n8n, like /workflow/7',
    });
    await page.close();
  }, 60_000);

  it('<n8n-embed>: defined by an explicit call, signs in, dispatches the events, cleans up when removed', async () => {
    const before = crossSite.portal.tokensMinted();
    const page = await signIn(allowing, crossSite, 'Grace Hopper');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    await loadHelper(page);
    const outcome = await page.evaluate(`(async () => {
      const definedBefore = customElements.get('n8n-embed') !== undefined;
      const m = await import('/assets/n8n-embed.js');
      m.defineN8nEmbedElement();
      const { n8nUrl } = JSON.parse(document.getElementById('config').textContent);
      const element = document.createElement('n8n-embed');
      element.setAttribute('n8n-url', n8nUrl);
      element.setAttribute('token-url', '/n8n/token');
      element.setAttribute('path', '/workflow/3');
      const seen = [];
      for (const name of ['loading', 'ready', 'navigate']) element.addEventListener(name, (event) => seen.push(name + ' ' + JSON.stringify(event.detail)));
      const ready = new Promise((resolve) => element.addEventListener('ready', resolve));
      document.body.append(element);
      await ready;
      const state = element.state;
      const frames = element.querySelectorAll('iframe').length;
      element.remove();
      return { definedBefore, seen, state, frames, after: element.state, left: element.querySelectorAll('iframe').length };
    })()`);
    expect(outcome).toEqual({
      definedBefore: false,
      seen: ['loading {"reason":"load"}', 'ready {"path":"/workflow/3"}', 'navigate {"path":"/workflow/3"}'],
      state: 'ready',
      frames: 1,
      after: 'idle',
      left: 0,
    });
    // The dashboard's own helper and the element: one token each.
    expect(crossSite.portal.tokensMinted() - before).toBe(2);
    await page.close();
  }, 60_000);

  it("signs out of n8n with the portal's sign-out", async () => {
    const page = await signIn(allowing, crossSite, 'Ada Lovelace');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${crossSite.portalOrigin}/`);
    const response = await page.goto(`${crossSite.n8nOrigin}/rest/login`);
    expect(response?.status()).toBe(401);
    await page.close();
  }, 60_000);

  it('reports a frame n8n refuses to render (X-Frame-Options) as frame-blocked with the fix', async () => {
    const page = await signIn(allowing, framedBlocked, 'Ada Lovelace');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('error');
    const error = (await events(page)).find((line) => line.startsWith('error'));
    expect(error).toContain('"code":"frame-blocked"');
    expect(error).toContain('N8N_CONTENT_SECURITY_POLICY');
    await page.close();
  }, 60_000);
});

describe('third-party cookies blocked (the Debian Chromium default)', () => {
  it('same-site (www.portal.test frames n8n.portal.test): signed in', async () => {
    const page = await signIn(blocking, sameSite, 'Grace Hopper');
    await expect.poll(() => state(page).getAttribute('data-state')).toBe('ready');
    await expect.poll(() => frame(page).locator('#email').textContent()).toBe('grace@example.com');
    await page.close();
  }, 60_000);

  it('cross-site: the login never sticks: cookies-blocked after one login, never retried (issue 14)', async () => {
    const page = await blocking.context.newPage();
    const requests = record(page);
    await page.close();
    const signedIn = await signIn(blocking, cookiesBlocked, 'Ada Lovelace');
    await expect
      .poll(() => state(signedIn).getAttribute('data-state'), { timeout: 20_000 })
      .toBe('cookies-blocked');
    expect(embedRequests(requests)).toHaveLength(1);
    expect(await events(signedIn)).toContainEqual(
      'cookies-blocked {"strategies":["same-site","partitioned","storage-access","new-tab"]}',
    );
    // Settled: nothing more is tried.
    await signedIn.waitForTimeout(1000);
    expect(embedRequests(requests)).toHaveLength(1);
    // The user's own retry is one more login, blocked the same way.
    await signedIn.getByRole('button', { name: 'Sign in to n8n again' }).click();
    await expect.poll(() => embedRequests(requests).length, { timeout: 20_000 }).toBe(2);
    await expect
      .poll(() => state(signedIn).getAttribute('data-state'), { timeout: 20_000 })
      .toBe('cookies-blocked');
    await signedIn.waitForTimeout(500);
    expect(embedRequests(requests)).toHaveLength(2);
    await signedIn.close();
  }, 60_000);
});
