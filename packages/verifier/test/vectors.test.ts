import { isEmbedLoginError, type Profile } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS, VECTORS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.js';

async function verdict(token: string, profile: Profile, crypto: 'node' | 'webcrypto'): Promise<string> {
  // A fresh verifier per vector: its replay store must not see another vector's jti.
  const verifier = await createVerifier({
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    profile,
    crypto,
    now: () => VECTOR_NOW_MS,
  });
  try {
    await verifier.verify(token);
    return 'valid';
  } catch (error) {
    if (!isEmbedLoginError(error)) throw error;
    return error.reason;
  }
}

describe.each(['node', 'webcrypto'] as const)('every vector, %s crypto', (crypto) => {
  describe.each(['strict', 'n8n'] as const)('profile %s', (profile) => {
    it.each(VECTORS)('$name', async (vector) => {
      expect(await verdict(vector.token, profile, crypto)).toBe(vector.expected[profile]);
    });
  });
});
