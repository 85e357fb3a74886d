import {
  type Algorithm,
  configError,
  DEFAULT_ALGORITHM,
  isAlgorithm,
  KID_PATTERN,
} from '@n8n-embed/protocol';
import { exportJWK, exportSPKI, generateKeyPair as joseGenerateKeyPair } from 'jose';
import { customAlphabet } from 'nanoid';
import { type PrivateJwk, type PublicJwk, publicJwkOf } from './private-key.js';

export interface GeneratedKeyPair {
  readonly kid: string;
  readonly alg: Algorithm;
  /** Keep secret: the signer's `privateKey`. Carries `kid` and `alg`. */
  readonly privateJwk: PrivateJwk & { readonly kid: string; readonly alg: Algorithm };
  readonly publicJwk: PublicJwk;
  /** `{ keys: [publicJwk] }`, for a JWKS endpoint or n8n's `jwks` source. */
  readonly jwks: { readonly keys: readonly PublicJwk[] };
  /** SPKI PEM, for n8n's `static` trusted-key source. */
  readonly publicPem: string;
}

const suffix = customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 6);

/** `portal-2026-11-24-k3x9qa`: dated, so rotations sort, and unique. */
export function defaultKid(now: Date = new Date()): string {
  return `portal-${now.toISOString().slice(0, 10)}-${suffix()}`;
}

/**
 * A new signing key pair in every form the tools need. RSA keys get 2048 bits, EC keys the curve of
 * the algorithm. EdDSA keys work only with `@n8n-embed/verifier`: n8n's own module cannot use them.
 */
export async function generateKeyPair(
  options: { readonly alg?: Algorithm; readonly kid?: string; readonly now?: Date } = {},
): Promise<GeneratedKeyPair> {
  const alg = options.alg ?? DEFAULT_ALGORITHM;
  if (!isAlgorithm(alg))
    throw configError(`alg: "${String(alg)}" is not one of the asymmetric JWS algorithms n8n allows`);
  const kid = options.kid ?? defaultKid(options.now);
  if (!KID_PATTERN.test(kid))
    throw configError('kid: must be 1–128 characters of A–Z, a–z, 0–9, ".", "_", ":" or "-"');
  const pair = await joseGenerateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg };
  const publicJwk = publicJwkOf(privateJwk, alg, kid);
  return {
    kid,
    alg,
    privateJwk,
    publicJwk,
    jwks: { keys: [publicJwk] },
    publicPem: await exportSPKI(pair.publicKey),
  };
}
