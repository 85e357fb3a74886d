import {
  type Algorithm,
  configError,
  EmbedLoginError,
  keyMisfit,
  pemKind,
  shapeOfJwk,
} from '@n8n-embed/protocol';
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
 * Imports a trusted key and applies the protocol's key rule (the one the SDK's signer applies):
 * no private or symmetric material, the type and curve of every algorithm, RSA of at least 2048 bits.
 * The material is checked as given, before import (node:crypto would quietly derive a public key
 * from a private one), and the PEM case again as imported. Messages name the kid, never the key.
 */
export async function importTrustedKey(
  backend: CryptoBackend,
  kid: string,
  material: KeyMaterial,
  algorithms: readonly Algorithm[],
): Promise<ImportedKey> {
  const where = `trusted key "${kid}"`;
  const fail = (misfit: string | undefined): void => {
    if (misfit !== undefined) throw configError(`${where}: ${misfit}`);
  };
  if ('pem' in material && pemKind(material.pem) !== 'spki') {
    throw configError(`${where}: must be an SPKI PEM public key ("-----BEGIN PUBLIC KEY-----")`);
  }
  if ('jwk' in material) fail(keyMisfit(shapeOfJwk(material.jwk), algorithms, 'verify'));
  const first = algorithms[0];
  if (first === undefined) throw configError(`${where}: no algorithm given or inferable`);
  const key = await backend.importKey(material, first).catch((cause: unknown) => {
    throw cause instanceof EmbedLoginError ? cause : configError(`${where}: not a usable public key`, cause);
  });
  fail(keyMisfit(shapeOfJwk(key.jwk), algorithms, 'verify'));
  return key;
}

/** The identity of a key's material, to notice a JWKS that changes the key behind a known kid. */
export function keyFingerprint(jwk: JwkMembers): string {
  return JSON.stringify([jwk.kty, jwk.crv, jwk.n, jwk.e, jwk.x, jwk.y]);
}
