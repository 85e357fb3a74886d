// The embed handshake over real HTTP on 127.0.0.1: a POST from the browser helper (`?embed=<channel>`)
// from a configured portal origin gets a page on n8n's origin that tells that portal origin, exactly,
// how the login went; anything else keeps the endpoint's ordinary answers. (In Chromium:
// examples/portal/test and packages/verifier/test/n8n.)
import { EMBED_LOGIN_PATH } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import type { LoginSigner } from '@n8n-embed/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../test/http-server.js';
import {
  createEmbedLoginHandler,
  createIdentityResolver,
  createVerifier,
  type EmbedLoginHandlerOptions,
  embedBridgeScript,
} from '../src/index.js';
import { toNodeHandler } from '../src/node.js';
import { memoryUsers } from './support/memory-users.js';
import { portalSigner } from './support/tokens.js';

const PORTAL = 'https://portal.example.com';
const CHANNEL = 'AbCdEfGhIjKlMnOpQrStUv';
let signer: LoginSigner;
const closers: (() => Promise<void>)[] = [];

async function endpoint(overrides: Partial<EmbedLoginHandlerOptions<unknown>> = {}) {
  const verifier = await createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE });
  const handler = createEmbedLoginHandler<unknown>({
    verifier,
    baseUrl: 'https://n8n.example.com/n8n/',
    resolveUser: createIdentityResolver(memoryUsers([]).store),
    issueSession: (_user, { headers }) => {
      headers.append('Set-Cookie', 'n8n-auth=session; Path=/; HttpOnly; Secure; SameSite=None');
    },
    rateLimit: false,
    portalOrigins: [PORTAL, 'https://other-portal.example.com/'],
    ...overrides,
  });
  const server = await listen(toNodeHandler(handler));
  closers.push(server.close);
  const url = new URL(EMBED_LOGIN_PATH.slice(1), server.url);
  return (query: string, body: Record<string, string>, method = 'POST', origin: string | null = PORTAL) =>
    fetch(`${url}${query}`, {
      method,
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      ...(method === 'POST' ? { body: new URLSearchParams(body).toString() } : {}),
    });
}

/** The page's data block, as its script reads it. */
function dataOf(html: string): Record<string, unknown> {
  const json = /<script type="application\/json" id="d">(.*?)<\/script>/s.exec(html)?.[1];
  if (json === undefined) throw new Error('no data block');
  return JSON.parse(json);
}

let post: Awaited<ReturnType<typeof endpoint>>;
beforeAll(async () => {
  signer = await portalSigner();
  post = await endpoint();
});
afterAll(async () => {
  for (const close of closers) await close();
});

const mint = () => signer.mint({ sub: 'ada', email: 'ada@example.com', emailVerified: true });

describe('a login from the helper', () => {
  it('answers a page that posts the outcome to the portal origins exactly, then goes on to the path', async () => {
    const token = await mint();
    const response = await post(`?embed=${CHANNEL}`, { token, redirectTo: '/workflow/7' });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toContain('n8n-auth=session');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(csp).toMatch(new RegExp(`frame-ancestors ${PORTAL}$`));
    expect(csp).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).not.toContain(token);
    // One postMessage call, to each configured origin in turn: never to '*'.
    expect(html.match(/postMessage\(/g)).toHaveLength(1);
    expect(html).toContain("postMessage(Object.assign({n8nEmbed:1,type:'login',channel:D.channel},m),o)");
    expect(dataOf(html)).toEqual({
      channel: CHANNEL,
      origins: [PORTAL],
      ok: true,
      target: 'https://n8n.example.com/n8n/workflow/7',
      path: '/workflow/7',
      blocked: expect.stringContaining('N8N_CONTENT_SECURITY_POLICY'),
      // The cookie check (issue 14): n8n's session check next to the login path, from inside the frame.
      session: '../login',
      partitioned: false,
      cookies: expect.stringContaining('third-party cookies blocked'),
      allow: 'Allow n8n to use its cookies here',
      first: expect.stringContaining('open n8n in a new tab'),
    });
    expect(new URL('../login', `https://n8n.example.com/n8n/rest/auth/embed?embed=${CHANNEL}`).pathname).toBe(
      '/n8n/rest/login',
    );
  });

  it('tells the page when the session cookie is already Partitioned (then `partitioned` is not offered)', async () => {
    const partitioned = await endpoint({
      issueSession: (_user, { headers }) => {
        headers.append(
          'Set-Cookie',
          'n8n-auth=session; Path=/; HttpOnly; Secure; SameSite=None; Partitioned',
        );
      },
    });
    const html = await (await partitioned(`?embed=${CHANNEL}`, { token: await mint() })).text();
    expect(dataOf(html)).toMatchObject({ ok: true, partitioned: true });
    // The page offers `partitioned` only when the cookie was not.
    expect(html).toContain("if(!D.partitioned)help.push('partitioned')");
  });

  it('tells why a login was refused, with n8n’s status, and starts no session', async () => {
    const token = await mint();
    expect((await post(`?embed=${CHANNEL}`, { token })).status).toBe(200);
    const replayed = await post(`?embed=${CHANNEL}`, { token });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('set-cookie')).toBeNull();
    const html = await replayed.text();
    expect(html).toContain('Sign-in refused: Token has already been used');
    expect(dataOf(html)).toEqual({
      channel: CHANNEL,
      origins: [PORTAL],
      ok: false,
      reason: 'replayed',
      message: 'Token has already been used',
      status: 401,
    });
  });

  it('tells a refusal that happens before the body is read (no token at all)', async () => {
    const response = await post(`?embed=${CHANNEL}`, {});
    expect(response.status).toBe(400);
    expect(dataOf(await response.text())).toMatchObject({ ok: false, reason: 'malformed', status: 400 });
  });

  it('keeps a hostile redirect inside one script-free data block', async () => {
    const response = await post(`?embed=${CHANNEL}`, {
      token: await mint(),
      redirectTo: '/x</script><script>alert(1)</script><!--',
    });
    const html = await response.text();
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
  });

  it('tells only the portal that started the login, among the configured ones', async () => {
    const other = 'https://other-portal.example.com';
    const response = await post(`?embed=${CHANNEL}`, { token: await mint() }, 'POST', other);
    expect(response.headers.get('content-security-policy')).toMatch(new RegExp(`frame-ancestors ${other}$`));
    expect(dataOf(await response.text())).toMatchObject({ origins: [other], ok: true });
  });
});

describe('no handshake: the endpoint’s ordinary answers', () => {
  it('a POST without Origin (no browser): a 302', async () => {
    const response = await post(`?embed=${CHANNEL}`, { token: await mint() }, 'POST', null);
    expect(response.status).toBe(302);
  });

  it('a POST from another origin: refused with n8n’s JSON, nobody told', async () => {
    const response = await post(`?embed=${CHANNEL}`, { token: await mint() }, 'POST', 'https://evil.test');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it.each([
    ['no embed parameter', ''],
    ['a channel too short', '?embed=abc'],
    ['a channel with other characters', `?embed=${CHANNEL}%3Cx`],
    ['two channels', `?embed=${CHANNEL}&embed=${CHANNEL}`],
  ])('%s: a 302 to the path', async (_name, query) => {
    const response = await post(query, { token: await mint(), redirectTo: '/workflow/7' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://n8n.example.com/n8n/workflow/7');
  });

  it('a refusal without embed is n8n’s JSON', async () => {
    const response = await post('', {});
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it("portalOrigins 'any': nobody to tell, so no page (never '*')", async () => {
    const anyPost = await endpoint({ portalOrigins: 'any', warn: () => {} });
    const response = await anyPost(`?embed=${CHANNEL}`, { token: await mint() });
    expect(response.status).toBe(302);
  });
});

describe('the bridge script', () => {
  it('names the portal origins exactly, escaped for a script, and never posts to *', () => {
    const script = embedBridgeScript(['https://portal.example.com', 'https://a.example</script>'], '/n8n/');
    expect(script).toContain(
      '"origins":["https://portal.example.com","https://a.example\\u003c/script\\u003e"]',
    );
    expect(script).toContain('"base":"/n8n/"');
    expect(script.match(/postMessage\(/g)).toHaveLength(1);
    expect(script).toContain("parent.postMessage({n8nEmbed:1,type:'route',path,signedIn},o)");
  });
});
