// Every case of security.md, on both crypto backends and in both profiles: the exact reason, no
// fetch of anything a token names, and no token material in any error.
import { generateKeyPairSync } from 'node:crypto';
import { isEmbedLoginError } from '@n8n-embed/protocol';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_NOW_MS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { createVerifier, type VerifierOptions } from '../src/index.js';
import { HOSTILE_CASES } from './support/hostile-tokens.js';
import { claims, craft, esHeader } from './support/tokens.js';
import { verdict } from './support/verdict.js';

const fetched: string[] = [];
const recordingFetch: typeof fetch = async (input) => {
  fetched.push(String(input));
  throw new Error('no fetch expected');
};
const base = {
  trustedKeys: VECTOR_TRUSTED_KEYS,
  audience: VECTOR_AUDIENCE,
  now: () => VECTOR_NOW_MS,
  fetch: recordingFetch,
};

describe.each(['node', 'webcrypto'] as const)('security.md cases (%s backend)', (crypto) => {
  describe.each(['strict', 'n8n'] as const)('profile %s', (profile) => {
    it.each(HOSTILE_CASES.map((testCase) => [testCase.name, testCase] as const))(
      '%s',
      async (_, testCase) => {
        const verifier = await createVerifier({ ...base, crypto, profile });
        const token = testCase.token();
        expect(await verdict(verifier, token)).toBe(testCase[profile]);
        expect(fetched).toEqual([]);
        if (testCase[profile] === 'valid') return;
        const error = await verifier.verify(token).catch((caught: unknown) => caught);
        if (!isEmbedLoginError(error)) throw error;
        const shown = [error.message, JSON.stringify(error), String(error), error.detail ?? ''].join('\n');
        for (const part of token
          .trim()
          .split('.')
          .filter((segment) => segment.length > 8)) {
          expect(shown).not.toContain(part);
        }
        expect(shown).not.toMatch(/BEGIN|PRIVATE|"d":/);
        expect(error.status).not.toBe(500);
      },
    );
  });

  describe('replay', () => {
    it('refuses the same token a second time', async () => {
      const verifier = await createVerifier({ ...base, crypto });
      const token = craft(esHeader(), claims());
      expect(await verdict(verifier, token)).toBe('valid');
      expect(await verdict(verifier, token)).toBe('replayed');
    });

    it('lets exactly one of 50 parallel redemptions of one token succeed', async () => {
      const verifier = await createVerifier({ ...base, crypto });
      const token = craft(esHeader(), claims());
      const verdicts = await Promise.all(Array.from({ length: 50 }, () => verdict(verifier, token)));
      expect(verdicts.filter((result) => result === 'valid')).toHaveLength(1);
      expect(verdicts.filter((result) => result === 'replayed')).toHaveLength(49);
    });

    it('keeps two issuers that use the same jti apart', async () => {
      const other = 'https://other-portal.example.com';
      const trustedKeys = [
        ...VECTOR_TRUSTED_KEYS,
        { ...VECTOR_TRUSTED_KEYS[0], issuer: other } as (typeof VECTOR_TRUSTED_KEYS)[number],
      ];
      const verifier = await createVerifier({ ...base, crypto, trustedKeys });
      const jti = 'shared-jti';
      expect(await verdict(verifier, craft(esHeader(), claims({ jti })))).toBe('valid');
      expect(await verdict(verifier, craft(esHeader(), claims({ jti, iss: other })))).toBe('valid');
      expect(await verdict(verifier, craft(esHeader(), claims({ jti, iss: other })))).toBe('replayed');
    });
  });
});

describe('configuration errors are typed, at creation', () => {
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 })
    .publicKey.export({ format: 'pem', type: 'spki' })
    .toString();
  const es = VECTOR_KEYS[0];
  if (!es) throw new Error('no vector key');
  const entry = VECTOR_TRUSTED_KEYS[0];
  const cases: [string, Partial<VerifierOptions>, RegExp][] = [
    [
      'an RSA key under 2048 bits',
      { trustedKeys: [{ ...entry, kid: 'weak', algorithms: ['RS256'], key: rsa1024 } as never] },
      /2048/,
    ],
    [
      'a private key given as a trusted key',
      {
        trustedKeys: [
          {
            jwk: es.privateJwk as never,
            issuer: VECTOR_ISSUER,
            kid: 'p',
            expectedAudience: VECTOR_AUDIENCE,
          } as never,
        ],
      },
      /private|public/i,
    ],
    ['a duplicate (kid, issuer)', { trustedKeys: [entry, entry] as never }, /kid/],
    ['clockToleranceSeconds -1', { clockToleranceSeconds: -1 }, /clockToleranceSeconds/],
    ['clockToleranceSeconds NaN', { clockToleranceSeconds: Number.NaN }, /clockToleranceSeconds/],
    ['clockToleranceSeconds 61', { clockToleranceSeconds: 61 }, /clockToleranceSeconds/],
    ['clockToleranceSeconds 1.5', { clockToleranceSeconds: 1.5 }, /clockToleranceSeconds/],
    ['maxLifetimeSeconds 61', { maxLifetimeSeconds: 61 }, /maxLifetimeSeconds/],
    [
      'strict without an audience',
      { audience: undefined, trustedKeys: [{ ...entry, expectedAudience: undefined }] as never },
      /audience/,
    ],
  ];
  it.each(cases)('%s', async (_, options, message) => {
    const error = await createVerifier({ ...base, ...options } as VerifierOptions).catch(
      (caught: unknown) => caught,
    );
    expect(isEmbedLoginError(error) && error.reason).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });
});
