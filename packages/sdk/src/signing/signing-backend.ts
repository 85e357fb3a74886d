import type { PublicJwk } from '../private-key.js';

/**
 * Signs a login token's payload under a header fixed at creation. Two implementations, like the
 * verifier's crypto: node:crypto (synchronous, the default on Node) and WebCrypto through jose.
 */
export interface SigningBackend {
  readonly name: 'node' | 'webcrypto';
  /** The public half, or undefined for a non-extractable CryptoKey. */
  readonly publicJwk: PublicJwk | undefined;
  /** The compact JWS of `payload` (JSON text). */
  sign(payload: string): string | Promise<string>;
}

/** The protected header every login token carries. */
export interface LoginHeader {
  readonly alg: string;
  readonly kid: string;
  readonly typ: string;
}
