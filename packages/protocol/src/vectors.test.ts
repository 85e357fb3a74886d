import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loginClaimsSchema } from './claims-schema.js';
import { parseTrustedKeys } from './trusted-keys.js';
import { VECTOR_KEYS, VECTOR_TRUSTED_KEYS, VECTORS } from './vectors.js';

const decode = (segment: string): unknown => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe('test vectors', () => {
  it('trust every vector key through a valid n8n configuration', () => {
    expect(parseTrustedKeys(VECTOR_TRUSTED_KEYS)).toHaveLength(VECTOR_KEYS.length);
  });

  it.each(VECTORS.filter((vector) => vector.expected.strict === 'valid'))(
    '$name: claims are schema-valid and signed',
    (vector) => {
      const [header, payload, signature] = vector.token.split('.') as [string, string, string];
      expect(decode(payload)).toEqual(vector.claims);
      expect(Object.keys(decode(payload) as object)).toEqual(Object.keys(vector.claims ?? {}));
      expect(loginClaimsSchema.safeParse(vector.claims).success).toBe(true);
      const key = VECTOR_KEYS.find((candidate) => candidate.kid === vector.kid);
      expect(decode(header)).toEqual({ alg: key?.alg, kid: vector.kid, typ: 'n8n-embed+jwt' });
      const publicKey = createPublicKey(key?.publicPem ?? '');
      const hash = key?.alg === 'EdDSA' ? null : 'sha256';
      const options =
        key?.alg === 'PS256'
          ? { padding: 6, saltLength: 32 }
          : key?.alg === 'ES256'
            ? { dsaEncoding: 'ieee-p1363' as const }
            : {};
      const ok = verify(
        hash,
        Buffer.from(`${header}.${payload}`),
        { key: publicKey, ...options },
        Buffer.from(signature, 'base64url'),
      );
      expect(ok).toBe(true);
    },
  );

  it('cover both verdicts in both profiles', () => {
    const reasons = new Set(VECTORS.map((vector) => vector.expected.strict));
    expect(reasons.size).toBeGreaterThan(12);
    expect(VECTORS.some((vector) => vector.expected.strict !== vector.expected.n8n)).toBe(true);
  });
});
