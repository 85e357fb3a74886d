import { type Algorithm, configError, EmbedLoginError, keyMisfit, shapeOfJwk } from '@n8n-embed/protocol';
import type { CryptoBackend, ImportedKey, JwkMembers, KeyMaterial } from '../crypto/backend.js';
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

/**
 * Imports a trusted key and applies the protocol's key rule (the one the SDK's signer applies) to
 * what was imported: the type and curve of every algorithm, RSA of at least 2048 bits. The material
 * itself (public, SPKI) was checked before: by `normaliseTrustedKeys` for configured keys, by the
 * JWKS source for fetched ones. Messages name the kid, never the key.
 */
export async function importTrustedKey(
  backend: CryptoBackend,
  kid: string,
  material: KeyMaterial,
  algorithms: readonly Algorithm[],
): Promise<ImportedKey> {
  const where = `trusted key "${kid}"`;
  const first = algorithms[0];
  if (first === undefined) throw configError(`${where}: no algorithm given or inferable`);
  const key = await backend.importKey(material, first).catch((cause: unknown) => {
    throw cause instanceof EmbedLoginError ? cause : configError(`${where}: not a usable public key`, cause);
  });
  const misfit = keyMisfit(shapeOfJwk(key.jwk), algorithms, 'verify');
  if (misfit !== undefined) throw configError(`${where}: ${misfit}`);
  return key;
}

/** The identity of a key's material, to notice a JWKS that changes the key behind a known kid. */
export function keyFingerprint(jwk: JwkMembers): string {
  return JSON.stringify([jwk.kty, jwk.crv, jwk.n, jwk.e, jwk.x, jwk.y]);
}
