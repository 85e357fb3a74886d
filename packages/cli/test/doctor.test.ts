// `n8n-embed doctor` against n8n-embed dev (everything ✔), against servers that are not n8n's endpoint
// (404, n8n's default framing, hostile text), and its parts on their own (framing, site, clock).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listen } from '../../../test/http-server.js';
import { versionOfPage } from '../src/doctor/base-checks.js';
import { clockCheck } from '../src/doctor/clock-check.js';
import { cookieCheck } from '../src/doctor/cookie-check.js';
import { framingCheck } from '../src/doctor/framing.js';
import { registrableDomain, sameSiteCheck } from '../src/doctor/same-site.js';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';
import { type DevDeployment, devDeployment, normalised } from './support/dev-deployment.js';

const SENTRY_META = `<meta name="n8n:config:sentry" content="${Buffer.from(
  JSON.stringify({ dsn: '', environment: 'production', release: 'n8n@2.41.1' }),
).toString('base64')}">`;

/** The `--json` contract. */
const reportSchema = z.strictObject({
  n8nUrl: z.url(),
  portalOrigin: z.url().nullable(),
  requests: z.int().min(0).max(7),
  checks: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z-]+$/),
      status: z.enum(['pass', 'warn', 'fail']),
      summary: z.string().min(1),
      fix: z.string().min(1).optional(),
    }),
  ),
  summary: z.strictObject({ pass: z.int(), warn: z.int(), fail: z.int() }),
});

async function doctor(args: readonly string[], cwd?: string) {
  const io = memoryIo(cwd ? { cwd } : {});
  const code = await run(['doctor', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('doctor against n8n-embed dev', () => {
  let deployment: DevDeployment;
  beforeAll(async () => {
    deployment = await devDeployment();
  });
  afterAll(() => deployment.close());

  const full = () => [
    '--n8n-url',
    deployment.dev.url,
    '--portal-origin',
    deployment.portalOrigin,
    ...deployment.keyArgs,
    '--login',
    '--trusted-keys',
    'trusted-keys.json',
  ];

  it('passes every check with a login, in at most 7 requests (human output)', async () => {
    const { code, out } = await doctor(full(), deployment.cwd);
    expect(code).toBe(0);
    expect(out).not.toMatch(/[⚠✖]/);
    expect(normalised(out, deployment)).toMatchSnapshot();
  });

  it('--json is the schema, every check passing', async () => {
    const { code, out } = await doctor([...full(), '--json'], deployment.cwd);
    expect(code).toBe(0);
    const report = reportSchema.parse(JSON.parse(out));
    expect(report.checks.map((item) => item.id)).toEqual([
      'reachable',
      'tls',
      'clock',
      'framing',
      'same-site',
      'endpoint',
      'login-csrf',
      'kid',
      'login',
      'cookie',
      'session',
      'replay',
      'audience',
      'trusted-keys',
      'allowed-roles',
      'key-entry',
    ]);
    expect(report.checks.every((item) => item.status === 'pass')).toBe(true);
    // The page, the foreign-origin POST (refused as login CSRF: no second probe), four for the login.
    expect(report.requests).toBe(6);
  });

  it('without --login tells whether the kid is trusted by a token no endpoint lets in', async () => {
    const { code, out } = await doctor(
      [
        '--n8n-url',
        deployment.dev.url,
        '--portal-origin',
        deployment.portalOrigin,
        ...deployment.keyArgs,
        '--json',
      ],
      deployment.cwd,
    );
    expect(code).toBe(0);
    const checks = reportSchema.parse(JSON.parse(out)).checks;
    expect(checks.find((item) => item.id === 'kid')).toMatchObject({ status: 'pass' });
    expect(checks.find((item) => item.id === 'login')).toMatchObject({ status: 'warn' });
  });

  it('names an untrusted kid, a foreign portal origin and a trusted-keys file without limits', async () => {
    const other = memoryIo({ cwd: deployment.cwd });
    await run(['keys', 'generate', '--kid', 'stranger', '--out', 'keys'], other);
    const stranger = await doctor(
      [
        '--n8n-url',
        deployment.dev.url,
        '--key',
        'keys/stranger.private.jwk',
        '--issuer',
        'https://portal.example.com',
        '--login',
        '--json',
      ],
      deployment.cwd,
    );
    expect(stranger.code).toBe(1);
    const kid = reportSchema.parse(JSON.parse(stranger.out)).checks.find((item) => item.id === 'kid');
    expect(kid).toMatchObject({
      status: 'fail',
      summary: 'kid stranger is not trusted for issuer https://portal.example.com',
    });
    expect(kid?.fix).toContain('n8n-embed keys trusted-config');

    const foreign = await doctor(
      [
        '--n8n-url',
        deployment.dev.url,
        '--portal-origin',
        'http://127.0.0.1:1',
        ...deployment.keyArgs,
        '--login',
        '--json',
      ],
      deployment.cwd,
    );
    expect(foreign.code).toBe(1);
    expect(
      reportSchema.parse(JSON.parse(foreign.out)).checks.find((item) => item.id === 'kid'),
    ).toMatchObject({
      status: 'fail',
      fix: 'add http://127.0.0.1:1 to N8N_EMBED_PORTAL_ORIGINS on n8n',
    });

    writeFileSync(
      join(deployment.cwd, 'loose.json'),
      JSON.stringify([
        {
          ...JSON.parse(
            JSON.stringify({
              type: 'jwks',
              url: 'https://portal.example.com/jwks.json',
              issuer: 'https://portal.example.com',
            }),
          ),
        },
      ]),
    );
    const loose = await doctor(
      ['--n8n-url', deployment.dev.url, '--trusted-keys', 'loose.json', '--json'],
      deployment.cwd,
    );
    const checks = reportSchema.parse(JSON.parse(loose.out)).checks;
    expect(checks.find((item) => item.id === 'audience-set')?.status).toBe('fail');
    expect(checks.find((item) => item.id === 'allowed-roles')?.status).toBe('warn');
    writeFileSync(join(deployment.cwd, 'broken.json'), '[{"type":"static","kid":"a"}]');
    const broken = await doctor(
      ['--n8n-url', deployment.dev.url, '--trusted-keys', 'broken.json', '--json'],
      deployment.cwd,
    );
    expect(reportSchema.parse(JSON.parse(broken.out)).checks.at(-1)).toMatchObject({
      id: 'trusted-keys',
      status: 'fail',
    });
  });
});

describe('doctor against what is not an embed endpoint', () => {
  it("diagnoses a 404 with the adapter's lines and n8n's default framing with the CSP fix", async () => {
    const n8n = await listen((req, res) => {
      res.setHeader('X-Frame-Options', 'SAMEORIGIN');
      res.statusCode = req.url === '/' ? 200 : 404;
      // n8n 2.41's editor page: its front-end config in <meta> tags, the version in Sentry's release.
      res.end(req.url === '/' ? `<html><head>${SENTRY_META}</head></html>` : '');
    });
    try {
      const { code, out } = await doctor([
        '--n8n-url',
        n8n.url,
        '--portal-origin',
        'https://portal.example.com',
      ]);
      expect(code).toBe(1);
      expect(out).toContain(
        `fix: set N8N_CONTENT_SECURITY_POLICY='{"frame-ancestors":["https://portal.example.com"]}' on n8n`,
      );
      expect(out).toContain(
        'EXTERNAL_HOOK_FILES=/opt/n8n-embed/node_modules/@n8n-embed/verifier/dist/n8n.js',
      );
      expect(out.replaceAll(n8n.url.slice(0, -1), 'http://127.0.0.1:N8N')).toMatchSnapshot();
    } finally {
      await n8n.close();
    }
  });

  it('escapes what the server sends and reports a closed port, a 405 and usage errors', async () => {
    const hostile = await listen((req, res) => {
      if (req.method === 'POST') {
        res.statusCode = 418;
        res.setHeader('content-type', 'application/json');
        return void res.end(
          JSON.stringify({ code: 418, message: '\u001b[2J\u001b[32m✔ all good\nfix: none' }),
        );
      }
      res.end();
    });
    const moved = await listen((_req, res) => {
      res.writeHead(301, { Location: 'https://n8n.example.com/' });
      res.end();
    });
    const refusing = await listen((req, res) => {
      res.statusCode = req.method === 'POST' ? 405 : 200;
      if (req.method === 'POST') res.setHeader('Allow', 'GET');
      res.end();
    });
    try {
      const { out } = await doctor(['--n8n-url', hostile.url]);
      expect(out).not.toContain('\u001b');
      expect(out).toContain('\\u{1b}[2J\\u{1b}[32m✔ all good\\u{a}fix: none');
      expect(out.split('\n').filter((line) => line.startsWith('✔ all good'))).toEqual([]);
      const redirect = await doctor(['--n8n-url', moved.url]);
      expect(redirect.out).toMatch(/^⚠ reachable +GET \/ answered 301 to https:\/\/n8n\.example\.com\/: /m);
      const blocked = await doctor(['--n8n-url', refusing.url]);
      expect(blocked.out).toMatch(/✖ endpoint +POST \/rest\/auth\/embed answers 405 \(Allow: GET\)/);
    } finally {
      await hostile.close();
      await refusing.close();
      await moved.close();
    }
    const gone = await listen(() => {});
    await gone.close();
    const closed = await doctor(['--n8n-url', gone.url, '--json']);
    expect(closed.code).toBe(1);
    expect(reportSchema.parse(JSON.parse(closed.out)).checks[0]).toMatchObject({
      id: 'reachable',
      status: 'fail',
      summary: `${gone.url}: connection refused`,
    });
    expect((await doctor(['--n8n-url', 'ftp://n8n.example.com'])).code).toBe(2);
    const login = await doctor(['--n8n-url', 'https://n8n.example.com', '--login']);
    expect(login).toMatchObject({
      code: 2,
      err: 'n8n-embed: --login: needs --key (with --issuer and --audience)\n',
    });
    expect((await doctor(['--n8n-url', 'https://n8n.example.com', '--timeout', 'soon'])).code).toBe(2);
    const connect = await doctor(['--n8n-url', 'https://n8n.example.com', '--connect-to', 'proxy']);
    expect(connect).toMatchObject({
      code: 2,
      err: 'n8n-embed: --connect-to: "proxy" is not host:port (e.g. 127.0.0.1:8443)\n',
    });
  });
});

describe('doctor against a careless endpoint', () => {
  it('names the holes a login shows: cookie, session, replay, audience', async () => {
    const deployment = await devDeployment();
    // Answers like n8n's own module on the probes, then lets every token in with a cookie scripts can read.
    const careless = await listen(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      if (req.url === '/rest/login') res.statusCode = 401; // its session does not hold
      if (!req.url?.startsWith('/rest/auth/embed')) return void res.end('n8n');
      const token = new URLSearchParams(req.method === 'POST' ? body : (req.url.split('?')[1] ?? '')).get(
        'token',
      );
      if (!token) {
        res.writeHead(400, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ code: 400, message: 'token is required' }));
      }
      res.writeHead(302, { Location: '/', 'Set-Cookie': 'n8n-auth=careless; Path=/; SameSite=Lax' });
      res.end();
    });
    try {
      const { code, out } = await doctor(
        [
          '--n8n-url',
          careless.url,
          '--portal-origin',
          'https://portal.example.com',
          ...deployment.keyArgs,
          '--login',
          '--json',
        ],
        deployment.cwd,
      );
      expect(code).toBe(1);
      const checks = reportSchema.parse(JSON.parse(out)).checks;
      const status = Object.fromEntries(checks.map((item) => [item.id, item.status]));
      expect(status).toMatchObject({
        endpoint: 'pass',
        'login-csrf': 'warn',
        login: 'pass',
        cookie: 'fail',
        session: 'fail',
        replay: 'fail',
        audience: 'fail',
      });
      expect(checks.find((item) => item.id === 'endpoint')?.summary).toContain(
        "n8n's own token-exchange module",
      );
      expect(checks.find((item) => item.id === 'cookie')?.summary).toBe(
        'n8n-auth: not HttpOnly; not Secure; SameSite=Lax; not Partitioned: scripts can read the session',
      );
      expect(checks.find((item) => item.id === 'audience')?.fix).toContain('"expectedAudience"');
    } finally {
      await careless.close();
      await deployment.close();
    }
  });
});

describe('doctor rules', () => {
  const n8n = new URL('https://n8n.example.com/');
  const portal = new URL('https://portal.example.com');
  const framing = (headers: Record<string, string>, on: URL = portal) =>
    framingCheck(new Headers(headers), n8n, on).status;

  it('framing: frame-ancestors decides over X-Frame-Options, by CSP source matching', () => {
    expect(framing({})).toBe('pass');
    expect(framing({ 'x-frame-options': 'SAMEORIGIN' })).toBe('fail');
    expect(framing({ 'x-frame-options': 'sameorigin' }, new URL('https://n8n.example.com'))).toBe('pass');
    expect(framing({ 'x-frame-options': 'DENY' })).toBe('fail');
    const csp = (value: string) =>
      framing({ 'x-frame-options': 'SAMEORIGIN', 'content-security-policy': value });
    expect(csp("default-src 'self'; frame-ancestors https://portal.example.com")).toBe('pass');
    expect(csp('frame-ancestors *.example.com')).toBe('pass');
    expect(csp('frame-ancestors https:')).toBe('pass');
    expect(csp('frame-ancestors portal.example.com:8443')).toBe('fail');
    expect(csp("frame-ancestors 'self'")).toBe('fail');
    expect(csp("frame-ancestors 'none'")).toBe('fail');
    expect(csp('frame-ancestors http://portal.example.com')).toBe('pass');
    expect(csp('frame-ancestors https://evil-example.com https://xportal.example.com')).toBe('fail');
    // Two policies: both must allow.
    expect(csp('frame-ancestors https://portal.example.com, frame-ancestors https://other.example')).toBe(
      'fail',
    );
    expect(csp("script-src 'self'")).toBe('fail');
    expect(framingCheck(new Headers(), n8n, undefined).status).toBe('warn');
  });

  it("version: only a well-formed release from n8n's Sentry meta tag", () => {
    expect(versionOfPage(`<html>${SENTRY_META}`)).toBe('2.41.1');
    const meta = (release: unknown) =>
      `<meta name="n8n:config:sentry" content="${Buffer.from(JSON.stringify({ release })).toString('base64')}">`;
    expect(versionOfPage(meta('n8n@2.41.1\u001b[31m'))).toBeUndefined();
    expect(versionOfPage(meta(['n8n@2.41.1']))).toBeUndefined();
    expect(versionOfPage('<meta name="n8n:config:sentry" content="!!!">')).toBeUndefined();
    expect(versionOfPage('')).toBeUndefined();
  });

  it('cookie: attributes judged against the deployment', () => {
    const n8nSite = new URL('https://n8n.example.com/');
    const cross = new URL('https://portal.other.example');
    const cookie = (attributes: string, on: URL = portal) =>
      cookieCheck(`n8n-auth=x; Path=/; ${attributes}`, n8nSite, on);
    expect(cookie('HttpOnly; Secure; SameSite=Lax').status).toBe('pass');
    expect(cookie('HttpOnly; Secure; SameSite=Lax', cross)).toMatchObject({ status: 'fail' });
    expect(cookie('HttpOnly; Secure', cross).summary).toContain('SameSite=Lax (not set)');
    expect(cookie('HttpOnly; Secure; SameSite=None', cross).status).toBe('warn');
    expect(cookie('HttpOnly; Secure; SameSite=None; Partitioned', cross).status).toBe('pass');
    expect(cookie('HttpOnly; SameSite=None').fix).toBe('set N8N_SECURE_COOKIE=true on n8n');
    expect(cookie('Secure; SameSite=None').status).toBe('fail');
  });

  it('same-site: registrable domains, schemes and loopback', () => {
    expect(registrableDomain('n8n.portal.example.com')).toBe('example.com');
    expect(registrableDomain('n8n.acme.co.uk')).toBe('acme.co.uk');
    expect(registrableDomain('a.github.io')).toBe('a.github.io');
    expect(registrableDomain('127.0.0.1')).toBe('127.0.0.1');
    expect(sameSiteCheck(new URL('https://n8n.example.com'), portal).status).toBe('pass');
    expect(sameSiteCheck(new URL('http://n8n.example.com'), portal).status).toBe('warn');
    const cross = sameSiteCheck(new URL('https://n8n.other.example'), portal);
    expect(cross).toMatchObject({ status: 'warn' });
    expect(cross.summary).toContain('Safari and every iOS browser block it');
    expect(cross.fix).toContain('https://n8n.example.com');
  });

  it('clock: ahead fails, a little behind warns, a lifetime behind fails', () => {
    expect(clockCheck(0).status).toBe('pass');
    expect(clockCheck(1).status).toBe('pass');
    expect(clockCheck(-5)).toMatchObject({ status: 'fail' });
    expect(clockCheck(-5).fix).toContain('N8N_EMBED_CLOCK_TOLERANCE_SECONDS=5');
    expect(clockCheck(-90).fix).not.toContain('TOLERANCE');
    expect(clockCheck(10).status).toBe('warn');
    expect(clockCheck(30).status).toBe('fail');
  });
});
