// Portal and n8n on real host names with TLS: Caddy (internal CA, `tls internal`) in front of servers
// on 127.0.0.1, and Chromium mapping the names to 127.0.0.1 (--host-resolver-rules). Cross-site is
// portal.test framing n8n.other.test; same-site is www.portal.test framing n8n.portal.test.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`caddy exited: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`caddy did not listen: ${output()}`);
}

export interface TlsSite {
  readonly upstreamPort: number;
  /** Like n8n: `X-Frame-Options: sameorigin` on its pages (not on /rest/…). */
  readonly frameOptions?: boolean;
}

/**
 * Caddy with its internal CA on 127.0.0.1:`httpsPort`, one TLS site per host name, each proxying to
 * a port on 127.0.0.1. Stop it with the returned function.
 */
export async function startTlsSites(
  httpsPort: number,
  sites: Readonly<Record<string, TlsSite>>,
): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-sites-'));
  const httpPort = await freePort();
  const blocks = Object.entries(sites)
    .map(
      ([host, site]) =>
        `https://${host} {\n\tbind 127.0.0.1\n\ttls internal\n` +
        (site.frameOptions ? '\t@ui not path /rest/*\n\theader @ui X-Frame-Options sameorigin\n' : '') +
        `\treverse_proxy 127.0.0.1:${site.upstreamPort}\n}\n`,
    )
    .join('\n');
  writeFileSync(
    join(dir, 'Caddyfile'),
    `{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n\tstorage file_system ${join(dir, 'data')}\n}\n\n${blocks}`,
  );
  const child = spawn('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  await waitForPort(httpsPort, child, () => output);
  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with its own profile. The Debian Chromium blocks third-party cookies by default and no
 * switch turns that off: the profile preference `cookie_controls_mode` (0 allows, 1 blocks) does.
 */
export async function launchChromium({
  thirdPartyCookies,
  hosts = [],
}: {
  thirdPartyCookies: boolean;
  /** More host names to map to 127.0.0.1 (`*.test` always is). */
  hosts?: readonly string[];
}): Promise<TestBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-chromium-'));
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(
    join(dir, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: thirdPartyCookies ? 0 : 1 } }),
  );
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${['*.test', 'portal.test', ...hosts].map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
