// `n8n-embed doctor` and `n8n-embed conformance` against a real n8n 2.41.1: without the adapter (the
// doctor finds the 404 and gives the adapter's lines, and n8n's default framing with the CSP fix), then
// with the adapter and frame-ancestors set (every check passes, the hostile catalogue is clean).
// N8N_EMBED_DOCTOR_OUT=<dir> keeps each command's output there (the runs quoted in the CLI README).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, run } from '@n8n-embed/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningN8n, setUpOwner, startN8n } from './support/n8n-process.js';

const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com/';
let folder: string;
let portalOrigin: string;

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
  const code = await run(args, io);
  return { code, out, err };
}

function keep(name: string, text: string, n8nUrl: string): void {
  const dir = process.env.N8N_EMBED_DOCTOR_OUT;
  if (dir) writeFileSync(join(dir, `${name}.txt`), text.replaceAll(n8nUrl, 'http://127.0.0.1:N8N'));
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'n8n-embed-doctor-'));
  portalOrigin = `http://127.0.0.1:${await freePort()}`;
  expect((await cli(['keys', 'generate', '--kid', 'portal-doctor', '--out', 'keys'])).code).toBe(0);
  const config = await cli([
    'keys',
    'trusted-config',
    '--public-key',
    'keys/portal-doctor.public.jwk',
    '--issuer',
    ISSUER,
    '--audience',
    AUDIENCE,
    '--allowed-roles',
    'global:member',
  ]);
  expect(config.code).toBe(0);
  writeFileSync(join(folder, 'trusted-keys.json'), config.out);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const keyArgs = () => ['--key', 'keys/portal-doctor.private.jwk', '--issuer', ISSUER, '--audience', AUDIENCE];

describe('a stock n8n: no adapter, default framing', () => {
  let n8n: RunningN8n;
  beforeAll(async () => {
    n8n = await startN8n({ EXTERNAL_HOOK_FILES: '' });
  });
  afterAll(() => n8n?.stop());

  it('diagnoses the 404 with the adapter fix and the framing with the N8N_CONTENT_SECURITY_POLICY fix', async () => {
    const { code, out } = await cli([
      'doctor',
      '--n8n-url',
      n8n.url,
      '--portal-origin',
      portalOrigin,
      ...keyArgs(),
    ]);
    keep('doctor-stock-n8n', out, n8n.url);
    expect(code).toBe(1);
    expect(out).toMatch(/^✔ reachable +GET \/ answered 200, n8n 2\.41\.1$/m);
    expect(out).toMatch(
      /^✖ endpoint +\/rest\/auth\/embed answers 404: n8n 2\.41\.1 has neither n8n's licensed token-exchange module nor the n8n-embed hooks adapter$/m,
    );
    expect(out).toContain(
      'fix: npm install --prefix /opt/n8n-embed @n8n-embed/verifier, then start n8n with',
    );
    expect(out).toMatch(/^✖ framing +X-Frame-Options SAMEORIGIN \(n8n's default\) blocks the portal/m);
    expect(out).toContain(
      `fix: set N8N_CONTENT_SECURITY_POLICY='{"frame-ancestors":["${portalOrigin}"]}' on n8n`,
    );
    // No login is tried where nothing serves it.
    expect(out).not.toMatch(/^. (kid|login) /m);
  });
});

describe('n8n with the adapter and frame-ancestors for the portal', () => {
  let n8n: RunningN8n;
  beforeAll(async () => {
    n8n = await startN8n({
      N8N_EMBED_LOGIN_ENABLED: 'true',
      N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: join(folder, 'trusted-keys.json'),
      N8N_EMBED_PORTAL_ORIGINS: portalOrigin,
      N8N_CONTENT_SECURITY_POLICY: JSON.stringify({ 'frame-ancestors': [portalOrigin] }),
      // The catalogue is ~70 requests from one address; n8n's default 20 a minute would only pace it.
      N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE: '1000',
    });
    await setUpOwner(n8n.url);
  });
  afterAll(() => n8n?.stop());

  it('the doctor passes every check, a login included', async () => {
    const { code, out } = await cli([
      'doctor',
      '--n8n-url',
      n8n.url,
      '--portal-origin',
      portalOrigin,
      ...keyArgs(),
      '--login',
      '--trusted-keys',
      'trusted-keys.json',
    ]);
    keep('doctor-adapter', out, n8n.url);
    expect(out).not.toMatch(/^[⚠✖]/m);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^✔ endpoint +\/rest\/auth\/embed is served by the n8n-embed hooks adapter on n8n 2\.41\.1$/m,
    );
    expect(out).toMatch(/^✔ framing +frame-ancestors allows the portal/m);
    expect(out).toMatch(/^✔ login-csrf +a login form posted from another site is refused \(403\)/m);
    expect(out).toMatch(/^✔ cookie +n8n-auth: HttpOnly; Secure; SameSite=None; not Partitioned$/m);
    expect(out).toMatch(/^✔ session +the cookie signs in: GET \/rest\/login answered 200$/m);
  });

  it('conformance: every hostile case refused as the project says, logins of the test subject work', async () => {
    const { code, out } = await cli([
      'conformance',
      '--n8n-url',
      n8n.url,
      '--portal-origin',
      portalOrigin,
      ...keyArgs(),
      '--allow-login',
    ]);
    keep('conformance-adapter', out, n8n.url);
    expect(out).not.toMatch(/^[⚠✖–]/m);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^✔ the same token a second time \(replay\) +refused 401 "Token has already been used"$/m,
    );
  });
});
