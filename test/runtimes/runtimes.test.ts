// The runtime conformance suite: the same scenarios in Node, Bun, Deno and workerd (through miniflare,
// without and with nodejs_compat), each in its real runtime, on the packages as a user installs them
// (built once, support/install.ts). The app in app/ runs the SDK and the verifier there; this file
// drives it over HTTP from Node and checks every minted token with the verifier on Node, in both
// profiles. The support table in the root README is checked against what this suite observed.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ALGORITHMS, type Algorithm, REASONS, type Reason } from '@n8n-embed/protocol';
import { createLoginSigner } from '@n8n-embed/sdk';
import { createVerifier, type Verifier } from '@n8n-embed/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installUserProject, repoRoot } from './support/install.js';
import { makeTestKeys, type TestKey } from './support/keys.js';
import { bundleWorker, RUNTIMES, type Running, type Runtime, startRuntime } from './support/runtimes.js';

const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com';
const N8N_URL = 'https://n8n.example.com/';
const PORTAL_ORIGIN = 'https://portal.example.com';
const user = { sub: 'ada-1', email: 'ada@example.com', emailVerified: true, givenName: 'Ada' };

const keys: TestKey[] = makeTestKeys();
const sessionId = randomBytes(18).toString('base64url');
const trustedKeys = keys.map((key) => ({
  type: 'static' as const,
  kid: key.kid,
  algorithms: [key.alg],
  key: key.publicPem,
  issuer: ISSUER,
  expectedAudience: AUDIENCE,
}));
let jwksServer: Server;
let jwksFetches = 0;
let project: string;
const running = new Map<Runtime, Running>();
const onNode: Record<'strict' | 'n8n', Verifier | undefined> = { strict: undefined, n8n: undefined };
/** What each runtime supports, as observed: the README's table is built from it. */
const observed = new Map<Runtime, Map<string, boolean>>();

interface Described {
  readonly name?: string;
  readonly reason?: string;
  readonly message: string;
}
type Attempt<T> = { ok: true; value: T } | { ok: false; error: Described };
interface SignerRow {
  readonly alg: Algorithm;
  readonly form: 'jwk' | 'pem';
  readonly crypto: 'default' | 'webcrypto';
  readonly created: boolean;
  readonly token?: string;
  readonly error?: Described;
  readonly publicJwk?: { kid: string; alg: string };
}
interface Report {
  readonly runtime: { name: string; version: string };
  readonly signers: SignerRow[];
  readonly cryptoKeySigners: { alg: Algorithm; created: boolean; token?: string; error?: Described }[];
  readonly loginUrl: string;
  readonly loginForm: { status: number; headers: Record<string, string>; body: string };
  readonly creation: Record<
    | 'signerNodeCrypto'
    | 'verifierNodeCrypto'
    | 'signerBadRedirect'
    | 'handlerWithoutPortalOrigins'
    | 'jwksOverHttp',
    Attempt<unknown>
  >;
}
const reports = new Map<Runtime, Report>();

function note(runtime: Runtime, feature: string, supported: boolean): void {
  const row = observed.get(runtime) ?? new Map<string, boolean>();
  row.set(feature, (row.get(feature) ?? true) && supported);
  observed.set(runtime, row);
}

async function verifiesOnNode(token: string | undefined): Promise<void> {
  expect(token, 'a token').toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  for (const profile of ['strict', 'n8n'] as const) {
    const verified = await onNode[profile]?.verify(token);
    expect(verified?.claims, profile).toMatchObject({ sub: user.sub, email: user.email, iss: ISSUER });
  }
}

const answer = (reason: Reason, message: string = REASONS[reason].message) => ({
  status: REASONS[reason].status,
  body: { code: REASONS[reason].status, message },
});

async function nodeMint(alg: Algorithm): Promise<string> {
  const key = keys.find((candidate) => candidate.alg === alg);
  const signer = await createLoginSigner({
    privateKey: key?.privateJwk ?? {},
    alg,
    issuer: ISSUER,
    audience: AUDIENCE,
  });
  return signer.mint(user);
}

function postForm(url: string, fields: Record<string, string>, origin = PORTAL_ORIGIN): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

async function refusal(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  jwksServer = createServer((_request, response) => {
    jwksFetches++;
    response.setHeader('content-type', 'application/json');
    response.setHeader('cache-control', 'max-age=300');
    response.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const address = jwksServer.address();
  const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;

  onNode.strict = await createVerifier({ trustedKeys });
  onNode.n8n = await createVerifier({ trustedKeys, profile: 'n8n' });
  project = await installUserProject({
    app: join(repoRoot, 'test/runtimes/app'),
    examples: join(repoRoot, 'examples/edge-portals'),
  });
  const config = JSON.stringify({
    issuer: ISSUER,
    audience: AUDIENCE,
    n8nUrl: N8N_URL,
    portalOrigin: PORTAL_ORIGIN,
    keys: keys.map(({ alg, kid, privateJwk, privatePem }) => ({ alg, kid, privateJwk, privatePem })),
    publicJwks: keys.map((key) => key.publicJwk),
    trustedKeys,
    jwksUrl,
    sessionId,
  });
  const entries = {
    node: 'app/serve-node.js',
    bun: 'app/serve-bun.js',
    deno: 'app/serve-deno.js',
    worker: 'app/worker.js',
  };
  // One after another: five runtimes starting at once would crowd a small machine.
  for (const runtime of RUNTIMES) {
    running.set(runtime, await startRuntime(runtime, project, entries, { CONFORMANCE_CONFIG: config }));
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((run) => run.stop()));
  await new Promise((resolve) => jwksServer?.close(resolve));
  if (project) rmSync(project, { recursive: true, force: true });
});

const urlOf = (runtime: Runtime, path: string): string => new URL(path, running.get(runtime)?.url).href;

describe.each(RUNTIMES)('%s', (runtime) => {
  it('the SDK signs with every algorithm from a JWK and a PEM, on both crypto paths; every token verifies on Node in both profiles', async () => {
    const response = await fetch(urlOf(runtime, '/report'));
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    reports.set(runtime, report);
    expect(report.runtime.name).toBe(runtime.split('+')[0]);
    expect(report.signers).toHaveLength(ALGORITHMS.length * 4);
    for (const row of report.signers) {
      const label = `${row.alg} ${row.form} ${row.crypto}`;
      // What the runtime lacks is a config_invalid at creation; a created signer always mints.
      if (!row.created) {
        expect(row.error?.reason, label).toBe('config_invalid');
      } else {
        expect(row.error, label).toBeUndefined();
        await verifiesOnNode(row.token);
        expect(row.publicJwk, label).toMatchObject({
          kid: keys.find((k) => k.alg === row.alg)?.kid,
          alg: row.alg,
        });
      }
      note(runtime, `mint ${row.alg}`, row.created);
      note(runtime, `signer from ${row.form === 'jwk' ? 'a JWK' : 'a PKCS#8 PEM'}`, row.created);
    }
  });

  it('the SDK signs with every algorithm from a non-extractable CryptoKey imported by crypto.subtle', async () => {
    const rows = reports.get(runtime)?.cryptoKeySigners ?? [];
    expect(rows.map((row) => row.alg)).toEqual([...ALGORITHMS]);
    for (const row of rows) {
      if (!row.created) expect(row.error?.reason, row.alg).toBe('config_invalid');
      else {
        expect(row.error, row.alg).toBeUndefined();
        await verifiesOnNode(row.token);
      }
      note(runtime, 'signer from a CryptoKey', row.created);
    }
  });

  it('buildLoginUrl and renderLoginForm give the endpoint URL and an escaped form whose token verifies', async () => {
    const report = reports.get(runtime);
    const url = new URL(report?.loginUrl ?? '');
    expect(url.origin + url.pathname).toBe('https://n8n.example.com/rest/auth/embed');
    expect(url.searchParams.get('redirectTo')).toBe('/home/workflows');
    await verifiesOnNode(url.searchParams.get('token') ?? undefined);

    const form = report?.loginForm;
    expect(form?.status).toBe(200);
    expect(form?.headers).toMatchObject({ 'Referrer-Policy': 'strict-origin', 'Cache-Control': 'no-store' });
    expect(form?.body).toContain('action="https://n8n.example.com/rest/auth/embed"');
    expect(form?.body).toContain('<script nonce="bm9uY2U">');
    await verifiesOnNode(/name="token" value="([^"]+)"/.exec(form?.body ?? '')?.[1]);
    expect(report?.creation.signerBadRedirect).toMatchObject({
      ok: false,
      error: { reason: 'config_invalid' },
    });
  });

  it('createPortalLoginRoute answers over HTTP: form and redirect deliveries, 401 without a session, 400 for a bad redirectTo', async () => {
    const cookie = `portal_session=${sessionId}`;
    const form = await fetch(urlOf(runtime, '/portal/form?redirectTo=/home/workflows'), {
      headers: { cookie },
    });
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; script-src 'nonce-[\w+/=-]+'; form-action https:\/\/n8n\.example\.com; base-uri 'none'$/,
    );
    const html = await form.text();
    expect(html).toContain('<input type="hidden" name="redirectTo" value="/home/workflows">');
    await verifiesOnNode(/name="token" value="([^"]+)"/.exec(html)?.[1]);

    const link = await fetch(urlOf(runtime, '/portal/link'), { headers: { cookie }, redirect: 'manual' });
    expect(link.status).toBe(302);
    expect(link.headers.get('referrer-policy')).toBe('strict-origin');
    const location = new URL(link.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://n8n.example.com/rest/auth/embed');
    await verifiesOnNode(location.searchParams.get('token') ?? undefined);

    expect((await fetch(urlOf(runtime, '/portal/form'))).status).toBe(401);
    const bad = await fetch(urlOf(runtime, '/portal/form?redirectTo=/https://evil.example'), {
      headers: { cookie },
    });
    expect(bad.status).toBe(400);
    note(runtime, 'portal', true);
  });

  it("what the runtime lacks is a config_invalid at creation: crypto 'node' without a usable node:crypto, an http JWKS, a strict endpoint without portalOrigins", async () => {
    const { creation } = reports.get(runtime) ?? ({} as Report);
    const nodeCrypto = runtime === 'node' || runtime === 'bun' || runtime === 'deno';
    if (nodeCrypto) {
      expect(creation.signerNodeCrypto.ok).toBe(true);
      await verifiesOnNode(
        creation.signerNodeCrypto.ok ? String(creation.signerNodeCrypto.value) : undefined,
      );
      expect(creation.verifierNodeCrypto).toEqual({ ok: true, value: 'ok' });
    } else {
      for (const attempt of [creation.signerNodeCrypto, creation.verifierNodeCrypto]) {
        expect(attempt).toEqual({
          ok: false,
          error: {
            name: 'EmbedLoginError',
            reason: 'config_invalid',
            message: 'crypto: "node" needs Node.js',
          },
        });
      }
    }
    note(runtime, "`crypto: 'node'` (node:crypto fast path)", nodeCrypto);
    expect(creation.jwksOverHttp).toMatchObject({ ok: false, error: { reason: 'config_invalid' } });
    expect(creation.handlerWithoutPortalOrigins).toMatchObject({
      ok: false,
      error: { reason: 'config_invalid', message: expect.stringContaining('portalOrigins') },
    });
  });

  it('createEmbedLoginHandler (static keys, memory replay store) signs in with every algorithm and refuses the replay', async () => {
    for (const alg of ALGORITHMS) {
      const token = await nodeMint(alg);
      const login = await postForm(urlOf(runtime, '/static/rest/auth/embed'), {
        token,
        redirectTo: '/home/workflows',
      });
      expect(login.status, alg).toBe(302);
      expect(login.headers.get('location'), alg).toBe('https://n8n.example.com/home/workflows');
      expect(login.headers.get('set-cookie'), alg).toMatch(/^n8n-auth=u\d+; HttpOnly$/);
      const replay = await postForm(urlOf(runtime, '/static/rest/auth/embed'), { token });
      expect(await refusal(replay), alg).toEqual(answer('replayed'));
      expect(replay.headers.get('set-cookie')).toBeNull();
      note(runtime, `verify ${alg}`, login.status === 302);
    }
  });

  it('createVerifier on a remote JWKS served from 127.0.0.1: logins by GET for every algorithm, replay refused', async () => {
    const before = jwksFetches;
    for (const alg of ALGORITHMS) {
      const token = await nodeMint(alg);
      const url = `${urlOf(runtime, '/jwks/rest/auth/embed')}?token=${token}`;
      const login = await fetch(url, { redirect: 'manual' });
      expect(login.status, alg).toBe(302);
      expect(login.headers.get('location'), alg).toBe(N8N_URL);
      expect(await refusal(await fetch(url, { redirect: 'manual' })), alg).toEqual(answer('replayed'));
    }
    // Fetched at the first login, then held for its max-age: one request for all ten logins.
    expect(jwksFetches - before).toBe(1);
    note(runtime, 'remote JWKS (127.0.0.1)', true);
  });

  it("bad input is refused with n8n's answers, and nothing is signed in", async () => {
    const endpoint = urlOf(runtime, '/static/rest/auth/embed');
    const token = await nodeMint('ES256');
    const [header = '', payload = '', signature = ''] = token.split('.');
    const otherKid = Buffer.from(
      JSON.stringify({ alg: 'ES256', kid: 'nobody', typ: 'n8n-embed+jwt' }),
    ).toString('base64url');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const cases: [string, Promise<Response>, ReturnType<typeof answer>][] = [
      ['no token', postForm(endpoint, {}), answer('malformed', 'token is required')],
      ['not a JWS', postForm(endpoint, { token: 'not-a-token' }), answer('malformed')],
      [
        'unknown kid',
        postForm(endpoint, { token: `${otherKid}.${payload}.${signature}` }),
        answer('unknown_kid'),
      ],
      [
        'wrong signature',
        postForm(endpoint, { token: `${header}.${payload}.${flipped}` }),
        answer('bad_signature'),
      ],
      ['another origin', postForm(endpoint, { token }, 'https://evil.example'), answer('origin_rejected')],
      ['a body over the cap', postForm(endpoint, { token: 'a'.repeat(20_000) }), answer('too_large')],
      [
        'a JSON body naming token twice',
        fetch(endpoint, {
          method: 'POST',
          headers: { origin: PORTAL_ORIGIN, 'content-type': 'application/json' },
          body: `{"token":"x","token":${JSON.stringify(token)}}`,
        }),
        answer('malformed'),
      ],
    ];
    for (const [label, pending, expected] of cases) {
      const response = await pending;
      expect(await refusal(response), label).toEqual(expected);
      expect(response.headers.get('set-cookie'), label).toBeNull();
      expect(response.headers.get('cache-control'), label).toBe('no-store');
    }
    expect((await fetch(endpoint, { method: 'PUT' })).status).toBe(405);
    // The token survived every refusal above: it still signs in once.
    expect((await postForm(endpoint, { token })).status).toBe(302);
    note(runtime, 'refusals', true);
  });

  it("profile n8n: a login, then n8n's replay answer", async () => {
    const token = await nodeMint('RS256');
    const endpoint = urlOf(runtime, '/n8n/rest/auth/embed');
    expect((await postForm(endpoint, { token })).status).toBe(302);
    expect(await refusal(await postForm(endpoint, { token }))).toEqual(answer('replayed'));
  });
});

// The examples a user copies, each in its runtime, signing in at that runtime's endpoint above.
const EXAMPLES: [Runtime, string][] = [
  ['bun', 'examples/bun.ts'],
  ['deno', 'examples/deno.ts'],
  ['workerd', 'examples/worker.ts'],
  ['workerd+nodejs_compat', 'examples/worker.ts'],
];

describe.each(EXAMPLES)('examples/edge-portals on %s (%s)', (runtime, entry) => {
  let example: Running | undefined;
  beforeAll(async () => {
    const key = keys.find((candidate) => candidate.alg === 'ES256');
    example = await startRuntime(
      runtime,
      project,
      { bun: entry, deno: entry, worker: entry },
      {
        N8N_EMBED_PRIVATE_JWK: JSON.stringify(key?.privateJwk),
        PORTAL_URL: ISSUER,
        N8N_URL: AUDIENCE,
        PORT: '0',
        DEMO_SESSIONS: JSON.stringify({ [sessionId]: user }),
      },
    );
  }, 60_000);
  afterAll(() => example?.stop());

  it('answers /n8n-login with the login form for a signed-in user, whose token signs in once', async () => {
    const url = new URL('/n8n-login?redirectTo=/home/workflows', example?.url).href;
    const page = await fetch(url, { headers: { cookie: `portal_session=${sessionId}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain('form-action https://n8n.example.com');
    const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1];
    await verifiesOnNode(token);
    const endpoint = urlOf(runtime, '/static/rest/auth/embed');
    expect((await postForm(endpoint, { token: token ?? '', redirectTo: '/home/workflows' })).status).toBe(
      302,
    );
    expect(await refusal(await postForm(endpoint, { token: token ?? '' }))).toEqual(answer('replayed'));
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(new URL('/elsewhere', example?.url))).status).toBe(404);
  });
});

// The root README's runtime table, rebuilt from what the suite observed above.
const COLUMNS: Record<Runtime, string> = {
  node: 'Node',
  bun: 'Bun',
  deno: 'Deno',
  workerd: 'workerd',
  'workerd+nodejs_compat': 'workerd + `nodejs_compat`',
};
const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const ROWS: [string, string[]][] = [
  ['`createLoginSigner` from a JWK, from a PKCS#8 PEM', ['signer from a JWK', 'signer from a PKCS#8 PEM']],
  ['… from a non-extractable `CryptoKey`', ['signer from a CryptoKey']],
  ['`mint` ES256, ES384, ES512', ['mint ES256', 'mint ES384', 'mint ES512']],
  ['`mint` RS256–512, PS256–512', RSA.map((alg) => `mint ${alg}`)],
  ['`mint` EdDSA', ['mint EdDSA']],
  ['`buildLoginUrl`, `renderLoginForm`, `createPortalLoginRoute` over HTTP', ['portal']],
  ["`crypto: 'node'` (node:crypto fast path)", ["`crypto: 'node'` (node:crypto fast path)"]],
  [
    '`createEmbedLoginHandler` login, static keys: ES256–512',
    ['verify ES256', 'verify ES384', 'verify ES512'],
  ],
  ['… RS256–512, PS256–512', RSA.map((alg) => `verify ${alg}`)],
  ['… EdDSA', ['verify EdDSA']],
  ['… remote JWKS (from 127.0.0.1)', ['remote JWKS (127.0.0.1)']],
  ["… replay refused, bad input refused with n8n's answers", ['refusals']],
];

function cell(runtime: Runtime, features: string[]): string {
  const seen = features.map((feature) => observed.get(runtime)?.get(feature));
  if (seen.some((value) => value === undefined)) return 'not run';
  return seen.every(Boolean) ? 'yes' : '`config_invalid` at creation';
}

it('the root README says what this suite observed, runtime by runtime', () => {
  const table = [
    `| | ${RUNTIMES.map((runtime) => COLUMNS[runtime]).join(' | ')} |`,
    `|---|${RUNTIMES.map(() => '---').join('|')}|`,
    ...ROWS.map(
      ([label, features]) => `| ${label} | ${RUNTIMES.map((r) => cell(r, features)).join(' | ')} |`,
    ),
  ].join('\n');
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  expect(readme, `the README's runtime table should read:\n${table}\n`).toContain(table);
});

it('the SDK bundles into a Worker with no node: import, under 48 KiB min+gzip (npm run bench -- runtimes prints the figure)', async () => {
  const code = await bundleWorker(project, 'examples/worker.ts', { minify: true });
  // No static or dynamic import of a node: module (the string 'node:crypto' given to
  // process.getBuiltinModule at run time is no import).
  expect(/\bfrom\s*["']node:|\bimport\s*\(?\s*["']node:/.test(code)).toBe(false);
  // zod imported as a namespace is what keeps it small: `import { z }` pulled in all of zod (104 KiB).
  expect(gzipSync(code, { level: 9 }).byteLength).toBeLessThan(48 * 1024);
});
