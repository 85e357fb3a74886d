import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { isEmbedLoginError, TOKEN_TYPE } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_NOW_MS, VECTORS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { decodePart, vectorKey, vectorSigner } from '../test/vector-signer.js';
import { createLoginSigner } from './create-login-signer.js';

const user = { sub: 'user-42', email: 'ada@example.com', emailVerified: true };
const pkcs8Of = (kid: string): string =>
  createPrivateKey({ key: vectorKey(kid).privateJwk, format: 'jwk' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();

async function failure(run: () => Promise<unknown>): Promise<{ reason: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isEmbedLoginError(error)) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe.each(['node', 'webcrypto'] as const)('createLoginSigner (%s)', (crypto) => {
  it('mints integer times, the typ, the kid and a fresh jti', async () => {
    const signer = await vectorSigner('vector-es256', { crypto, now: () => 1_790_000_000_999 });
    const [a, b] = [await signer.mint(user), await signer.mint(user)];
    expect(decodePart(a, 0)).toEqual({ alg: 'ES256', kid: 'vector-es256', typ: TOKEN_TYPE });
    const claims = decodePart(a, 1);
    expect(claims).toMatchObject({
      iss: VECTOR_ISSUER,
      aud: VECTOR_AUDIENCE,
      iat: 1_790_000_000,
      exp: 1_790_000_030,
    });
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(decodePart(b, 1).jti).not.toBe(claims.jti);
  });

  it('reproduces every deterministic EdDSA vector byte for byte', async () => {
    const deterministic = VECTORS.filter((vector) => vector.deterministic && vector.claims);
    expect(deterministic.length).toBeGreaterThan(0);
    for (const vector of deterministic) {
      const claims = vector.claims as Record<string, unknown>;
      const iat = claims.iat as number;
      const signer = await vectorSigner(vector.kid ?? '', {
        crypto,
        now: () => iat * 1000,
        lifetimeSeconds: (claims.exp as number) - iat,
        generateJti: () => claims.jti as string,
      });
      const token = await signer.mint({
        sub: claims.sub as string,
        email: claims.email as string | undefined,
        emailVerified: claims.email_verified as boolean | undefined,
        givenName: claims.given_name as string | undefined,
        familyName: claims.family_name as string | undefined,
        role: claims.role as string | undefined,
      });
      expect(token, vector.name).toBe(vector.token);
    }
  });

  it('applies the clock offset and the lifetime', async () => {
    const signer = await vectorSigner('vector-es256', {
      crypto,
      now: () => VECTOR_NOW_MS,
      clockOffsetSeconds: -5,
      lifetimeSeconds: 60,
    });
    const claims = decodePart(await signer.mint(user), 1);
    expect(claims.iat).toBe(VECTOR_NOW_MS / 1000 - 5);
    expect(claims.exp).toBe(VECTOR_NOW_MS / 1000 + 55);
  });

  it('exposes the public JWK without private members', async () => {
    const signer = await vectorSigner('vector-rs256', { crypto });
    const { n, e, kty } = vectorKey('vector-rs256').publicJwk;
    expect(signer.publicJwk).toEqual({ kty, n, e, kid: 'vector-rs256', alg: 'RS256', use: 'sig' });
  });

  it.each([
    ['missing sub', { email: 'a@example.com' }, 'user.sub'],
    ['empty sub', { sub: '' }, 'user.sub'],
    ['bad email', { sub: 'u', email: 'not-an-email' }, 'user.email'],
    ['owner role', { sub: 'u', role: 'global:owner' }, 'user.role'],
    ['a name with a newline', { sub: 'u', givenName: 'Ada\nLovelace' }, 'user.givenName'],
    ['emailVerified as a string', { sub: 'u', emailVerified: 'true' }, 'user.emailVerified'],
  ])('refuses a user with %s, naming the field', async (_, bad, field) => {
    const signer = await vectorSigner('vector-es256', { crypto });
    const error = await failure(() => signer.mint(bad as never));
    expect(error.reason).toBe('claims_invalid');
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it.each([
    ['lifetimeSeconds', { lifetimeSeconds: 61 }],
    ['lifetimeSeconds', { lifetimeSeconds: 1.5 }],
    ['issuer', { issuer: 'portal.example.com' }],
    ['audience', { audience: '' }],
    ['kid', { kid: '../key' }],
    ['alg', { alg: 'HS256' }],
    ['clockOffsetSeconds', { clockOffsetSeconds: Number.NaN }],
  ])('refuses a bad %s', async (field, overrides) => {
    const error = await failure(() => vectorSigner('vector-es256', { crypto, ...(overrides as object) }));
    expect(error.reason).toBe('config_invalid');
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('refuses a public key, a mismatched algorithm and a short RSA key', async () => {
    const base = { kid: 'k', issuer: VECTOR_ISSUER, audience: VECTOR_AUDIENCE, crypto };
    const publicKey = await failure(() =>
      createLoginSigner({ ...base, privateKey: vectorKey('vector-es256').publicJwk }),
    );
    expect(publicKey.message).toMatch(/^privateKey: this is a public key/);
    const publicPem = await failure(() =>
      createLoginSigner({ ...base, privateKey: vectorKey('vector-es256').publicPem }),
    );
    expect(publicPem.message).toMatch(/^privateKey: this is a public key/);
    const mismatch = await failure(() =>
      createLoginSigner({ ...base, alg: 'RS256', privateKey: vectorKey('vector-es256').privateJwk }),
    );
    expect(mismatch.message).toMatch(/^privateKey: a EC P-256 key cannot sign RS256/);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const shortPem = short.export({ format: 'pem', type: 'pkcs8' }).toString();
    const weak = await failure(() => createLoginSigner({ ...base, alg: 'RS256', privateKey: shortPem }));
    expect(weak.message).toMatch(/^privateKey: RSA keys must have at least 2048 bits/);
  });

  it("signs with the JWK's own kid by default and refuses another unless overrideKeyKid asks", async () => {
    const key = { ...vectorKey('vector-es256').privateJwk, kid: 'portal-2026' };
    const base = { issuer: VECTOR_ISSUER, audience: VECTOR_AUDIENCE, crypto, privateKey: key };
    const byDefault = await createLoginSigner(base);
    expect(byDefault.kid).toBe('portal-2026');
    expect(decodePart(await byDefault.mint(user), 0).kid).toBe('portal-2026');
    expect((await createLoginSigner({ ...base, kid: 'portal-2026' })).kid).toBe('portal-2026');
    const other = await failure(() => createLoginSigner({ ...base, kid: 'portal-old' }));
    expect(other.message).toBe(
      'kid: "portal-old" is not the key\'s own kid (the key says "portal-2026"); n8n knows a key by one kid: leave kid out, or set overrideKeyKid: true to sign as "portal-old"',
    );
    const overridden = await createLoginSigner({ ...base, kid: 'portal-old', overrideKeyKid: true });
    expect(decodePart(await overridden.mint(user), 0).kid).toBe('portal-old');
    expect(overridden.publicJwk?.kid).toBe('portal-old');
  });

  it('says kid is required when neither the option nor the key names one', async () => {
    const base = { issuer: VECTOR_ISSUER, audience: VECTOR_AUDIENCE, crypto };
    for (const privateKey of [vectorKey('vector-es256').privateJwk, pkcs8Of('vector-es256')]) {
      const error = await failure(() => createLoginSigner({ ...base, privateKey }));
      expect(error.message).toMatch(/^kid: kid is required \(the key says none/);
    }
  });

  it('takes the JsonWebKey WebCrypto exports as it is', async () => {
    const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ]);
    // Typed as the DOM's JsonWebKey: this line is the compile-time check of issue 12.
    const jwk: JsonWebKey = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
    const signer = await createLoginSigner({
      privateKey: jwk,
      kid: 'webcrypto-key',
      alg: 'ES384',
      issuer: VECTOR_ISSUER,
      audience: VECTOR_AUDIENCE,
      crypto,
    });
    expect(decodePart(await signer.mint(user), 0)).toEqual({
      alg: 'ES384',
      kid: 'webcrypto-key',
      typ: TOKEN_TYPE,
    });
  });

  it('refuses a CryptoKey bound to another hash or scheme than alg needs', async () => {
    const rsa = await globalThis.crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const base = {
      kid: 'k',
      issuer: VECTOR_ISSUER,
      audience: VECTOR_AUDIENCE,
      crypto,
      privateKey: rsa.privateKey,
    };
    expect((await createLoginSigner({ ...base, alg: 'RS256' })).alg).toBe('RS256');
    for (const alg of ['RS384', 'PS256'] as const) {
      const error = await failure(() => createLoginSigner({ ...base, alg }));
      expect(error.message).toMatch(
        new RegExp(`^privateKey: a RSASSA-PKCS1-v1_5 SHA-256 CryptoKey cannot sign ${alg}`),
      );
    }
  });

  it('accepts a PKCS#8 PEM and a CryptoKey', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const base = { kid: 'k', issuer: VECTOR_ISSUER, audience: VECTOR_AUDIENCE, crypto };
    const fromPem = await createLoginSigner({ ...base, privateKey: pem });
    const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const cryptoKey = await globalThis.crypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign']);
    const fromKey = await createLoginSigner({ ...base, privateKey: cryptoKey });
    expect(fromKey.publicJwk).toEqual(fromPem.publicJwk);
    expect((await fromPem.mint(user)).split('.')).toHaveLength(3);
    const wrongCurve = await failure(() =>
      createLoginSigner({ ...base, alg: 'ES384', privateKey: cryptoKey }),
    );
    expect(wrongCurve.message).toMatch(/^privateKey: a .*P-256.* cannot sign ES384/);
  });
});

describe('node and webcrypto paths', () => {
  it('give byte-equal tokens where signatures are deterministic (EdDSA, RS256)', async () => {
    for (const kid of ['vector-eddsa', 'vector-rs256']) {
      const fixed = { now: () => VECTOR_NOW_MS, generateJti: () => 'same-jti' };
      const [node, web] = await Promise.all([
        vectorSigner(kid, { ...fixed, crypto: 'node' }),
        vectorSigner(kid, { ...fixed, crypto: 'webcrypto' }),
      ]);
      expect(await node.mint(user)).toBe(await web.mint(user));
      expect(node.publicJwk).toEqual(web.publicJwk);
    }
  });
});
