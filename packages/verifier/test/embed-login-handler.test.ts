// The embed-login endpoint over real HTTP on 127.0.0.1: n8n's statuses and messages, the headers,
// the session cookie a sample issueSession sets, the redirect rule and repeated parameters.
import { EMBED_LOGIN_PATH } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import type { LoginSigner, LoginUser } from '@n8n-embed/sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
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

let signer: LoginSigner;
const mint = (user: Partial<LoginUser> = {}) =>
  signer.mint({ sub: 'ada', email: 'ada@example.com', emailVerified: true, ...user });

async function endpoint(overrides: Partial<EmbedLoginHandlerOptions<unknown>> = {}) {
  const events: EmbedLoginEvent[] = [];
  const users = memoryUsers([{ email: 'owner@example.com', role: 'global:owner' }]);
  const verifier = await createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE });
  const handler = createEmbedLoginHandler<unknown>({
    verifier,
    n8nUrl: 'https://n8n.example.com/n8n/',
    resolveUser: createIdentityResolver(users.store),
    issueSession: (user, { headers }) => {
      headers.append(
        'Set-Cookie',
        `n8n-auth=session-${(user as { id: string }).id}; Path=/; HttpOnly; Secure; SameSite=None`,
      );
    },
    onEvent: (event) => events.push(event),
    rateLimit: false,
    portalOrigins: ['https://portal.example.com'],
    ...overrides,
  });
  const server = await listen(toNodeHandler(handler));
  const url = new URL(EMBED_LOGIN_PATH.slice(1), server.url);
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${url}?${query}`, { redirect: 'manual', headers });
  const post = (body: string, type: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', body, redirect: 'manual', headers: { 'content-type': type, ...headers } });
  return { server, url, get, post, events, users };
}

let main: Awaited<ReturnType<typeof endpoint>>;
beforeAll(async () => {
  signer = await portalSigner();
  main = await endpoint();
});
afterAll(() => main.server.close());

async function expectFailure(response: Response, status: number, message: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ code: status, message });
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('set-cookie')).toBeNull();
}

describe('a valid login', () => {
  it('GET: 302 to the safe path under the base path, with the session cookie and private headers', async () => {
    const token = await mint();
    const response = await main.get(`token=${token}&redirectTo=${encodeURIComponent('/workflow/1?tab=x')}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://n8n.example.com/n8n/workflow/1?tab=x');
    expect(response.headers.get('set-cookie')).toMatch(
      /^n8n-auth=session-\d+; Path=\/; HttpOnly; Secure; SameSite=None$/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const event = main.events.at(-1);
    expect(event).toMatchObject({
      type: 'embed-login',
      sub: 'ada',
      kid: PORTAL_KEY.kid,
      clientAddress: '127.0.0.1',
    });
    expect(JSON.stringify(main.events)).not.toContain(token.split('.')[2]);
  });

  it('POST as a form and as JSON; the second login reuses the provisioned user', async () => {
    // Its own endpoint and users: the count below must not depend on which tests ran before.
    const own = await endpoint();
    onTestFinished(() => own.server.close());
    const form = await own.post(
      `token=${await mint({ sub: 'grace', email: 'grace@example.com' })}`,
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(302);
    expect(form.headers.get('location')).toBe('https://n8n.example.com/n8n/');
    const json = await own.post(
      JSON.stringify({ token: await mint({ sub: 'grace', email: 'grace@example.com' }) }),
      'application/json',
    );
    expect(json.headers.get('set-cookie')).toBe(form.headers.get('set-cookie'));
    expect(own.users.count()).toBe(2); // owner, grace
  });
});

describe("issueSession's headers", () => {
  it('start empty; what the host sets joins the answer, its values winning; untouched, they add nothing', async () => {
    const seen: string[][] = [];
    const setting = await endpoint({
      issueSession: (_user, context) => {
        // Own properties are the documented ones only: no internals to copy or log by mistake.
        seen.push(Object.keys(context).sort());
        const { headers } = context;
        seen.push([...headers.keys()]);
        headers.append('Set-Cookie', 'a=1; Path=/');
        headers.append('Set-Cookie', 'b=2; Path=/');
        headers.set('x-session', 'yes');
        headers.set('cache-control', 'no-store, private');
      },
    });
    onTestFinished(() => setting.server.close());
    const response = await setting.get(`token=${await mint()}`);
    expect(seen).toEqual([['clientAddress', 'native', 'token'], []]);
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.headers.get('x-session')).toBe('yes');
    expect(response.headers.get('cache-control')).toBe('no-store, private');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('location')).toBe('https://n8n.example.com/n8n/');

    const untouched = await endpoint({ issueSession: () => {} });
    onTestFinished(() => untouched.server.close());
    const plain = await untouched.get(`token=${await mint()}`);
    expect(plain.status).toBe(302);
    expect(plain.headers.getSetCookie()).toEqual([]);
    expect(plain.headers.get('cache-control')).toBe('no-store');
    expect(plain.headers.get('location')).toBe('https://n8n.example.com/n8n/');
  });
});

describe('n8n statuses and messages', () => {
  it('no token, an empty token', async () => {
    await expectFailure(await main.get('redirectTo=/x'), 400, 'token is required');
    await expectFailure(
      await main.post('token=', 'application/x-www-form-urlencoded'),
      400,
      'token is required',
    );
  });

  it('repeated, nested or doubly placed tokens are malformed', async () => {
    const [a, b] = [await mint(), await mint()];
    await expectFailure(await main.get(`token=${a}&token=${b}`), 400, 'Invalid token format');
    await expectFailure(await main.get(`token[x]=${a}`), 400, 'Invalid token format');
    await expectFailure(
      await main.post(JSON.stringify({ token: [a] }), 'application/json'),
      400,
      'Invalid token format',
    );
    const both = await fetch(`${main.url}?token=${a}`, {
      method: 'POST',
      body: `token=${b}`,
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectFailure(both, 400, 'Invalid token format');
  });

  it('a replayed token, a garbage token', async () => {
    const token = await mint();
    expect((await main.get(`token=${token}`)).status).toBe(302);
    await expectFailure(await main.get(`token=${token}`), 401, 'Token has already been used');
    await expectFailure(await main.get('token=not-a-jwt'), 400, 'Invalid token format');
  });

  it("the identity policy's refusals", async () => {
    await expectFailure(
      await main.get(`token=${await mint({ sub: 'u1', email: 'new@example.com', emailVerified: false })}`),
      401,
      'Email is not verified',
    );
    await expectFailure(
      await main.get(`token=${await mint({ sub: 'u2', email: 'OWNER@example.com' })}`),
      401,
      'User role is not allowed for this key',
    );
    await expectFailure(
      await main.get(`token=${await mint({ sub: 'u3', email: undefined })}`),
      401,
      'Email claim is required for user provisioning',
    );
  });

  it('a method other than GET and POST', async () => {
    const response = await fetch(main.url, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });
});

describe('redirectTo', () => {
  it.each([
    ['https://evil.com', '/'],
    ['//evil.com', '/'],
    ['/\\evil.com', '/'],
    ['/%0d%0aSet-Cookie:a=b', '/'],
    ['/rest/logout', '/'],
    ['/rest/auth/embed?token=x', '/'],
    ['/../../outside', '/'],
    ['5000 characters', '/'],
    ['/workflow/1', '/workflow/1'],
  ])('%s lands on %s', async (input, path) => {
    const redirectTo = input === '5000 characters' ? `/${'a'.repeat(5000)}` : input;
    const response = await main.get(`token=${await mint()}&redirectTo=${encodeURIComponent(redirectTo)}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`https://n8n.example.com/n8n${path}`);
  });
});

describe('rate limit, origins, host failures', () => {
  it('answers 429 after 20 requests a minute from one address', async () => {
    const limited = await endpoint({ rateLimit: {} });
    try {
      const statuses = [];
      for (let i = 0; i < 21; i++) statuses.push((await limited.get('token=x')).status);
      expect(statuses.slice(0, 20).every((status) => status === 400)).toBe(true);
      await expectFailure(await limited.get(`token=${await mint()}`), 429, 'Too many requests');
    } finally {
      await limited.server.close();
    }
  });

  it('refuses foreign POST origins and non-frame GETs when portal origins are set', async () => {
    const guarded = await endpoint({ portalOrigins: ['https://portal.example.com/'] });
    // (a trailing slash is the same origin)
    try {
      const body = `token=${await mint()}`;
      const type = 'application/x-www-form-urlencoded';
      await expectFailure(
        await guarded.post(body, type, { origin: 'https://evil.example' }),
        403,
        'Request origin is not allowed',
      );
      await expectFailure(
        await guarded.get(`token=${await mint()}`, { 'sec-fetch-dest': 'image' }),
        403,
        'Request origin is not allowed',
      );
      expect((await guarded.post(body, type, { origin: 'https://portal.example.com' })).status).toBe(302);
      expect(
        (
          await guarded.get(`token=${await mint()}`, {
            'sec-fetch-dest': 'iframe',
            'sec-fetch-site': 'cross-site',
            referer: 'https://portal.example.com/',
          })
        ).status,
      ).toBe(302);
    } finally {
      await guarded.server.close();
    }
  });

  it('never answers 500 when the host fails: a host error is host_unavailable (503), not a refusal of the user', async () => {
    const failing = await endpoint({
      resolveUser: async () => {
        throw new Error('database is down');
      },
    });
    try {
      await expectFailure(
        await failing.get(`token=${await mint()}`),
        503,
        'Embed login is temporarily unavailable',
      );
      expect(failing.events.at(-1)).toMatchObject({
        type: 'embed-login-failed',
        reason: 'host_unavailable',
        n8nReason: 'internal_error',
      });
    } finally {
      await failing.server.close();
    }
  });
});
