// `n8n-embed doctor` through the example proxies, as a portal's machine would run it before DNS
// points at them (--connect-to): n8n-embed dev stands for n8n behind nginx and Caddy. The proxies in
// these tests listen on plain HTTP, so the doctor rightly fails TLS; the rest is what they fix.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, type DevServer, run, startDevServer } from '@n8n-embed/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningProxy, startCaddy, startNginx } from './proxy-servers.js';

const N8N = 'http://n8n.portal.example.com/';
const PORTAL = 'https://portal.example.com';
const ISSUER = 'https://portal.example.com';
let folder: string;
let dev: DevServer;

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env: {},
    cwd: folder,
    now: Date.now,
    readStdin: async () => '',
    untilStopped: () => new Promise(() => {}),
    color: false,
  };
  return { code: await run(args, io), out, err };
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'n8n-embed-proxy-doctor-'));
  expect((await cli(['keys', 'generate', '--kid', 'proxy-1', '--out', 'keys'])).code).toBe(0);
  const config = await cli([
    'keys',
    'trusted-config',
    '--public-key',
    'keys/proxy-1.public.jwk',
    '--issuer',
    ISSUER,
    '--audience',
    N8N,
  ]);
  expect(config.code).toBe(0);
  writeFileSync(join(folder, 'trusted-keys.json'), config.out);
  dev = await startDevServer({
    trustedKeys: JSON.parse(config.out),
    port: 0,
    publicUrl: N8N,
    portalOrigins: [PORTAL],
  });
});
afterAll(() => dev.close());

describe.each([
  ['nginx', startNginx],
  ['caddy', startCaddy],
])('doctor through the %s example', (_, startProxy) => {
  let proxy: RunningProxy;
  beforeAll(async () => {
    proxy = await startProxy(Number(new URL(dev.url).port));
  });
  afterAll(() => proxy.stop());

  it('sees the framing the proxy sets, the endpoint and a working login behind it', async () => {
    const { code, out } = await cli([
      'doctor',
      '--n8n-url',
      N8N,
      '--connect-to',
      `127.0.0.1:${proxy.port}`,
      '--portal-origin',
      PORTAL,
      '--key',
      'keys/proxy-1.private.jwk',
      '--issuer',
      ISSUER,
      '--login',
    ]);
    expect(out).toMatch(/^✔ framing +frame-ancestors allows the portal https:\/\/portal\.example\.com$/m);
    expect(out).toMatch(/^✔ endpoint +\/rest\/auth\/embed is served by n8n-embed's endpoint/m);
    expect(out).toMatch(/^✔ login-csrf /m);
    expect(out).toMatch(
      /^✔ login +signed in the test subject n8n-embed-test \(302 to http:\/\/n8n\.portal\.example\.com\/\)$/m,
    );
    expect(out).toMatch(/^✔ session +the cookie signs in/m);
    expect(out).toMatch(/^✔ replay /m);
    expect(out).toMatch(/^✔ audience /m);
    // Plain HTTP here: a Secure cookie is dropped, and http is another site than the https portal.
    expect(out).toMatch(/^✖ tls +plain http: browsers drop n8n's Secure session cookie/m);
    expect(out).toMatch(
      /^⚠ same-site +cross-site \(portal https:\/\/example\.com, n8n http:\/\/example\.com\)/m,
    );
    expect(code).toBe(1);
  });
});

/** Caddy with its internal CA in front of `upstreamPort`; `root` is that CA's certificate file. */
async function caddyTls(host: string, upstreamPort: number) {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-doctor-tls-'));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'Caddyfile'),
    `{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n\tstorage file_system ${join(dir, 'data')}\n}\n\nhttps://${host} {\n\tbind 127.0.0.1\n\ttls internal\n\treverse_proxy 127.0.0.1:${upstreamPort}\n}\n`,
  );
  const child = spawn('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
    stdio: 'ignore',
  });
  const root = join(dir, 'data', 'pki', 'authorities', 'local', 'root.crt');
  for (let attempt = 0; attempt < 150 && !existsSync(root); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    httpsPort,
    root,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('doctor over real TLS (Caddy with its own internal CA)', () => {
  let caddy: Awaited<ReturnType<typeof caddyTls>>;
  beforeAll(async () => {
    caddy = await caddyTls('n8n.portal.test', Number(new URL(dev.url).port));
  });
  afterAll(() => caddy.stop());

  const args = () => [
    'doctor',
    '--n8n-url',
    `https://n8n.portal.test:${caddy.httpsPort}/`,
    '--connect-to',
    `127.0.0.1:${caddy.httpsPort}`,
    '--portal-origin',
    'https://www.portal.test',
    '--json',
  ];
  const checksOf = (out: string) =>
    (JSON.parse(out) as { checks: { id: string; status: string; summary: string; fix?: string }[] }).checks;

  it("fails TLS with the certificate's problem when the CA is unknown, reached by name through --connect-to", async () => {
    const { code, out } = await cli(args());
    expect(code).toBe(1);
    const checks = checksOf(out);
    expect(checks.map((item) => item.id)).toEqual(['reachable', 'tls']);
    expect(checks[0]).toMatchObject({ status: 'fail' });
    expect(checks[0]?.summary).toMatch(/TLS failed: [A-Z_]+/);
    expect(checks[1]).toMatchObject({
      status: 'fail',
      fix: 'install a certificate browsers trust for this host name',
    });
  });

  it('with --ca-file trusts that CA: reachable over https and the certificate dated', async () => {
    const { out } = await cli([...args(), '--ca-file', caddy.root]);
    const checks = checksOf(out);
    expect(checks.find((item) => item.id === 'reachable')?.status).toBe('pass');
    // Caddy's internal certificates live hours, not weeks: a renewal warning, with the days counted.
    expect(checks.find((item) => item.id === 'tls')?.summary).toMatch(/certificate valid for \d+ more days$/);
    expect(checks.find((item) => item.id === 'endpoint')?.status).toBe('pass');
  });
});
