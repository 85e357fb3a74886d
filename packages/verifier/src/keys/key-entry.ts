import { type Algorithm, configError, keyTypeFor } from '@n8n-embed/protocol';
import type { ImportedKey, PublicJwk } from '../crypto/backend.js';
import { decodeBase64url } from '../internal/base64url.js';
import type { KeyPolicy } from '../types.js';

/** A trusted key, imported and validated: bound to one issuer and to algorithms of one family. */
export interface KeyEntry {
  readonly kid: string;
  readonly issuer: string;
  readonly algorithms: readonly Algorithm[];
  /** The key entry's `expectedAudience`, when it has one. */
  readonly audience: string | undefined;
  readonly policy: KeyPolicy;
  readonly key: ImportedKey;
}

function rsaBits(n: string | undefined): number {
  const bytes = decodeBase64url(n ?? '') ?? new Uint8Array();
  let leadingZeroBytes = 0;
  while (bytes[leadingZeroBytes] === 0) leadingZeroBytes++;
  const first = bytes[leadingZeroBytes] ?? 0;
  return (bytes.length - leadingZeroBytes - 1) * 8 + (32 - Math.clz32(first));
}

/**
 * Refuses a key that cannot safely serve its algorithms: private material, a symmetric key, a key
 * type or curve that does not match every algorithm, RSA under 2048 bits. Messages name the kid, never
 * the key.
 */
export function assertUsableKey(kid: string, jwk: PublicJwk, algorithms: readonly Algorithm[]): void {
  const where = `trusted key "${kid}"`;
  if ('d' in jwk || jwk.kty === 'oct') throw configError(`${where}: must be a public key`);
  for (const alg of algorithms) {
    const needed = keyTypeFor(alg);
    if (jwk.kty !== needed.kty || ('crv' in needed && jwk.crv !== needed.crv)) {
      throw configError(`${where}: a ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''} key cannot verify ${alg}`);
    }
  }
  if (jwk.kty === 'RSA' && rsaBits(jwk.n) < 2048)
    throw configError(`${where}: RSA keys need at least 2048 bits`);
}

/** The identity of a key's material, to notice a JWKS that changes the key behind a known kid. */
export function keyFingerprint(jwk: PublicJwk): string {
  return JSON.stringify([jwk.kty, jwk.crv, jwk.n, jwk.e, jwk.x, jwk.y]);
}
