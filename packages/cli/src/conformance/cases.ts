import { randomUUID } from 'node:crypto';
import { EMBED_LOGIN_PATH, MAX_LIFETIME_SECONDS, TOKEN_TYPE } from '@n8n-embed/protocol';
import { VECTORS } from '@n8n-embed/protocol/vectors';
import type { TestSubject } from '../doctor/login-request.js';
import type { TestKey } from '../doctor/test-key.js';

/** One HTTP request of a case, sent alike to the live endpoint and to the project's own endpoint. */
export interface CaseRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query, relative to the base URL. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type CaseGroup = 'vector' | 'token' | 'request' | 'origin' | 'login' | 'redirect';

export interface ConformanceCase {
  readonly name: string;
  readonly group: CaseGroup;
  /**
   * The requests, built just before they are sent (tokens live 30 s; a run paced by the rate limit
   * takes minutes). Every request but the last must sign in (a replay's first use); the verdict is on
   * the last.
   */
  readonly build: () => Promise<readonly CaseRequest[]>;
}

export interface CaseContext {
  readonly key: TestKey;
  readonly subject: TestSubject;
  readonly now: () => number;
}

const ATTACKER = 'https://attacker.n8n-embed.invalid';
const form = { 'content-type': 'application/x-www-form-urlencoded' } as const;
const b64 = (text: string): string => Buffer.from(text).toString('base64url');

function post(token: string, extra: Record<string, string> = {}, redirectTo?: string): CaseRequest {
  const body = new URLSearchParams({ token, ...(redirectTo !== undefined ? { redirectTo } : {}) });
  return { method: 'POST', path: EMBED_LOGIN_PATH, headers: { ...form, ...extra }, body: body.toString() };
}

/**
 * The hostile catalogue: the protocol's negative vectors as they are, attacks signed with the portal's
 * key for the test subject, request-level attacks, login CSRF, and (only with --allow-login) logins of
 * the test subject: a plain one, a replay, the 60 s ceiling and bad redirects. No verdict is written
 * here: each case's expected answer is what the project's own endpoint answers (see `oracle.ts`).
 */
export function conformanceCases(context: CaseContext, allowLogin: boolean): ConformanceCase[] {
  const { key, subject, now } = context;
  const header = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ alg: key.alg, kid: key.kid, typ: TOKEN_TYPE, ...extra });
  const claims = (extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(now() / 1000);
    return JSON.stringify({
      iss: key.issuer,
      sub: subject.sub,
      aud: key.audience,
      iat,
      exp: iat + 30,
      jti: `conformance-${randomUUID()}`,
      email: subject.email,
      email_verified: true,
      ...extra,
    });
  };
  const signed = (extra: Record<string, unknown> = {}, headerExtra: Record<string, unknown> = {}) =>
    key.signRaw(header(headerExtra), claims(extra));
  const expired = () => {
    const iat = Math.floor(now() / 1000) - 300;
    return signed({ iat, exp: iat + 30 });
  };
  const one = (name: string, group: CaseGroup, request: () => CaseRequest): ConformanceCase => ({
    name,
    group,
    build: async () => [request()],
  });
  const token = (name: string, make: () => string) => one(name, 'token', () => post(make()));
  const otherFamily = key.alg.startsWith('ES') ? 'RS256' : 'ES256';

  const cases: ConformanceCase[] = VECTORS.filter(
    (vector) => vector.expected.strict !== 'valid' || vector.expected.n8n !== 'valid',
  ).map((vector) => one(`vector: ${vector.name}`, 'vector', () => post(vector.token)));

  cases.push(
    token('alg none, unsigned', () => `${b64(header({ alg: 'none' }))}.${b64(claims())}.`),
    token('alg None, unsigned', () => `${b64(header({ alg: 'None' }))}.${b64(claims())}.`),
    token('HS256 keyed with the public key PEM', () =>
      key.signWithPublicPem(header({ alg: 'HS256' }), claims()),
    ),
    token(`alg ${otherFamily} on this key's signature`, () =>
      key.signRaw(header({ alg: otherFamily }), claims()),
    ),
    token('payload swapped under a valid signature', () => {
      // Another payload (a fresh jti) under this signature: still only the test subject if let in.
      const [h, , s] = signed().split('.');
      return `${h}.${b64(claims())}.${s}`;
    }),
    token('all-zero signature', () => `${signed().split('.').slice(0, 2).join('.')}.${b64('\0'.repeat(64))}`),
    token('wrong audience', () => signed({ aud: 'https://wrong-audience.n8n-embed.invalid/' })),
    token('aud array with the audience and another', () =>
      signed({ aud: [key.audience, 'https://other.example'] }),
    ),
    token('wrong issuer under this kid', () => signed({ iss: 'https://wrong-issuer.n8n-embed.invalid' })),
    token('expired 4.5 min ago', expired),
    token('not yet valid (nbf in 5 min)', () => signed({ nbf: Math.floor(now() / 1000) + 300 })),
    token('issued an hour ahead', () => {
      const iat = Math.floor(now() / 1000) + 3600;
      return signed({ iat, exp: iat + 30 });
    }),
    token(`lifetime of ${MAX_LIFETIME_SECONDS + 1} s`, () => {
      const iat = Math.floor(now() / 1000);
      return signed({ iat, exp: iat + MAX_LIFETIME_SECONDS + 1 });
    }),
    token('no jti', () => signed({ jti: undefined })),
    token('exp as a string', () => {
      const iat = Math.floor(now() / 1000);
      return signed({ exp: String(iat + 30) });
    }),
    token('role global:owner', () => signed({ role: 'global:owner' })),
    token('sub named twice (JSON duplicate member)', () =>
      key.signRaw(header(), claims().replace(/^\{/, `{"sub":${JSON.stringify(`${subject.sub}-shadow`)},`)),
    ),
    token('header with jku (a key URL to fetch)', () => signed({}, { jku: 'http://169.254.169.254/' })),
    token('kid ../../dev/null', () => signed({}, { kid: '../../dev/null' })),
    token('oversize token (5000-character claim)', () => signed({ pad: 'x'.repeat(5000) })),
    one('token given twice', 'request', () => ({
      method: 'POST',
      path: EMBED_LOGIN_PATH,
      headers: form,
      body: `token=junk&token=${expired()}`,
    })),
    one('JSON body naming token twice', 'request', () => ({
      method: 'POST',
      path: EMBED_LOGIN_PATH,
      headers: { 'content-type': 'application/json' },
      body: `{"token":"junk","token":${JSON.stringify(expired())}}`,
    })),
    one('nested token[a] parameter', 'request', () => ({
      method: 'POST',
      path: EMBED_LOGIN_PATH,
      headers: form,
      body: `token[a]=${expired()}`,
    })),
    one('token in the query of a POST', 'request', () => ({
      method: 'POST',
      path: `${EMBED_LOGIN_PATH}?token=${expired()}`,
      headers: form,
      body: '',
    })),
    one('oversize body (20 KiB)', 'request', () => post(expired(), {}, `/${'a'.repeat(20 * 1024)}`)),
    one('POST from a foreign Origin', 'origin', () => post(expired(), { origin: ATTACKER })),
    one('POST with Origin null', 'origin', () => post(expired(), { origin: 'null' })),
    one('GET link on a foreign page', 'origin', () => ({
      method: 'GET',
      path: `${EMBED_LOGIN_PATH}?token=${expired()}`,
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document', referer: `${ATTACKER}/` },
    })),
    one('GET as an image (Sec-Fetch-Dest: image)', 'origin', () => ({
      method: 'GET',
      path: `${EMBED_LOGIN_PATH}?token=${expired()}`,
      headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'image' },
    })),
  );
  if (!allowLogin) return cases;
  const login = async () => key.signer.mint({ sub: subject.sub, email: subject.email, emailVerified: true });
  cases.push(
    { name: 'test subject signs in', group: 'login', build: async () => [post(await login())] },
    {
      name: 'the same token a second time (replay)',
      group: 'login',
      build: async () => {
        const first = post(await login());
        return [first, first];
      },
    },
    token(`lifetime of exactly ${MAX_LIFETIME_SECONDS} s`, () => {
      const iat = Math.floor(now() / 1000);
      return signed({ iat, exp: iat + MAX_LIFETIME_SECONDS });
    }),
  );
  for (const redirectTo of [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '/https://evil.example/x',
    '/javascript:alert(1)',
    '/%0d%0aSet-Cookie:a=b',
    '/rest/logout',
  ]) {
    cases.push({
      name: `redirectTo ${JSON.stringify(redirectTo)}`,
      group: 'redirect',
      build: async () => [post(await login(), {}, redirectTo)],
    });
  }
  return cases;
}
