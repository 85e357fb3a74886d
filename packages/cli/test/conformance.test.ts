// `n8n-embed conformance` against n8n-embed dev (clean), and against a deliberately weak endpoint
// written here (no audience, issuer, replay, lifetime or origin checks; raw redirects; a 500 on a
// string exp): the run must name each hole and exit 1.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listen } from '../../../test/http-server.js';
import { runConformance } from '../src/conformance/run-conformance.js';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';
import { type DevDeployment, devDeployment, ISSUER, normalised } from './support/dev-deployment.js';

const outcome = z.strictObject({
  status: z.int(),
  message: z.string().optional(),
  accepted: z.boolean(),
  location: z.string().optional(),
});
/** The `--json` contract. */
const reportSchema = z.strictObject({
  n8nUrl: z.url(),
  profile: z.enum(['strict', 'n8n']),
  requests: z.int().positive(),
  cases: z.array(
    z.strictObject({
      name: z.string().min(1),
      group: z.enum(['vector', 'token', 'request', 'origin', 'login', 'redirect']),
      status: z.enum(['pass', 'warn', 'fail', 'skip']),
      expected: outcome.nullable(),
      actual: outcome.nullable(),
      note: z.string().min(1),
    }),
  ),
  summary: z.strictObject({ pass: z.int(), warn: z.int(), fail: z.int(), skip: z.int() }),
  holes: z.array(z.string()),
});

async function conformance(args: readonly string[], cwd: string) {
  const io = memoryIo({ cwd });
  const code = await run(['conformance', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('conformance against n8n-embed dev', () => {
  let deployment: DevDeployment;
  beforeAll(async () => {
    deployment = await devDeployment({ rateLimit: false });
  });
  afterAll(() => deployment.close());

  it('every case answers as the project says, logins included (human output)', async () => {
    const { code, out } = await conformance(
      [
        '--n8n-url',
        deployment.dev.url,
        '--portal-origin',
        deployment.portalOrigin,
        ...deployment.keyArgs,
        '--allow-login',
      ],
      deployment.cwd,
    );
    expect(code).toBe(0);
    expect(out).not.toMatch(/^[⚠✖–]/m);
    expect(normalised(out, deployment)).toMatchSnapshot();
  });

  it('--json is the schema; without --allow-login nobody signs in and the login cases are skipped', async () => {
    const { code, out } = await conformance(
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
    const report = reportSchema.parse(JSON.parse(out));
    expect(report.summary.fail + report.summary.warn).toBe(0);
    const skipped = report.cases.filter((item) => item.status === 'skip');
    expect(skipped.length).toBe(0); // without --allow-login the login cases are not in the catalogue
    expect(report.cases.some((item) => item.group === 'login' || item.group === 'redirect')).toBe(false);
    expect(report.cases.filter((item) => item.group === 'vector').length).toBeGreaterThan(20);
  });

  it('profile n8n skips the cases n8n accepts unless logins are allowed', async () => {
    const { code, out } = await conformance(
      [
        '--n8n-url',
        deployment.dev.url,
        '--portal-origin',
        deployment.portalOrigin,
        ...deployment.keyArgs,
        '--profile',
        'n8n',
        '--json',
      ],
      deployment.cwd,
    );
    const report = reportSchema.parse(JSON.parse(out));
    expect(code).toBe(0);
    expect(report.cases.filter((item) => item.status === 'skip').map((item) => item.name)).toEqual(
      expect.arrayContaining([
        'aud array with the audience and another',
        'header with jku (a key URL to fetch)',
        'issued an hour ahead',
      ]),
    );
    // n8n's module checks no origin: our stricter 403 is a warning there, not a failure.
    expect(report.cases.find((item) => item.name === 'POST from a foreign Origin')?.status).toBe('warn');
  });
});

/** What a careless implementation does: a signature check and an expiry check, nothing else. */
async function weakEndpoint(options: {
  readonly publicJwk: Record<string, unknown>;
  readonly limit?: { perWindow: number; now: () => number };
}) {
  const key = await importJWK(options.publicJwk, 'ES256');
  let windowStart = 0;
  let used = 0;
  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://weak');
    if (url.pathname !== '/rest/auth/embed') return void res.end('n8n');
    if (options.limit) {
      const now = options.limit.now();
      if (now - windowStart >= 60_000) {
        windowStart = now;
        used = 0;
      }
      if (++used > options.limit.perWindow) {
        res.statusCode = 429;
        return void res.end();
      }
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const token = params.get('token');
    const refuse = (status: number, message: string) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ code: status, message }));
    };
    if (!token) return refuse(400, 'token is required');
    // Echoes what it was sent, terminal escapes and all: the run must not print them raw.
    if (token === 'junk') return refuse(400, '\u001b]8;;https://evil.example\u0007junk\u2028fix: none');
    let claims: { exp: unknown };
    try {
      claims = JSON.parse(new TextDecoder().decode((await compactVerify(token, key)).payload));
    } catch {
      return refuse(401, 'Token verification failed');
    }
    if (typeof claims.exp !== 'number') throw new Error('exp is not a number'); // a 500, as n8n's module gives
    if (claims.exp * 1000 < (options.limit?.now() ?? Date.now()))
      return refuse(401, 'Token verification failed');
    res.statusCode = 302;
    res.setHeader('Location', params.get('redirectTo') ?? '/');
    res.setHeader('Set-Cookie', 'n8n-auth=weak; Path=/; HttpOnly; Secure; SameSite=None');
    res.end();
  };
  // Like Express's default error handler: an exception is a 500.
  return listen((req, res) =>
    listener(req, res).catch(() => {
      res.statusCode = 500;
      res.end('Internal Server Error');
    }),
  );
}

describe('conformance against a weak endpoint', () => {
  let deployment: DevDeployment;
  let publicJwk: Record<string, unknown>;
  beforeAll(async () => {
    deployment = await devDeployment();
    publicJwk = JSON.parse(readFileSync(join(deployment.cwd, 'keys/doctor-1.public.jwk'), 'utf8'));
  });
  afterAll(() => deployment.close());

  it('names each hole: audience, issuer, replay, lifetime, login CSRF, redirects, the 500', async () => {
    const weak = await weakEndpoint({ publicJwk });
    try {
      const args = [
        '--n8n-url',
        weak.url,
        '--key',
        'keys/doctor-1.private.jwk',
        '--issuer',
        ISSUER,
        '--allow-login',
      ];
      const { code, out } = await conformance([...args, '--json'], deployment.cwd);
      expect(code).toBe(1);
      const report = reportSchema.parse(JSON.parse(out));
      expect(report.holes).toEqual(
        expect.arrayContaining([
          'wrong audience',
          'wrong issuer under this kid',
          'the same token a second time (replay)',
          'lifetime of 61 s',
          'issued an hour ahead',
          'POST from a foreign Origin',
          'GET link on a foreign page',
          'redirectTo "https://evil.example/"',
          'redirectTo "//evil.example/"',
          'exp as a string',
        ]),
      );
      const hole = (name: string) => report.cases.find((item) => item.name === name)?.note;
      expect(hole('wrong audience')).toBe(
        'ACCEPTED accepted (302 to /); must be refused: 401 "Token verification failed"',
      );
      expect(hole('exp as a string')).toMatch(/^server error 500/);
      expect(hole('redirectTo "https://evil.example/"')).toBe(
        'the redirect leaves n8n: Location https://evil.example/',
      );
      // What it does refuse, it refuses for its own reasons: warnings, not holes.
      expect(report.cases.find((item) => item.name === 'alg none, unsigned')?.status).toBe('warn');
      expect(out).not.toMatch(/\\u001b|\u2028/);
      expect(hole('token given twice')).toContain(
        '\\u{1b}]8;;https://evil.example\\u{7}junk\\u{2028}fix: none',
      );
      const human = await conformance(args, deployment.cwd);
      expect(human.out).toMatch(/^✖ wrong audience +ACCEPTED/m);
      expect(human.out).toMatch(/^holes: .*wrong audience/m);
      for (const raw of ['\u001b', '\u0007', '\u2028']) expect(human.out).not.toContain(raw);
    } finally {
      await weak.close();
    }
  });

  it("waits out a 429 for the client's next minute, then judges the case", async () => {
    let clock = Date.now();
    const weak = await weakEndpoint({ publicJwk, limit: { perWindow: 25, now: () => clock } });
    const io = { ...memoryIo({ cwd: deployment.cwd }), now: () => clock };
    const waits: number[] = [];
    try {
      const report = await runConformance(
        {
          n8nUrl: weak.url,
          key: 'keys/doctor-1.private.jwk',
          issuer: ISSUER,
          profile: 'strict',
          timeout: 5000,
        },
        io,
        {
          sleep: async (ms) => {
            waits.push(ms);
            clock += ms;
          },
        },
      );
      // 25 answers a window, then one 429 that costs a wait: every case is sent once more per wait.
      expect(waits.length).toBe(Math.ceil(report.cases.length / 25) - 1);
      expect(report.requests).toBe(report.cases.length + waits.length);
      expect(waits.every((ms) => ms > 0 && ms <= 61_000)).toBe(true);
      expect(io.err()).toContain("rate limited (429): waiting 61 s for this address's next minute");
      expect(report.cases.some((item) => item.actual?.status === 429)).toBe(false);
    } finally {
      await weak.close();
    }
  });
});
