// Issue 14: no login loop in any browser. The example portal's dashboard (the browser helper) against
// `n8n-embed dev`, portal and n8n on real host names with TLS through Caddy (support/two-sites.ts), in
// three engines: browser × deployment × strategy. Each row asserts either "ready within 15 s" or
// "`cookies-blocked` within 15 s, with what could help, and the helper's new-tab button signs the user
// in", and counts the logins the endpoint saw: one per row, never a second attempt in the frame.
// Deployments: cross-site (portal.test frames n8n.other.test, n8n's cookie SameSite=None; Secure),
// cross-site with a Partitioned (CHIPS) cookie (`n8n-embed dev --partitioned-cookie`), and same-site
// (www.portal.test frames n8n.portal.test). The table is in the sdk README ("Third-party cookies").
import { type DevServer, startDevServer } from '@n8n-embed/cli';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import type { CookieStrategy } from '@n8n-embed/sdk/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Portal, startPortal } from '../src/portal.js';
import {
  chromiumBrowser,
  firefoxBrowser,
  type MatrixBrowser,
  type Tab,
  webkitBrowser,
} from './support/matrix-browsers.js';
import { freePort, launchChromium, startTlsSites, type TestBrowser } from './support/two-sites.js';

type DeploymentName = 'cross-site' | 'cross-site, Partitioned cookie' | 'same-site';

interface Deployment {
  readonly portalOrigin: string;
  readonly n8nOrigin: string;
  readonly partitioned: boolean;
  readonly crossSite: boolean;
  /** Requests the endpoint answered (logins and refusals), from all browsers. */
  logins(): number;
}

// Names under real public suffixes (the reserved example.com, .net, .org), mapped to 127.0.0.1 in every
// engine: WebKitGTK's cookie jar finds no registrable domain under `.test` and would take even
// www.portal.test and n8n.portal.test as third parties.
const HOSTS: Record<DeploymentName, readonly [portal: string, n8n: string]> = {
  'cross-site': ['portal.example.com', 'n8n.example.net'],
  'cross-site, Partitioned cookie': ['portal.example.org', 'n8n-chips.example.net'],
  'same-site': ['www.example.com', 'n8n.example.com'],
};
const ALL_HOSTS = Object.values(HOSTS).flat();
/** "Within N s": from the dashboard's first paint to ready or cookies-blocked, and for the new tab. */
const WITHIN_MS = 15_000;

const stops: (() => Promise<void>)[] = [];
const deployments = {} as Record<DeploymentName, Deployment>;

async function deploy(httpsPort: number, name: DeploymentName) {
  const key = VECTOR_KEYS[0];
  if (!key) throw new Error('no vector key');
  const [portalHost, n8nHost] = HOSTS[name];
  const portalOrigin = `https://${portalHost}:${httpsPort}`;
  const n8nOrigin = `https://${n8nHost}:${httpsPort}`;
  let logins = 0;
  const dev: DevServer = await startDevServer({
    port: 0,
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    portalOrigins: [portalOrigin],
    publicUrl: `${n8nOrigin}/`,
    partitionedCookie: name === 'cross-site, Partitioned cookie',
    // Every browser's rows share the endpoint; the count below, not the rate limit, is what is tested.
    rateLimit: false,
    onEvent: () => {
      logins += 1;
    },
  });
  const signer = await createLoginSigner({
    privateKey: key.privateJwk,
    kid: key.kid,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });
  const portal: Portal = await startPortal({ signer, n8nUrl: `${n8nOrigin}/`, port: 0 });
  stops.push(
    () => portal.close(),
    () => dev.close(),
  );
  deployments[name] = {
    portalOrigin,
    n8nOrigin,
    partitioned: name === 'cross-site, Partitioned cookie',
    crossSite: name !== 'same-site',
    logins: () => logins,
  };
  return { [portalHost]: portal.url, [n8nHost]: dev.url };
}

beforeAll(async () => {
  const httpsPort = await freePort();
  const upstreams: Record<string, string> = {};
  for (const name of Object.keys(HOSTS) as DeploymentName[])
    Object.assign(upstreams, await deploy(httpsPort, name));
  stops.push(
    await startTlsSites(
      httpsPort,
      Object.fromEntries(
        Object.entries(upstreams).map(([host, url]) => [host, { upstreamPort: Number(new URL(url).port) }]),
      ),
    ),
  );
}, 60_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

const dashboardState = (tab: Tab) =>
  tab.evaluate<string | undefined>("document.getElementById('n8n-state')?.dataset.state");
const eventLines = (tab: Tab) =>
  tab.evaluate<string[]>("[...document.querySelectorAll('#n8n-events li')].map((li) => li.textContent)");

/** The helper's settled state within N s; on a timeout the failure shows the helper's events. */
async function settledState(tab: Tab): Promise<string> {
  const deadline = Date.now() + WITHIN_MS;
  for (;;) {
    const now = (await dashboardState(tab)) ?? '';
    if (['ready', 'cookies-blocked', 'error', 'auth-required'].includes(now)) return now;
    if (Date.now() > deadline)
      throw new Error(`state "${now}" after ${WITHIN_MS} ms; events: ${(await eventLines(tab)).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signInToPortal(browser: MatrixBrowser, deployment: Deployment): Promise<Tab> {
  const tab = await browser.newTab();
  await tab.goto(`${deployment.portalOrigin}/`);
  await tab.click('button[value="ada"]');
  await expect
    .poll(() => tab.evaluate<string>('location.pathname').catch(() => ''), { timeout: WITHIN_MS })
    .toBe('/dashboard');
  return tab;
}

/** A row: ready in the frame within N s, one login. */
async function expectReady(browser: MatrixBrowser, deployment: Deployment): Promise<void> {
  const before = deployment.logins();
  const tab = await signInToPortal(browser, deployment);
  expect(await settledState(tab)).toBe('ready');
  expect(deployment.logins() - before).toBe(1);
  await tab.close();
}

/**
 * A row: `cookies-blocked` within N s with what could help, one login and no second one; the helper's
 * button (a real click) opens n8n through the portal's login route in a new tab, signed in as the
 * portal user within N s (the second and last login).
 */
async function expectBlockedThenNewTab(
  browser: MatrixBrowser,
  deployment: Deployment,
  storageAccess: boolean,
): Promise<void> {
  const before = deployment.logins();
  const tab = await signInToPortal(browser, deployment);
  expect(await settledState(tab)).toBe('cookies-blocked');
  expect(deployment.logins() - before).toBe(1);
  // The engine has the Storage Access API (the handshake page offers it only then).
  expect(await tab.evaluate<boolean>("'requestStorageAccess' in document")).toBe(storageAccess);
  const strategies: CookieStrategy[] = [
    ...(deployment.crossSite ? (['same-site'] as const) : []),
    ...(deployment.partitioned ? [] : (['partitioned'] as const)),
    ...(storageAccess ? (['storage-access'] as const) : []),
    'new-tab',
  ];
  expect(await eventLines(tab)).toContainEqual(`cookies-blocked ${JSON.stringify({ strategies })}`);
  // Settled: the helper tries nothing more by itself.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(deployment.logins() - before).toBe(1);
  expect(await dashboardState(tab)).toBe('cookies-blocked');

  const opened = await browser.tabOpenedBy(() => tab.click('#n8n > button'));
  await expect
    .poll(
      () =>
        opened
          .evaluate<string | null>("document.getElementById('email')?.textContent ?? null")
          .catch(() => null),
      { timeout: WITHIN_MS, interval: 200 },
    )
    .toBe('ada@example.com');
  expect(await opened.evaluate<string>('location.origin')).toBe(deployment.n8nOrigin);
  expect(deployment.logins() - before).toBe(2);
  await opened.close();
  await tab.close();
}

type Expectation = 'ready' | 'blocked';

interface Engine {
  readonly name: string;
  /** Whether the engine has `document.requestStorageAccess`. */
  readonly storageAccess: boolean;
  readonly start: () => Promise<MatrixBrowser>;
  readonly rows: Readonly<Record<DeploymentName, Expectation>>;
}

const ENGINES: readonly Engine[] = [
  {
    name: 'Chromium, third-party cookies allowed',
    storageAccess: true,
    start: () => chromiumBrowser(true, ALL_HOSTS),
    rows: { 'cross-site': 'ready', 'cross-site, Partitioned cookie': 'ready', 'same-site': 'ready' },
  },
  {
    name: 'Chromium, third-party cookies blocked',
    storageAccess: true,
    start: () => chromiumBrowser(false, ALL_HOSTS),
    rows: { 'cross-site': 'blocked', 'cross-site, Partitioned cookie': 'ready', 'same-site': 'ready' },
  },
  {
    name: "Firefox ESR, Total Cookie Protection (Firefox's default)",
    storageAccess: true,
    start: () => firefoxBrowser(5, ALL_HOSTS),
    rows: { 'cross-site': 'ready', 'cross-site, Partitioned cookie': 'ready', 'same-site': 'ready' },
  },
  {
    name: 'Firefox ESR, third-party cookies blocked',
    storageAccess: true,
    start: () => firefoxBrowser(1, ALL_HOSTS),
    rows: { 'cross-site': 'blocked', 'cross-site, Partitioned cookie': 'blocked', 'same-site': 'ready' },
  },
  {
    name: 'WebKitGTK, third-party cookies blocked (Safari stand-in)',
    storageAccess: true,
    start: () => webkitBrowser(ALL_HOSTS),
    rows: { 'cross-site': 'blocked', 'cross-site, Partitioned cookie': 'blocked', 'same-site': 'ready' },
  },
];

for (const engine of ENGINES) {
  describe(engine.name, () => {
    let browser: MatrixBrowser;
    beforeAll(async () => {
      browser = await engine.start();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });
    for (const [name, expectation] of Object.entries(engine.rows) as [DeploymentName, Expectation][]) {
      it(
        expectation === 'ready'
          ? `${name}: signed in within ${WITHIN_MS / 1000} s, one login`
          : `${name}: cookies-blocked within ${WITHIN_MS / 1000} s after one login, and the new tab signs the user in`,
        () =>
          expectation === 'ready'
            ? expectReady(browser, deployments[name])
            : expectBlockedThenNewTab(browser, deployments[name], engine.storageAccess),
        60_000,
      );
    }
  });
}

describe('Chromium, third-party cookies blocked: the custom element', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchChromium({ thirdPartyCookies: false, hosts: ALL_HOSTS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('<n8n-embed new-tab-url>: cookies-blocked as a DOM event, and its button opens the portal login route', async () => {
    const deployment = deployments['cross-site'];
    const page = await browser.context.newPage();
    await page.goto(`${deployment.portalOrigin}/`);
    await page.click('button[value="ada"]');
    await page.waitForURL('**/dashboard');
    await expect
      .poll(() => page.locator('#n8n-state').getAttribute('data-state'), { timeout: WITHIN_MS })
      .toBe('cookies-blocked');
    const before = deployment.logins();
    const detail = await page.evaluate(`(async () => {
      const m = await import('/assets/n8n-embed.js');
      m.defineN8nEmbedElement();
      const { n8nUrl } = JSON.parse(document.getElementById('config').textContent);
      const element = document.createElement('n8n-embed');
      element.id = 'element';
      element.setAttribute('n8n-url', n8nUrl);
      element.setAttribute('token-url', '/n8n/token');
      element.setAttribute('new-tab-url', '/n8n/open');
      element.setAttribute('path', '/workflow/4');
      const blocked = new Promise((resolve) => element.addEventListener('cookies-blocked', (event) => resolve(event.detail)));
      document.body.append(element);
      return blocked;
    })()`);
    expect(detail).toEqual({ strategies: ['same-site', 'partitioned', 'storage-access', 'new-tab'] });
    expect(deployment.logins() - before).toBe(1);
    const [opened] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.getByRole('button', { name: 'Open n8n in a new tab' }).nth(1).click(),
    ]);
    await expect
      .poll(() => opened.locator('#email').textContent(), { timeout: WITHIN_MS })
      .toBe('ada@example.com');
    expect(new URL(opened.url()).pathname).toBe('/workflow/4');
    expect(deployment.logins() - before).toBe(2);
    await opened.close();
    await page.close();
  }, 60_000);
});

describe('Chromium, third-party cookies blocked: the call to action', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchChromium({ thirdPartyCookies: false, hosts: ALL_HOSTS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('callToAction: its own text, or false for none (the event still tells the portal)', async () => {
    const deployment = deployments['cross-site'];
    const page = await browser.context.newPage();
    await page.goto(`${deployment.portalOrigin}/`);
    await page.click('button[value="ada"]');
    await page.waitForURL('**/dashboard');
    const outcome = await page.evaluate(`(async () => {
      const { mountN8n } = await import('/assets/n8n-embed.js');
      const { n8nUrl } = JSON.parse(document.getElementById('config').textContent);
      const getToken = async () => (await fetch('/n8n/token', { method: 'POST' })).text();
      const mount = (callToAction) => {
        const box = document.body.appendChild(document.createElement('div'));
        const embed = mountN8n({ container: box, n8nUrl, getToken, callToAction });
        return new Promise((resolve) =>
          embed.on('cookies-blocked', () =>
            resolve({ state: embed.state, buttons: [...box.querySelectorAll('button')].map((b) => b.textContent) }),
          ),
        );
      };
      return { own: await mount('Continue in n8n'), none: await mount(false) };
    })()`);
    expect(outcome).toEqual({
      own: { state: 'cookies-blocked', buttons: ['Continue in n8n'] },
      none: { state: 'cookies-blocked', buttons: [] },
    });
    await page.close();
  }, 60_000);
});

describe('Chromium, same-site: a session that keeps ending still ends in auth-required, not a loop', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchChromium({ thirdPartyCookies: false, hosts: ALL_HOSTS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('maxAuthAttempts 1: the session ends after ready, auth-required with no second login; reauthenticate() signs in again', async () => {
    const deployment = deployments['same-site'];
    const page = await browser.context.newPage();
    await page.goto(`${deployment.portalOrigin}/`);
    await page.click('button[value="ada"]');
    await page.waitForURL('**/dashboard');
    await expect
      .poll(() => page.locator('#n8n-state').getAttribute('data-state'), { timeout: WITHIN_MS })
      .toBe('ready');
    const before = deployment.logins();
    await page.evaluate(`(async () => {
      const { mountN8n } = await import('/assets/n8n-embed.js');
      const { n8nUrl } = JSON.parse(document.getElementById('config').textContent);
      const box = document.body.appendChild(document.createElement('div'));
      const getToken = async () => (await fetch('/n8n/token', { method: 'POST' })).text();
      const embed = mountN8n({ container: box, n8nUrl, getToken, maxAuthAttempts: 1, path: '/workflow/5' });
      window.limited = { embed, seen: [] };
      for (const name of ['ready', 'auth-required', 'cookies-blocked', 'error'])
        embed.on(name, (detail) => window.limited.seen.push(name + ' ' + JSON.stringify(detail)));
      await new Promise((resolve) => embed.on('ready', resolve));
    })()`);
    expect(deployment.logins() - before).toBe(1);
    // n8n's session ends (expiry, sign-out elsewhere), then the editor moves: the bridge reports it.
    await browser.context.clearCookies({ name: 'n8n-auth' });
    await page.evaluate("window.limited.embed.navigate('/workflow/6')");
    await expect
      .poll(() => page.evaluate('window.limited.embed.state'), { timeout: WITHIN_MS })
      .toBe('auth-required');
    await page.waitForTimeout(1000);
    expect(deployment.logins() - before).toBe(1);
    await page.evaluate('window.limited.embed.reauthenticate()');
    await expect
      .poll(() => page.evaluate('window.limited.embed.state'), { timeout: WITHIN_MS })
      .toBe('ready');
    expect(deployment.logins() - before).toBe(2);
    expect(await page.evaluate('window.limited.seen')).toEqual([
      'ready {"path":"/workflow/5"}',
      'auth-required {"attempts":1}',
      'ready {"path":"/workflow/6"}',
    ]);
    await page.close();
  }, 60_000);
});

describe('Chromium, third-party cookies blocked: the Storage Access API (strategy 3)', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchChromium({ thirdPartyCookies: false, hosts: ALL_HOSTS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('cross-site: after the new tab, a click in the frame lets the first-party session in, with no new login', async () => {
    const deployment = deployments['cross-site'];
    const before = deployment.logins();
    const page = await browser.context.newPage();
    await page.goto(`${deployment.portalOrigin}/`);
    await page.click('button[value="ada"]');
    await page.waitForURL('**/dashboard');
    await expect
      .poll(() => page.locator('#n8n-state').getAttribute('data-state'), { timeout: WITHIN_MS })
      .toBe('cookies-blocked');
    const [opened] = await Promise.all([browser.context.waitForEvent('page'), page.click('#n8n > button')]);
    await expect
      .poll(() => opened.locator('#email').textContent(), { timeout: WITHIN_MS })
      .toBe('ada@example.com');
    await opened.close();
    expect(deployment.logins() - before).toBe(2);
    // The user's "Allow" on Chromium's prompt (headless shows none): the permission, granted here.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Browser.setPermission', {
      permission: { name: 'storage-access' },
      setting: 'granted',
      origin: deployment.portalOrigin,
      embeddedOrigin: deployment.n8nOrigin,
    });
    await page
      .frameLocator('#n8n iframe')
      .getByRole('button', { name: 'Allow n8n to use its cookies here' })
      .click();
    await expect
      .poll(() => page.locator('#n8n-state').getAttribute('data-state'), { timeout: WITHIN_MS })
      .toBe('ready');
    await expect
      .poll(() => page.frameLocator('#n8n iframe').locator('#email').textContent())
      .toBe('ada@example.com');
    expect(deployment.logins() - before).toBe(2);
    await page.close();
  }, 60_000);
});
