import type { Algorithm } from '@n8n-embed/protocol';

export type Bytes = Uint8Array<ArrayBuffer>;

/** A public key, imported once at configuration time, in the form its backend verifies with. */
export interface ImportedKey {
  readonly jwk: JwkMembers;
  readonly handle: unknown;
}

/** A JWK as the verifier reads it (public or not: the key rule decides). */
export interface JwkMembers {
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
  importKey(material: KeyMaterial, alg: Algorithm): Promise<ImportedKey>;
  /** `input` is the ASCII signing input (`header.payload`, base64url), each backend encodes it its way. */
  verify(alg: Algorithm, key: ImportedKey, input: string, signature: Bytes): boolean | Promise<boolean>;
  sha256Hex(text: string): string | Promise<string>;
}

/** A trusted key as configured: an SPKI PEM or a JWK. */
export type KeyMaterial = { readonly pem: string } | { readonly jwk: JwkMembers };
