import { type Algorithm, configError, keyTypeFor } from '@n8n-embed/protocol';

/** A private key as a JWK object, a PKCS#8 PEM string, or a WebCrypto `CryptoKey`. */
export type PrivateKeyInput = Readonly<Record<string, unknown>> | string | CryptoKey;

/** A public JWK for n8n's trusted keys or a JWKS document: `kid`, `alg` and `use: "sig"` set. */
export interface PublicJwk {
  readonly kty: string;
  readonly kid: string;
  readonly alg: Algorithm;
  readonly use: 'sig';
  readonly [member: string]: unknown;
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
export const MIN_RSA_BITS = 2048;

/** The bit length of an RSA modulus given as base64url, without decoding it. */
function rsaBits(n: string): number {
  const bytes = Math.floor((n.length * 3) / 4);
  return bytes * 8;
}

/**
 * Checks that an exported private JWK is a private key of the type `alg` needs (RSA of at least
 * 2048 bits, or the algorithm's curve), and returns its public half. Every mistake names `privateKey`.
 */
export function checkPrivateJwk(
  jwk: Readonly<Record<string, unknown>>,
  alg: Algorithm,
  kid: string,
): PublicJwk {
  if (typeof jwk.d !== 'string') {
    throw configError('privateKey: this is a public key; the signer needs the private key');
  }
  const want = keyTypeFor(alg);
  if (jwk.kty !== want.kty || ('crv' in want && jwk.crv !== want.crv)) {
    const have = typeof jwk.crv === 'string' ? `${String(jwk.kty)} ${jwk.crv}` : String(jwk.kty);
    const need = 'crv' in want ? `${want.kty} ${want.crv}` : want.kty;
    throw configError(
      `privateKey: a ${have} key cannot sign ${alg} (it needs ${need}); set alg to match the key`,
    );
  }
  if (want.kty === 'RSA' && (typeof jwk.n !== 'string' || rsaBits(jwk.n) < MIN_RSA_BITS)) {
    throw configError(`privateKey: RSA keys must have at least ${MIN_RSA_BITS} bits`);
  }
  const publicMembers = Object.fromEntries(
    Object.entries(jwk).filter(
      ([name]) => !PRIVATE_MEMBERS.has(name) && name !== 'key_ops' && name !== 'ext',
    ),
  );
  return { ...publicMembers, kty: want.kty, kid, alg, use: 'sig' };
}

/** A PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`); other PEM kinds get a message saying what to do. */
export function assertPkcs8Pem(pem: string): void {
  if (pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw configError('privateKey: this is a public key; the signer needs the private key');
  }
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) {
    throw configError(
      'privateKey: expected a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"); convert with `openssl pkcs8 -topk8 -nocrypt`',
    );
  }
}
