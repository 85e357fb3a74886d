// The shared test vectors, public half: tokens, claims and expected verdicts, and the public keys.
// The data is src/vectors.json, written by scripts/generate-vectors.ts (do not edit by hand). The
// private keys that signed the tokens are not part of the package: they live in test/ (see
// test/vectors-with-keys.ts, which the repository's own tests load).
import type { Algorithm } from './algorithms.js';
import type { StaticTrustedKey } from './trusted-keys.js';
import data from './vectors.json' with { type: 'json' };

/** A vector key's public half. */
export interface VectorKey {
  readonly kid: string;
  readonly alg: Extract<Algorithm, 'ES256' | 'EdDSA' | 'RS256' | 'PS256'>;
  readonly publicJwk: Readonly<Record<string, string>>;
  readonly publicPem: string;
}

export interface Vector {
  readonly name: string;
  readonly token: string;
  /** `valid`, or the rejection reason, per verifier profile. */
  readonly expected: { readonly strict: string; readonly n8n: string };
  /** For valid vectors: the claims a signer mints, in canonical order, and the key. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly kid?: string;
  /** EdDSA signatures are deterministic: a signer must reproduce the token byte for byte. */
  readonly deterministic?: boolean;
}

export const VECTOR_ISSUER: string = data.issuer;
export const VECTOR_AUDIENCE: string = data.audience;
/** The verifier's wall clock for every vector, in ms. */
export const VECTOR_NOW_MS: number = data.nowMs;
export const VECTOR_KEYS: readonly VectorKey[] = data.keys as unknown as readonly VectorKey[];
export const VECTORS: readonly Vector[] = data.vectors as unknown as readonly Vector[];

/** n8n's trusted-keys configuration that trusts every vector key for VECTOR_ISSUER. */
export const VECTOR_TRUSTED_KEYS: readonly StaticTrustedKey[] = VECTOR_KEYS.map((key) => ({
  type: 'static' as const,
  kid: key.kid,
  algorithms: [key.alg],
  key: key.publicPem,
  issuer: VECTOR_ISSUER,
  expectedAudience: VECTOR_AUDIENCE,
}));
