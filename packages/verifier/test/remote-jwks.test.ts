// Remote JWKS against a real HTTP server on 127.0.0.1: fresh, cached, stale, down, slow, bad sets,
// cooldown, rotation, and one fetch for many cold verifications. The clock is injected.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isEmbedLoginError } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS, VECTOR_NOW_MS } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '../src/index.js';
import { type JwksMode, startJwksServer } from './support/jwks-server.js';
import { b64, json, signInput } from './support/tokens.js';
import { verdict } from './support/verdict.js';

const es = VECTOR_KEYS.find((key) => key.kid === 'vector-es256');
if (!es) throw new Error('no ES256 vector key');
const published = { ...es.publicJwk, kid: 'vector-es256', alg: 'ES256', use: 'sig' };
const spare = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spareJwk = { ...spare.publicKey.export({ format: 'jwk' }), kid: 'spare', alg: 'ES256' };

let server: Awaited<ReturnType<typeof startJwksServer>>;
let clock = VECTOR_NOW_MS;
beforeAll(async () => {
  server = await startJwksServer([published, spareJwk]);
});
afterAll(() => server.close());
beforeEach(() => {
  server.set('ok');
  clock = VECTOR_NOW_MS;
});

/** A token signed at the current test clock (the vector key, or the spare key for rotation). */
function token(kid = 'vector-es256'): string {
  const now = Math.floor(clock / 1000);
  const header = json({ alg: 'ES256', kid, typ: 'n8n-embed+jwt' });
  const payload = json({
    iss: VECTOR_ISSUER,
    sub: 'u',
    aud: VECTOR_AUDIENCE,
    iat: now - 1,
    exp: now + 29,
    jti: `j${Math.random()}`,
  });
  const input = `${header}.${payload}`;
  if (kid === 'spare') {
    return `${input}.${b64(sign('sha256', Buffer.from(input), { key: spare.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
  }
  return `${input}.${signInput(input, 'vector-es256')}`;
}

const verifier = (options: { cacheTtlSeconds?: number; timeoutMs?: number } = {}): Promise<Verifier> =>
  createVerifier({
    trustedKeys: [
      {
        type: 'jwks',
        url: server.url,
        issuer: VECTOR_ISSUER,
        expectedAudience: VECTOR_AUDIENCE,
        ...(options.cacheTtlSeconds ? { cacheTtlSeconds: options.cacheTtlSeconds } : {}),
      },
    ],
    now: () => clock,
    jwks: {
      allowHttpLoopback: true,
      cooldownMs: 30_000,
      staleWindowMs: 600_000,
      timeoutMs: options.timeoutMs ?? 1000,
    },
  });

const fetchesDuring = async (run: () => Promise<unknown>): Promise<number> => {
  const before = server.requests();
  await run();
  return server.requests() - before;
};

describe('remote JWKS', () => {
  it('fetches once, then serves from the cache for the Cache-Control max-age', async () => {
    server.set('ok', { maxAge: 300 });
    const v = await verifier();
    expect(await fetchesDuring(async () => expect(await verdict(v, token())).toBe('valid'))).toBe(1);
    clock += 299_000;
    expect(await fetchesDuring(async () => expect(await verdict(v, token())).toBe('valid'))).toBe(0);
    clock += 2_000;
    expect(await fetchesDuring(async () => expect(await verdict(v, token())).toBe('valid'))).toBe(1);
  });

  it.each([
    [5, 59_000, 0],
    [5, 61_000, 1],
    [999_999, 86_399_000, 0],
    [999_999, 86_401_000, 1],
  ])('clamps max-age %i: %i ms later, %i fetch', async (maxAge, later, fetches) => {
    server.set('ok', { maxAge });
    const v = await verifier();
    await verdict(v, token());
    clock += later;
    expect(await fetchesDuring(() => verdict(v, token()))).toBe(fetches);
  });

  it('uses cacheTtlSeconds without Cache-Control, and 3600 s without either', async () => {
    const configured = await verifier({ cacheTtlSeconds: 120 });
    await verdict(configured, token());
    clock += 121_000;
    expect(await fetchesDuring(() => verdict(configured, token()))).toBe(1);
    clock = VECTOR_NOW_MS;
    const defaulted = await verifier();
    await verdict(defaulted, token());
    clock += 3_599_000;
    expect(await fetchesDuring(() => verdict(defaulted, token()))).toBe(0);
  });

  it('keeps known keys working for the stale window while the endpoint fails, then refuses', async () => {
    server.set('ok', { maxAge: 60 });
    const v = await verifier();
    expect(await verdict(v, token())).toBe('valid');
    server.set('error');
    clock += 61_000;
    expect(await verdict(v, token())).toBe('valid');
    clock += 600_000;
    expect(await verdict(v, token())).toBe('unknown_kid');
  });

  it('answers a slow endpoint with a typed rejection after the timeout, not a hang', async () => {
    server.set('slow');
    const v = await verifier({ timeoutMs: 200 });
    const started = Date.now();
    expect(await verdict(v, token())).toBe('unknown_kid');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it.each(['error', 'html', 'empty', 'private', 'oct', 'huge'] as JwksMode[])(
    'refuses a %s answer when cold',
    async (mode) => {
      server.set(mode);
      expect(await verdict(await verifier(), token())).toBe('unknown_kid');
    },
  );

  it.each(['html', 'empty', 'private', 'oct', 'huge', 'changed'] as JwksMode[])(
    'keeps the previous set when the endpoint answers %s',
    async (mode) => {
      server.set('ok', { maxAge: 60 });
      const v = await verifier();
      expect(await verdict(v, token())).toBe('valid');
      server.set(mode);
      clock += 61_000;
      expect(await verdict(v, token())).toBe('valid');
    },
  );

  it('asks nothing for 200 unknown kids inside the cooldown, and picks up a rotated key after it', async () => {
    server.set('ok', { keys: [published] });
    const v = await verifier();
    expect(await verdict(v, token())).toBe('valid');
    const unknown = async () => {
      for (let i = 0; i < 200; i++) expect(await verdict(v, token(`unknown-${i}`))).toBe('unknown_kid');
    };
    expect(await fetchesDuring(unknown)).toBe(0);
    server.set('ok', { keys: [published, spareJwk] });
    clock += 31_000;
    expect(await verdict(v, token('spare'))).toBe('valid');
  });

  it('fetches once for 100 parallel cold verifications', async () => {
    const v = await verifier();
    const fetches = await fetchesDuring(async () => {
      const verdicts = await Promise.all(Array.from({ length: 100 }, () => verdict(v, token())));
      expect(verdicts.every((result) => result === 'valid')).toBe(true);
    });
    expect(fetches).toBe(1);
  });

  // An attacker who can change the JWKS for a while (a compromised CDN, a hijacked bucket) tries to
  // slip their own key in under a kid n8n already trusts.
  const impostor = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const impostorJwk = { ...impostor.publicKey.export({ format: 'jwk' }), kid: 'vector-es256', alg: 'ES256' };
  function impostorToken(): string {
    const valid = token();
    const input = valid.slice(0, valid.lastIndexOf('.'));
    return `${input}.${b64(sign('sha256', Buffer.from(input), { key: impostor.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
  }

  it('refuses a kid dropped in one fetch and back with other key material in a later one', async () => {
    server.set('ok', { keys: [published, spareJwk], maxAge: 60 });
    const v = await verifier();
    expect(await verdict(v, token())).toBe('valid');
    server.set('ok', { keys: [spareJwk], maxAge: 60 });
    clock += 61_000;
    expect(await verdict(v, token('spare'))).toBe('valid');
    expect(await verdict(v, token())).toBe('unknown_kid');
    server.set('ok', { keys: [spareJwk, impostorJwk], maxAge: 60 });
    clock += 61_000;
    const fetches = await fetchesDuring(async () => {
      expect(await verdict(v, impostorToken())).not.toBe('valid');
    });
    expect(fetches).toBe(1);
    // The refused set left the previous one in place.
    expect(await verdict(v, token('spare'))).toBe('valid');
    expect(await verdict(v, token())).toBe('unknown_kid');
  });

  it.each([
    ['the real key first', () => [published, impostorJwk]],
    ['the impostor first', () => [impostorJwk, published]],
  ])('refuses a set naming one kid twice (%s), keeping the previous set', async (_, keys) => {
    server.set('ok', { keys: [published], maxAge: 60 });
    const v = await verifier();
    expect(await verdict(v, token())).toBe('valid');
    server.set('ok', { keys: keys(), maxAge: 60 });
    clock += 61_000;
    expect(await verdict(v, impostorToken())).not.toBe('valid');
    expect(await verdict(v, token())).toBe('valid');
    const cold = await verifier();
    expect(await verdict(cold, impostorToken())).not.toBe('valid');
    expect(await verdict(cold, token())).not.toBe('valid');
  });

  it('never follows a redirect, even to a good set (workerd refuses redirect "error", so it is manual)', async () => {
    const hop = createServer((_, res) => res.writeHead(302, { location: server.url }).end());
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
    const { port } = hop.address() as AddressInfo;
    try {
      const v = await createVerifier({
        trustedKeys: [
          {
            type: 'jwks',
            url: `http://127.0.0.1:${port}/jwks.json`,
            issuer: VECTOR_ISSUER,
            expectedAudience: VECTOR_AUDIENCE,
          },
        ],
        now: () => clock,
        jwks: { allowHttpLoopback: true, timeoutMs: 1000 },
      });
      expect(await fetchesDuring(async () => expect(await verdict(v, token())).not.toBe('valid'))).toBe(0);
    } finally {
      await new Promise((resolve) => hop.close(resolve));
    }
  });

  it('refuses a plain-http JWKS URL without the development flag', async () => {
    const error = await createVerifier({
      trustedKeys: [
        { type: 'jwks', url: server.url, issuer: VECTOR_ISSUER, expectedAudience: VECTOR_AUDIENCE },
      ],
    }).catch((caught: unknown) => caught);
    expect(isEmbedLoginError(error) && error.reason).toBe('config_invalid');
  });
});
