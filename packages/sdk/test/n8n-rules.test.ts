// Tokens minted by the SDK pass n8n 2.41's own verification as it performs it: jsonwebtoken 9's
// `verify` with the key's algorithms, issuer and audience and no leeway, then n8n's claim rules
// (contract §2). EdDSA is the documented exception: jsonwebtoken cannot read Ed25519 keys.
import { createPublicKey } from 'node:crypto';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS } from '@n8n-embed/protocol/vectors';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { vectorSigner } from './vector-signer.js';

function n8nVerify(token: string, publicPem: string, alg: string): Record<string, unknown> {
  const claims = jwt.verify(token, createPublicKey(publicPem), {
    algorithms: [alg as jwt.Algorithm],
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  }) as Record<string, unknown>;
  const { iat, exp, jti, sub } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 60) throw new Error('lifetime');
  if (typeof jti !== 'string' || jti === '' || typeof sub !== 'string' || sub === '')
    throw new Error('claims');
  return claims;
}

const user = { sub: 'user-7', email: 'grace@example.com', emailVerified: true, givenName: 'Grace' };

describe("n8n 2.41's verification", () => {
  for (const key of VECTOR_KEYS.filter((candidate) => candidate.alg !== 'EdDSA')) {
    it(`accepts ${key.alg} tokens at the 60 s ceiling`, async () => {
      const signer = await vectorSigner(key.kid, { lifetimeSeconds: 60 });
      const claims = n8nVerify(await signer.mint(user), key.publicPem, key.alg);
      expect(claims).toMatchObject({ sub: 'user-7', email: 'grace@example.com', email_verified: true });
      expect(Number.isInteger(claims.iat) && Number.isInteger(claims.exp)).toBe(true);
    });
  }

  it('refuses EdDSA tokens (the documented limitation of its JWT library)', async () => {
    const key = VECTOR_KEYS.find((candidate) => candidate.alg === 'EdDSA');
    if (!key) throw new Error('no EdDSA vector key');
    const token = await (await vectorSigner(key.kid)).mint(user);
    expect(() => n8nVerify(token, key.publicPem, 'EdDSA')).toThrow('Unknown key type "ed25519"');
  });

  it('refuses a token minted for another audience', async () => {
    const key = VECTOR_KEYS[0];
    if (!key) throw new Error('no vector key');
    const token = await (await vectorSigner(key.kid, { audience: 'https://other.example.com' })).mint(user);
    expect(() => n8nVerify(token, key.publicPem, key.alg)).toThrow(/audience/);
  });
});
