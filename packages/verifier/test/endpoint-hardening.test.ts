// The attack review's endpoint findings (issue 9, items 1–7), each tested for its class over real
// HTTP on 127.0.0.1: open redirects, the order of the session, login CSRF, unbounded bodies, duplicate
// JSON members, the rate limiter's memory and keys, and control characters reaching events.
import { EMBED_LOGIN_PATH, EmbedLoginError } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import type { LoginSigner, LoginUser } from '@n8n-embed/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../test/http-server.js';
import {
  createEmbedLoginHandler,
  createIdentityResolver,
  createVerifier,
  type EmbedLoginEvent,
  type EmbedLoginHandlerOptions,
} from '../src/index.js';
import { toNodeHandler } from '../src/node.js';
import { memoryUsers } from './support/memory-users.js';
import { PORTAL_KEY, portalSigner } from './support/tokens.js';

const PORTAL = 'https://portal.example.com';
const BASE = 'https://n8n.example.com/n8n/';
const FORM = 'application/x-www-form-urlencoded';
let signer: LoginSigner;
const mint = (user: Partial<LoginUser> = {}) =>
  signer.mint({ sub: 'ada', email: 'ada@example.com', emailVerified: true, ...user });

beforeAll(async () => {
  signer = await portalSigner();
});

async function endpoint(overrides: Partial<EmbedLoginHandlerOptions<unknown>> = {}) {
  const events: EmbedLoginEvent[] = [];
  let sessions = 0;
  const verifier = await createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE });
  const options: EmbedLoginHandlerOptions<unknown> = {
    verifier,
    baseUrl: BASE,
    resolveUser: createIdentityResolver(memoryUsers().store),
    issueSession: (_user, { headers }) => {
      sessions += 1;
      headers.append('Set-Cookie', `n8n-auth=s${sessions}; Path=/; HttpOnly; Secure; SameSite=None`);
    },
    onEvent: (event) => events.push(event),
    rateLimit: false,
    portalOrigins: [PORTAL],
    ...overrides,
  };
  const handler = createEmbedLoginHandler<unknown>(options);
  const server = await listen(toNodeHandler(handler));
  const url = new URL(EMBED_LOGIN_PATH.slice(1), server.url).href;
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${url}?${query}`, { redirect: 'manual', headers });
  const post = (body: BodyInit, type: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', body, redirect: 'manual', headers: { 'content-type': type, ...headers } });
  return { handler, server, url, get, post, events, sessions: () => sessions };
}

type Endpoint = Awaited<ReturnType<typeof endpoint>>;
let main: Endpoint;
beforeAll(async () => {
  main = await endpoint();
});
afterAll(() => main.server.close());

/** The answer, the cookie and the event agree: a 302 has a cookie and a success event, else neither. */
async function expectAgreement(target: Endpoint, response: Response, eventsBefore: number): Promise<void> {
  const added = target.events.slice(eventsBefore);
  expect(added).toHaveLength(1);
  if (response.status === 302) {
    expect(response.headers.get('set-cookie')).toMatch(/^n8n-auth=/);
    expect(added[0]?.type).toBe('embed-login');
  } else {
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(added[0]?.type).toBe('embed-login-failed');
  }
}

describe('1. redirects never leave n8n', () => {
  const schemeLike = [
    '/https://evil.example/phish',
    '/javascript:alert(1)',
    '/data:text/html,<script>alert(1)</script>',
    '/HTTPS://evil.example',
    '/https:evil.example',
    '/https:%2f%2fevil.example',
    '/%68ttps://evil.example',
    '/https%3A//evil.example',
    '/./https://evil.example',
    '/a/../javascript:alert(1)',
  ];

  it.each(schemeLike)('%j lands on the base URL, signed in', async (redirectTo) => {
    for (const deliver of ['get', 'post'] as const) {
      const before = main.events.length;
      const token = await mint();
      const query = `token=${token}&redirectTo=${encodeURIComponent(redirectTo)}`;
      const response = deliver === 'get' ? await main.get(query) : await main.post(query, FORM);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(BASE);
      await expectAgreement(main, response, before);
    }
  });

  it('for any redirectTo, the Location is same-origin under the base path (property, over HTTP)', async () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      ':',
      '.',
      '..',
      '%2f',
      '%2e',
      '%3a',
      'https',
      'evil.example',
      '@',
      '?',
      '#',
      'a',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(piece, { maxLength: 10 }).map((parts) => parts.join('')),
          fc.string({ maxLength: 40 }),
        ),
        async (redirectTo) => {
          const query = `token=${await mint()}&redirectTo=${encodeURIComponent(redirectTo)}`;
          const response = await main.post(query, FORM);
          expect(response.status).toBe(302);
          const location = new URL(response.headers.get('location') ?? '');
          expect(location.origin).toBe(new URL(BASE).origin);
          expect(location.pathname.startsWith(new URL(BASE).pathname)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('2. nothing fails after the session', () => {
  it('a host whose session step throws after writing a cookie: 503, no cookie, a failure event', async () => {
    const failing = await endpoint({
      issueSession: (_user, { headers }) => {
        headers.append('Set-Cookie', 'n8n-auth=half; Path=/');
        throw new Error('session store down');
      },
    });
    try {
      const before = failing.events.length;
      const response = await failing.get(`token=${await mint()}`);
      expect(response.status).toBe(503);
      await expectAgreement(failing, response, before);
    } finally {
      await failing.server.close();
    }
  });

  it('a refused user gets no session at all', async () => {
    const before = main.events.length;
    const response = await main.get(
      `token=${await mint({ sub: 'nv', email: 'nv@example.com', emailVerified: false })}`,
    );
    expect(response.status).toBe(401);
    await expectAgreement(main, response, before);
  });

  it('an audit hook that throws does not change a decided answer', async () => {
    const noisy = await endpoint({
      onEvent: () => {
        throw new Error('log sink down');
      },
    });
    try {
      const ok = await noisy.get(`token=${await mint()}`);
      expect(ok.status).toBe(302);
      expect(ok.headers.get('set-cookie')).toMatch(/^n8n-auth=/);
      expect((await noisy.get('token=junk')).status).toBe(400);
    } finally {
      await noisy.server.close();
    }
  });
});

describe('3. login CSRF', () => {
  it('a strict endpoint needs portal origins; the opt-out is explicit and loud', async () => {
    const verifier = await createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE });
    const base = { verifier, baseUrl: BASE, resolveUser: async () => ({}), issueSession: () => {} };
    expect(() => createEmbedLoginHandler(base)).toThrow(/^portalOrigins: required with a strict verifier/);
    expect(() => createEmbedLoginHandler({ ...base, portalOrigins: [] })).toThrow(EmbedLoginError);
    expect(() =>
      createEmbedLoginHandler({ ...base, portalOrigins: ['https://portal.example.com/app'] }),
    ).toThrow(/portalOrigins\[0\]: .* is not an origin/);
    const warnings: string[] = [];
    createEmbedLoginHandler({ ...base, portalOrigins: 'any', warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringContaining("portalOrigins is 'any'")]);
    const n8nProfile = await createVerifier({
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      profile: 'n8n',
    });
    expect(() => createEmbedLoginHandler({ ...base, verifier: n8nProfile })).not.toThrow();
  });

  // [headers, allowed?] for POST: judged by Origin; a browser POST without Origin is refused.
  it.each([
    [{ origin: PORTAL, 'sec-fetch-site': 'cross-site' }, true],
    [{ origin: 'https://PORTAL.example.com:443' }, false], // browsers send the serialised origin
    [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, false],
    [{ origin: 'null', 'sec-fetch-site': 'cross-site' }, false],
    [{ origin: 'https://portal.example.com.evil.example' }, false],
    [{ origin: 'http://portal.example.com' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, false],
    [{ 'sec-fetch-site': 'same-site', referer: `${PORTAL}/` }, false],
    [{}, true], // no browser: no victim's cookies, judged by the token
  ] as const)('POST %j: allowed %s', async (headers, allowed) => {
    const response = await main.post(`token=${await mint()}`, FORM, headers);
    expect(response.status).toBe(allowed ? 302 : 403);
  });

  // GET: judged by Sec-Fetch-Site and the Referer's origin.
  it.each([
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'iframe', referer: `${PORTAL}/` }, true],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document', referer: `${PORTAL}/dashboard` }, true],
    [{ 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'document' }, true],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'iframe', referer: 'https://evil.example/' }, false],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'iframe' }, false],
    [{ 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' }, false],
    [
      { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'document', referer: 'https://x.example.com/' },
      false,
    ],
    [{ referer: 'https://evil.example/' }, false],
    [{ referer: `${PORTAL}/` }, true],
    [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image', referer: `${PORTAL}/` }, false],
    [{}, true],
  ] as const)('GET %j: allowed %s', async (headers, allowed) => {
    const before = main.events.length;
    const response = await main.get(`token=${await mint()}`, headers);
    expect(response.status).toBe(allowed ? 302 : 403);
    await expectAgreement(main, response, before);
  });

  it('allowGet: false refuses GET logins entirely', async () => {
    const postOnly = await endpoint({ allowGet: false });
    try {
      const response = await postOnly.get(`token=${await mint()}`, { referer: `${PORTAL}/` });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect((await postOnly.post(`token=${await mint()}`, FORM, { origin: PORTAL })).status).toBe(302);
    } finally {
      await postOnly.server.close();
    }
  });
});

describe('4. bodies are read only up to the cap, on every runtime', () => {
  it('stops pulling a streamed body at the cap (the Web handler alone, no node:http cap)', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 400 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request(`${BASE}rest/auth/embed`, {
      method: 'POST',
      body,
      headers: { 'content-type': FORM },
      duplex: 'half',
    } as RequestInit);
    const response = await main.handler(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 400, message: 'Invalid token format' });
    expect(pulled).toBeLessThan(256 * 1024);
  });

  it('refuses a declared length over the cap without reading', async () => {
    const request = new Request(`${BASE}rest/auth/embed`, {
      method: 'POST',
      body: 'token=x',
      headers: { 'content-type': FORM, 'content-length': String(400 * 1024 * 1024) },
    });
    const response = await main.handler(request);
    expect(response.status).toBe(400);
    expect(main.events.at(-1)).toMatchObject({ reason: 'too_large' });
  });

  it('a 400 MB POST over HTTP is answered at the cap, not read to the end', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1 << 16;
        if (sent > 400 * (1 << 20)) controller.close();
        else controller.enqueue(new Uint8Array(1 << 16));
      },
    });
    const response = await fetch(main.url, {
      method: 'POST',
      body,
      headers: { 'content-type': FORM },
      duplex: 'half',
    } as RequestInit).catch(() => undefined);
    // The server answers (or resets the upload) as soon as the cap is passed: the handler's own cap,
    // so the same `too_large` answer as a declared length over it.
    if (response) expect(response.status).toBe(400);
    expect(main.events.at(-1)).toMatchObject({ reason: 'too_large' });
    expect(sent).toBeLessThan(64 * (1 << 20));
  });
});

describe('5. duplicate JSON members', () => {
  it.each([
    (token: string) => `{"token":"junk","token":"${token}"}`,
    (token: string) => `{"token":"${token}","token":"junk"}`,
    (token: string) => `{"token":"junk","\\u0074oken":"${token}"}`,
    (token: string) => `{"redirectTo":"/a","token":"${token}","redirectTo":"/b"}`,
    (token: string) => `{"token":"${token}","x":{"a":1,"a":2}}`,
  ])('refuses %s', async (body) => {
    const token = await mint();
    const response = await main.post(body(token), 'application/json');
    expect(response.status).toBe(400);
    expect(main.events.at(-1)).toMatchObject({ reason: 'malformed', detail: 'body names a member twice' });
    // The token was never verified, so it still works once.
    expect((await main.post(JSON.stringify({ token }), 'application/json')).status).toBe(302);
  });
});

describe('6. the rate limit over HTTP', () => {
  it('counts a client per address; requests with no address are not pooled into one bucket', async () => {
    const limited = await endpoint({ rateLimit: { perMinute: 3 } });
    try {
      const call = (address: string | undefined) =>
        limited.handler(
          new Request(`${BASE}rest/auth/embed?token=x`),
          address ? { clientAddress: address } : {},
        );
      const statuses = async (address: string | undefined, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await call(address)).status);
        return out;
      };
      expect(await statuses('2001:db8:1:2::1', 4)).toEqual([400, 400, 400, 429]);
      // Another address of the same /64 shares the budget; the next /64 has its own.
      expect(await statuses('2001:db8:1:2:ffff::9', 1)).toEqual([429]);
      expect(await statuses('2001:db8:1:3::1', 1)).toEqual([400]);
      expect(await statuses('::ffff:192.0.2.7', 3)).toEqual([400, 400, 400]);
      expect(await statuses('192.0.2.7', 1)).toEqual([429]);
      expect(await statuses(undefined, 30)).toEqual(new Array(30).fill(400));
    } finally {
      await limited.server.close();
    }
  });
});

describe('7. control characters never reach an event', () => {
  const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
  it.each(['\u001b[2J\u001b[31mPWNED', 'a\r\nfake: log line', '\u202eevil', 'zw\u200bsp', 'ls\u2028x'])(
    'a header member named %j',
    async (member) => {
      const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const header = segment({ alg: 'ES256', kid: PORTAL_KEY.kid, typ: 'JWT', [member]: 1 });
      const token = `${header}.${segment({ sub: 'x' })}.${'A'.repeat(86)}`;
      const response = await main.post(`token=${token}`, FORM);
      expect(response.status).toBe(400);
      const event = main.events.at(-1);
      expect(event).toMatchObject({ reason: 'header_rejected' });
      const texts = Object.values(event ?? {}).filter((value) => typeof value === 'string');
      expect(texts.some((text) => hidden.test(text))).toBe(false);
      expect((event as { detail?: string }).detail).toContain('\\u{');
    },
  );
});
