import type { Algorithm } from '@n8n-embed/protocol';

export type Bytes = Uint8Array<ArrayBuffer>;

/** A public key, imported once at configuration time, in the form its backend verifies with. */
export interface ImportedKey {
  readonly jwk: PublicJwk;
  readonly handle: unknown;
}

export interface PublicJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly n?: string;
  readonly [member: string]: unknown;
}

/**
 * The signature step and the little other cryptography the pipeline needs. Two implementations: the
 * synchronous node:crypto fast path, and the portable WebCrypto path (jose imports the keys).
 */
export interface CryptoBackend {
  readonly name: 'node' | 'webcrypto';
  /** Imports an SPKI PEM or a public JWK for one algorithm. Throws on anything else. */
  importKey(material: { pem: string } | { jwk: PublicJwk }, alg: Algorithm): Promise<ImportedKey>;
  /** `input` is the ASCII signing input (`header.payload`, base64url), each backend encodes it its way. */
  verify(alg: Algorithm, key: ImportedKey, input: string, signature: Bytes): boolean | Promise<boolean>;
  sha256Hex(text: string): string | Promise<string>;
}

const HASH_BITS: Record<Algorithm, number> = {
  ES256: 256,
  ES384: 384,
  ES512: 512,
  RS256: 256,
  RS384: 384,
  RS512: 512,
  PS256: 256,
  PS384: 384,
  PS512: 512,
  EdDSA: 0,
};

/** `SHA-256` etc. for the algorithm, or undefined for EdDSA (which hashes internally). */
export function hashOf(alg: Algorithm): 256 | 384 | 512 | undefined {
  const bits = HASH_BITS[alg];
  return bits === 0 ? undefined : (bits as 256 | 384 | 512);
}
