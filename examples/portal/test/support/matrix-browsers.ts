// The three engines the cookie matrix (issue 14) runs in, behind one small interface: Chromium through
// playwright-core, Firefox ESR over WebDriver BiDi through puppeteer-core, and WebKitGTK through its
// WebKitWebDriver over classic WebDriver (plain HTTP calls, no client library). Every engine maps the
// test host names to 127.0.0.1 and accepts Caddy's internal CA for these sites only in its own profile.
// Recipes and what each engine does with frame cookies: /work/shared/docs/browser-testing.md (copied
// into the sdk README's "Third-party cookies" section).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launch as launchPuppeteer, type Page as PuppeteerPage } from 'puppeteer-core';
import { freePort, launchChromium } from './two-sites.js';

/** One top-level browsing context. `evaluate` takes a JavaScript expression (may be a promise). */
export interface Tab {
  goto(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** A real click (a user gesture) on the first element matching `selector`. */
  click(selector: string): Promise<void>;
  close(): Promise<void>;
}

export interface MatrixBrowser {
  readonly name: string;
  newTab(): Promise<Tab>;
  /** The tab that `action` opens (a new window or tab). */
  tabOpenedBy(action: () => Promise<void>): Promise<Tab>;
  close(): Promise<void>;
}

const until = async <T>(what: string, read: () => Promise<T | undefined>, ms = 15_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

function playwrightTab(page: Page): Tab {
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: (expression) => page.evaluate(expression),
    click: (selector) => page.click(selector),
    close: () => page.close(),
  };
}

/** Chromium (playwright-core, /usr/bin/chromium), third-party cookies allowed or blocked by profile. */
export async function chromiumBrowser(
  thirdPartyCookies: boolean,
  hosts: readonly string[],
): Promise<MatrixBrowser> {
  const browser = await launchChromium({ thirdPartyCookies, hosts });
  return {
    name: `Chromium, third-party cookies ${thirdPartyCookies ? 'allowed' : 'blocked'}`,
    newTab: async () => playwrightTab(await browser.context.newPage()),
    async tabOpenedBy(action) {
      const [page] = await Promise.all([browser.context.waitForEvent('page'), action()]);
      return playwrightTab(page);
    },
    close: () => browser.close(),
  };
}

function puppeteerTab(page: PuppeteerPage): Tab {
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    click: (selector) => page.click(selector),
    close: () => page.close(),
  };
}

/**
 * Firefox ESR over WebDriver BiDi. `cookieBehavior` is set explicitly: Puppeteer's default allows every
 * third-party cookie, which is not what users run. 5 is Firefox's own default (Total Cookie Protection:
 * a frame's cookies in a jar per top-level site); 1 blocks third-party cookies.
 */
export async function firefoxBrowser(
  cookieBehavior: 1 | 5,
  hosts: readonly string[],
): Promise<MatrixBrowser> {
  const browser = await launchPuppeteer({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'network.cookie.cookieBehavior': cookieBehavior,
      'network.dns.localDomains': hosts.join(','),
    },
  });
  return {
    name: `Firefox ESR, cookieBehavior ${cookieBehavior}${cookieBehavior === 5 ? ' (default)' : ' (third-party blocked)'}`,
    newTab: async () => puppeteerTab(await browser.newPage()),
    async tabOpenedBy(action) {
      const before = new Set(await browser.pages());
      await action();
      const page = await until('a new Firefox tab', async () =>
        (await browser.pages()).find((each) => !before.has(each)),
      );
      return puppeteerTab(page);
    },
    close: () => browser.close(),
  };
}

/** Classic WebDriver over HTTP: the answer's `value`, or the WebDriver error as an Error. */
async function webdriver<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${endpoint}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok)
    throw new Error(`WebDriver ${method} ${path}: ${answer.value.error} ${answer.value.message}`);
  return answer.value;
}

/** Debian's MiniBrowser (package libwebkit2gtk-4.1-0), under /usr/lib/<architecture triplet>/. */
function miniBrowserPath(): string {
  if (process.env.WEBKIT_MINIBROWSER_PATH) return process.env.WEBKIT_MINIBROWSER_PATH;
  const found = readdirSync('/usr/lib')
    .map((dir) => join('/usr/lib', dir, 'webkit2gtk-4.1', 'MiniBrowser'))
    .find((path) => existsSync(path));
  if (!found)
    throw new Error('no MiniBrowser in /usr/lib/*/webkit2gtk-4.1 (apt-get install webkit2gtk-driver)');
  return found;
}

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver, with its default cookie policy (no third-party
 * cookies), as the stand-in for Safari. It has no headless mode (xvfb-run gives it a display) and no
 * host-mapping switch: the driver's process tree runs in a private mount namespace (`unshare --mount`,
 * in a user namespace of its own when not root) with a hosts file mapping the test names to 127.0.0.1 bound over /etc/hosts; the machine's
 * file is untouched. The driver and its children are one process group, stopped by its id.
 */
export async function webkitBrowser(hosts: readonly string[]): Promise<MatrixBrowser> {
  const binary = miniBrowserPath();
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-webkit-'));
  const hostsFile = join(dir, 'hosts');
  writeFileSync(hostsFile, `127.0.0.1 localhost ${hosts.join(' ')}\n::1 localhost\n`);
  const port = await freePort();
  const driver: ChildProcess = spawn(
    'unshare',
    [
      // Root gets a private mount namespace; anyone else one in a user namespace of their own.
      ...(process.getuid?.() === 0 ? ['--mount'] : ['--map-root-user', '--mount']),
      'sh',
      '-c',
      'mount --bind "$0" /etc/hosts && exec xvfb-run -a WebKitWebDriver --host=127.0.0.1 --port="$1"',
      hostsFile,
      String(port),
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  driver.stdout?.on('data', (chunk) => (output += chunk));
  driver.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () => {
    try {
      if (driver.pid !== undefined) process.kill(-driver.pid, 'SIGTERM');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await until(`WebKitWebDriver (${output})`, () =>
      fetch(`${endpoint}/status`).then(
        (response) => (response.ok ? true : undefined),
        () => {
          if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${output}`);
          return undefined;
        },
      ),
    );
  } catch (error) {
    stop();
    throw error;
  }
  const session = await webdriver<{ sessionId: string }>(endpoint, 'POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        acceptInsecureCerts: true,
        'webkitgtk:browserOptions': {
          binary,
          // `args` replaces the driver's defaults: without --automation no session starts.
          args: ['--automation'],
        },
      },
    },
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  const at = `/session/${session.sessionId}`;
  const call = <T>(method: string, path: string, body?: unknown) =>
    webdriver<T>(endpoint, method, `${at}${path}`, body);
  const main = await call<string>('GET', '/window');
  let mainInUse = false;
  const tab = (handle: string): Tab => {
    const on = () => call('POST', '/window', { handle });
    return {
      async goto(url) {
        await on();
        await call('POST', '/url', { url });
      },
      async evaluate<T>(expression: string) {
        await on();
        const result = await call<{ ok?: T; error?: string }>('POST', '/execute/async', {
          script: `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${expression})).then((ok) => done({ ok }), (error) => done({ error: String(error) }));`,
          args: [],
        });
        if (result.error !== undefined) throw new Error(result.error);
        return result.ok as T;
      },
      async click(selector) {
        await on();
        const element = await call<Record<string, string>>('POST', '/element', {
          using: 'css selector',
          value: selector,
        });
        await call('POST', `/element/${Object.values(element)[0]}/click`, {});
      },
      async close() {
        await on();
        // The session's first window is kept for the next tab: MiniBrowser opens no window from a
        // window made by `POST /window/new`, and closing the last window would end the session.
        if (handle !== main) await call('DELETE', '/window');
        else {
          await call('POST', '/url', { url: 'about:blank' });
          mainInUse = false;
        }
      },
    };
  };
  return {
    name: 'WebKitGTK (MiniBrowser), third-party cookies blocked (its default)',
    async newTab() {
      if (!mainInUse) {
        mainInUse = true;
        return tab(main);
      }
      const created = await call<{ handle: string }>('POST', '/window/new', { type: 'tab' });
      return tab(created.handle);
    },
    async tabOpenedBy(action) {
      const before = new Set(await call<string[]>('GET', '/window/handles'));
      await action();
      const handle = await until('a new WebKit window', async () =>
        (await call<string[]>('GET', '/window/handles')).find((each) => !before.has(each)),
      );
      return tab(handle);
    },
    async close() {
      await call('DELETE', '').catch(() => {});
      stop();
    },
  };
}
