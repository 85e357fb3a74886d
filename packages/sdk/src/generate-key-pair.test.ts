import { ALGORITHMS } from '@n8n-embed/protocol';
import { createVerifier } from '@n8n-embed/verifier';
import { describe, expect, it } from 'vitest';
import { createLoginSigner } from './create-login-signer.js';
import { defaultKid, generateKeyPair } from './generate-key-pair.js';
import { trustedKeyEntry } from './trusted-key-entry.js';

const issuer = 'https://portal.example.com';
const audience = 'https://n8n.example.com';

describe('generateKeyPair', () => {
  it.each(ALGORITHMS)(
    '%s: a pair whose trusted-keys entry verifies what the private key signs',
    async (alg) => {
      const pair = await generateKeyPair({ alg, kid: `k-${alg}` });
      expect(pair.privateJwk).toMatchObject({ kid: `k-${alg}`, alg, d: expect.any(String) });
      expect(pair.publicJwk).not.toHaveProperty('d');
      expect(pair.jwks.keys).toEqual([pair.publicJwk]);
      expect(pair.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const entry = await trustedKeyEntry({
        publicJwk: pair.publicJwk,
        issuer,
        audience,
        allowedRoles: ['global:member'],
      });
      expect(entry).toMatchObject({
        type: 'static',
        kid: `k-${alg}`,
        algorithms: [alg],
        issuer,
        expectedAudience: audience,
      });
      const signer = await createLoginSigner({
        privateKey: pair.privateJwk,
        kid: pair.kid,
        alg,
        issuer,
        audience,
      });
      const verifier = await createVerifier({ trustedKeys: [entry] });
      expect((await verifier.verify(await signer.mint({ sub: 'u' }))).kid).toBe(`k-${alg}`);
    },
  );

  it('makes dated, unique kids and refuses bad ones', async () => {
    const day = new Date('2026-11-24T10:00:00Z');
    expect(defaultKid(day)).toMatch(/^portal-2026-11-24-[a-z0-9]{6}$/);
    expect(defaultKid(day)).not.toBe(defaultKid(day));
    await expect(generateKeyPair({ kid: 'a b' })).rejects.toThrow(/^kid: /);
  });
});
