// One handler, two entries: the embed-login handler called as a Web handler and the same handler served
// by toNodeHandler (its lite form, without Web objects) give the same answer to every kind of request:
// success, each refusal, the handshake page, the wrong method. Over real HTTP on 127.0.0.1.
import { EMBED_LOGIN_PATH } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import type { LoginSigner } from '@n8n-embed/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../test/http-server.js';
import {
  createEmbedLoginHandler,
  createIdentityResolver,
  createVerifier,
  type EmbedLoginEvent,
  type EmbedLoginHandler,
} from '../src/index.js';
import { toNodeHandler } from '../src/node.js';
import { memoryUsers } from './support/memory-users.js';
import { portalSigner } from './support/tokens.js';

const PORTAL = 'https://portal.example.com';
const BASE = 'https://n8n.example.com/n8n/';
const FORM = 'application/x-www-form-urlencoded';
const CHANNEL = 'AbCdEfGhIjKlMnOpQrStUv';
let signer: LoginSigner;

interface Sent {
  readonly method: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

async function instance(): Promise<{ handler: EmbedLoginHandler; events: EmbedLoginEvent[] }> {
  const events: EmbedLoginEvent[] = [];
  const verifier = await createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE });
  let sessions = 0;
  const handler = createEmbedLoginHandler<unknown>({
    verifier,
    n8nUrl: BASE,
    resolveUser: createIdentityResolver(memoryUsers().store),
    issueSession: (_user, { headers, request }) => {
      sessions += 1;
      // A host may read the request: both entries give it the same one.
      headers.append('Set-Cookie', `n8n-auth=s${sessions}; Path=/; Secure`);
      headers.append('Set-Cookie', `seen=${encodeURIComponent(request.headers.get('origin') ?? '-')}`);
    },
    onEvent: (event) => events.push(event),
    rateLimit: { perMinute: 1000 },
    portalOrigins: [PORTAL],
  });
  return { handler, events };
}

let web: Awaited<ReturnType<typeof instance>>;
let node: Awaited<ReturnType<typeof instance>> & { url: string; close(): Promise<void> };
beforeAll(async () => {
  signer = await portalSigner();
  web = await instance();
  const served = await instance();
  const server = await listen(toNodeHandler(served.handler));
  node = { ...served, url: new URL(EMBED_LOGIN_PATH.slice(1), server.url).href, close: server.close };
});
afterAll(() => node.close());

/** What may differ between a Web Response and the same answer over node:http: the transport's own. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function answer(response: Response): Promise<Record<string, unknown>> {
  const headers = Object.fromEntries(
    [...response.headers].filter(([name]) => name !== 'set-cookie' && !TRANSPORT.has(name)),
  );
  const noNonce = (text: string | null): string | null =>
    text?.replace(/nonce(-|=")[\w+/=-]+/g, 'nonce$1N') ?? null;
  const policy = noNonce(headers['content-security-policy'] ?? null);
  if (policy !== null) headers['content-security-policy'] = policy;
  return {
    status: response.status,
    headers,
    cookies: response.headers.getSetCookie(),
    body: noNonce(await response.text()),
  };
}

const statuses = new Set<number>();

/** Sends one request to both entries, each with its own fresh token, and returns both answers. */
async function both(
  make: (token: string) => Sent,
): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const answers: Record<string, unknown>[] = [];
  for (const target of ['web', 'node'] as const) {
    const token = await signer.mint({ sub: 'ada', email: 'ada@example.com', emailVerified: true });
    const sent = make(token);
    const url = `${target === 'web' ? `${BASE}rest/auth/embed` : node.url}${sent.query ? `?${sent.query}` : ''}`;
    const init = {
      method: sent.method,
      headers: sent.headers ?? {},
      redirect: 'manual' as const,
      ...(sent.body === undefined ? {} : { body: sent.body }),
    };
    const response =
      target === 'web'
        ? await web.handler(new Request(url, init), { clientAddress: '127.0.0.1' })
        : await fetch(url, init);
    answers.push(await answer(response));
    statuses.add(response.status);
  }
  return answers as [Record<string, unknown>, Record<string, unknown>];
}

const form = (body: string, headers: Record<string, string> = {}): Sent => ({
  method: 'POST',
  headers: { 'content-type': FORM, ...headers },
  body,
});

const CASES: [string, (token: string) => Sent][] = [
  ['GET with the token', (t) => ({ method: 'GET', query: `token=${t}&redirectTo=%2Fhome%2Fworkflows` })],
  [
    'GET from a portal page',
    (t) => ({ method: 'GET', query: `token=${t}`, headers: { referer: `${PORTAL}/` } }),
  ],
  [
    'GET by an image',
    (t) => ({ method: 'GET', query: `token=${t}`, headers: { 'sec-fetch-dest': 'image' } }),
  ],
  ['POST form', (t) => form(`token=${t}&redirectTo=%2Fworkflow%2F1%3Fa%3D1`)],
  ['POST form from the portal', (t) => form(`token=${t}`, { origin: PORTAL })],
  ['POST form from another site', (t) => form(`token=${t}`, { origin: 'https://evil.example' })],
  ['POST from a browser without Origin', (t) => form(`token=${t}`, { 'sec-fetch-site': 'cross-site' })],
  [
    'POST JSON',
    (t) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"token":"${t}"}` }),
  ],
  [
    'POST JSON naming a member twice',
    (t) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"token":"x","token":"${t}"}`,
    }),
  ],
  ['POST with the token in the query', (t) => ({ ...form(''), query: `token=${t}` })],
  ['POST with a repeated token', (t) => form(`token=${t}&token=${t}`)],
  ['POST with a nested token', (t) => form(`token[a]=${t}`)],
  ['POST without a token', () => form('redirectTo=%2F')],
  ['POST with a malformed token', () => form('token=not.a.token')],
  [
    'POST with an unknown kid',
    (t) =>
      form(
        `token=${t.replace(/^[^.]+/, Buffer.from('{"alg":"ES256","kid":"ghost","typ":"n8n-embed+jwt"}').toString('base64url'))}`,
      ),
  ],
  ['POST with a scheme-like redirect', (t) => form(`token=${t}&redirectTo=%2Fhttps%3A%2F%2Fevil.example`)],
  [
    'POST of another type',
    (t) => ({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: `token=${t}` }),
  ],
  ['POST of a body that is not UTF-8', () => ({ ...form(''), body: new Uint8Array([0x74, 0xff]) })],
  [
    'the handshake, signed in',
    (t) => ({ ...form(`token=${t}`, { origin: PORTAL }), query: `embed=${CHANNEL}` }),
  ],
  ['the handshake, refused', () => ({ ...form('token=bad', { origin: PORTAL }), query: `embed=${CHANNEL}` })],
  ['PUT', (t) => ({ method: 'PUT', query: `token=${t}` })],
  ['DELETE', () => ({ method: 'DELETE' })],
];

describe('the Web handler and toNodeHandler answer alike', () => {
  it.each(CASES)('%s', async (_name, make) => {
    const [fromWeb, fromNode] = await both(make);
    expect(fromNode).toEqual(fromWeb);
  });

  it('and report the same events', () => {
    expect([...statuses].sort()).toEqual([200, 302, 400, 401, 403, 405]);
    const strip = (events: EmbedLoginEvent[]) =>
      events.map((event) => ({ ...event, jtiHash: 'jtiHash' in event ? 'h' : undefined }));
    expect(node.events.length).toBeGreaterThan(CASES.length / 2);
    expect(strip(node.events)).toEqual(strip(web.events));
  });
});
