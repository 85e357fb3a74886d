/** Every algorithm n8n's key configuration allows. Asymmetric only: `none` and HMAC never appear. */
export const ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** The default everywhere: n8n's own module verifies it, and keys and tokens are small. */
export const DEFAULT_ALGORITHM: Algorithm = 'ES256';

/**
 * Algorithms n8n 2.41's own token-exchange module can verify. Its JWT library fails on Ed25519
 * keys, so EdDSA tokens only work where our verifier checks them.
 */
export const N8N_MODULE_ALGORITHMS: readonly Algorithm[] = ALGORITHMS.filter((alg) => alg !== 'EdDSA');

/** The kind of key an algorithm needs: `kty` and, for EC and OKP keys, the curve. */
export type KeyType =
  | { readonly kty: 'RSA' }
  | { readonly kty: 'EC'; readonly crv: 'P-256' | 'P-384' | 'P-521' }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519' };

const KEY_TYPES: Readonly<Record<Algorithm, KeyType>> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/** Case-sensitive membership test: `es256`, `none` and `HS256` are not algorithms here. */
export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && Object.hasOwn(KEY_TYPES, value);
}

export function keyTypeFor(alg: Algorithm): KeyType {
  return KEY_TYPES[alg];
}

/**
 * A family is the set of algorithms one key can serve: all RSA algorithms share a key, each curve is
 * its own family. A key entry's algorithms must all be of one family.
 */
export function algorithmFamily(alg: Algorithm): string {
  const type = KEY_TYPES[alg];
  return type.kty === 'RSA' ? 'RSA' : type.crv;
}

/** The algorithm n8n infers for a JWKS key without `alg` (contract §3). */
export function inferAlgorithm(jwk: { kty?: unknown; crv?: unknown }): Algorithm | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ES512';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}
