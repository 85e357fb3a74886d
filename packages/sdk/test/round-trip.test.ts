// Every token the SDK mints verifies with @n8n-embed/verifier in both profiles, and every user the
// claim schema refuses is refused at mint time: one schema on both sides.
import { isEmbedLoginError } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_KEYS, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { createVerifier, type Verifier } from '@n8n-embed/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoginUser } from '../src/index.js';
import { vectorSigner } from './vector-signer.js';

const verifiers = (crypto: 'node' | 'webcrypto'): Promise<Verifier[]> =>
  Promise.all(
    (['strict', 'n8n'] as const).map((profile) =>
      createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE, profile, crypto }),
    ),
  );

const text = fc.string({ minLength: 0, maxLength: 40, unit: 'binary' });
const arbitraryUser: fc.Arbitrary<LoginUser> = fc.record(
  {
    sub: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), text),
    email: fc.oneof(fc.emailAddress(), text),
    emailVerified: fc.boolean(),
    givenName: fc.oneof(fc.string({ minLength: 1, maxLength: 32 }), text),
    familyName: fc.string({ minLength: 1, maxLength: 40 }),
    role: fc.constantFrom('global:member', 'global:admin', 'global:owner', ''),
  },
  { requiredKeys: ['sub'] },
);

describe.each(['node', 'webcrypto'] as const)('SDK → verifier (%s)', (crypto) => {
  it.each(VECTOR_KEYS.map((key) => key.kid))('a token from %s verifies in both profiles', async (kid) => {
    const signer = await vectorSigner(kid, { crypto });
    for (const verifier of await verifiers(crypto)) {
      const verified = await verifier.verify(await signer.mint({ sub: 'user-1', email: 'u@example.com' }));
      expect(verified.claims.sub).toBe('user-1');
      expect(verified.kid).toBe(kid);
    }
  });

  it('any user either mints a token both profiles accept with the same claims, or is refused at mint', async () => {
    const signer = await vectorSigner('vector-es256', { crypto });
    const [strict, n8n] = await verifiers(crypto);
    await fc.assert(
      fc.asyncProperty(arbitraryUser, async (user) => {
        let token: string;
        try {
          token = await signer.mint(user);
        } catch (error) {
          expect(isEmbedLoginError(error) && error.reason).toBe('claims_invalid');
          return;
        }
        const a = await strict?.verify(token);
        const b = await n8n?.verify(token);
        expect(a?.claims.sub).toBe(user.sub);
        expect(a?.claims.email).toBe(user.email);
        // Each verifier has its own replay store, so both redeem the token once.
        expect(b?.claims).toEqual(a?.claims);
      }),
      { numRuns: 150 },
    );
  });
});
