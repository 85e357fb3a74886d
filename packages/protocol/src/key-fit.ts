import { type Algorithm, keyTypeFor, MIN_RSA_BITS, signatureParams } from './algorithms.js';
import { decodeBase64url } from './base64url.js';

/**
 * What the key rules look at, whichever form a key came in (JWK, PEM, KeyObject, CryptoKey): its
 * type, curve, RSA size and whether it holds private material.
 */
export interface KeyShape {
  /** `RSA`, `EC`, `OKP`, `oct` … as in a JWK. */
  readonly kty: string;
  readonly crv?: string;
  /** RSA only: the modulus size, counted (not estimated) from its bytes. */
  readonly modulusBits?: number;
  readonly isPrivate: boolean;
  /**
   * Set for a WebCrypto key, which is bound to one scheme and hash (`RSA-PSS` with `SHA-256` cannot
   * sign RS384); JWKs, PEMs and node KeyObjects are not.
   */
  readonly webAlgorithm?: { readonly name: string; readonly hash?: string };
}

/** The exact bit length of an RSA modulus given as base64url (leading zero bytes do not count). */
export function rsaModulusBits(n: string): number {
  const bytes = decodeBase64url(n);
  if (bytes === undefined) return 0;
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (start === bytes.length) return 0;
  return (bytes.length - start - 1) * 8 + (32 - Math.clz32(bytes[start] ?? 0));
}

/** The shape of a JWK (public or private); members of the wrong type count as absent. */
export function shapeOfJwk(jwk: { readonly [member: string]: unknown }): KeyShape {
  const kty = typeof jwk.kty === 'string' ? jwk.kty : '(none)';
  return {
    kty,
    ...(typeof jwk.crv === 'string' ? { crv: jwk.crv } : {}),
    ...(kty === 'RSA' ? { modulusBits: typeof jwk.n === 'string' ? rsaModulusBits(jwk.n) : 0 } : {}),
    // A symmetric key is secret material too: it can never be a verifier's trusted key.
    isPrivate: jwk.d !== undefined || kty === 'oct',
  };
}

const KTY_OF_WEB_NAME: Readonly<Record<string, string>> = {
  ECDSA: 'EC',
  ECDH: 'EC',
  'RSASSA-PKCS1-v1_5': 'RSA',
  'RSA-PSS': 'RSA',
  'RSA-OAEP': 'RSA',
  Ed25519: 'OKP',
  X25519: 'OKP',
  HMAC: 'oct',
};

/** The shape of a WebCrypto key, read from its `algorithm` (so a non-extractable key works too). */
export function shapeOfCryptoKey(key: CryptoKey): KeyShape {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm & RsaHashedKeyAlgorithm>;
  const name = String(algorithm.name);
  const kty = KTY_OF_WEB_NAME[name] ?? name;
  const crv = algorithm.namedCurve ?? (kty === 'OKP' ? name : undefined);
  const hash = algorithm.hash?.name;
  return {
    kty,
    ...(crv === undefined ? {} : { crv }),
    ...(kty === 'RSA' ? { modulusBits: algorithm.modulusLength ?? 0 } : {}),
    isPrivate: key.type !== 'public',
    webAlgorithm: { name, ...(hash === undefined ? {} : { hash }) },
  };
}

/** What a PEM string holds, read from its armour: SPKI public, PKCS#8 private, or something else. */
export function pemKind(pem: string): 'spki' | 'pkcs8' | 'other-private' | 'other' {
  if (/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(pem))
    return pem.includes('-----BEGIN PRIVATE KEY-----') ? 'pkcs8' : 'other-private';
  return pem.includes('-----BEGIN PUBLIC KEY-----') ? 'spki' : 'other';
}

function describe(shape: KeyShape): string {
  if (shape.webAlgorithm !== undefined) {
    const { name, hash } = shape.webAlgorithm;
    return `a ${[name, shape.crv !== name ? shape.crv : undefined, hash].filter(Boolean).join(' ')} CryptoKey`;
  }
  return `a ${shape.crv === undefined ? shape.kty : `${shape.kty} ${shape.crv}`} key`;
}

/**
 * The one rule for "does this key fit": why `shape` cannot `use` every algorithm in `algorithms`, or
 * undefined when it can. Signing needs private material and verifying must not have it; the key type
 * and curve must match each algorithm, RSA needs at least 2048 bits, and a WebCrypto key must be bound
 * to the algorithm's scheme and hash. The SDK and the verifier both ask this function, so a key one
 * side accepts the other accepts too. The message names no key material.
 */
export function keyMisfit(
  shape: KeyShape,
  algorithms: readonly Algorithm[],
  use: 'sign' | 'verify',
): string | undefined {
  if (use === 'sign' && !shape.isPrivate) return 'this is a public key; the signer needs the private key';
  if (use === 'verify' && shape.isPrivate) return 'must be a public key, not private or symmetric material';
  for (const alg of algorithms) {
    const need = keyTypeFor(alg);
    const curveOk = !('crv' in need) || shape.crv === need.crv;
    if (shape.kty !== need.kty || !curveOk) {
      const needed = 'crv' in need ? `${need.kty} ${need.crv}` : need.kty;
      return `${describe(shape)} cannot ${use} ${alg} (it needs ${needed})`;
    }
    const params = signatureParams(alg);
    const web = shape.webAlgorithm;
    if (web !== undefined && (web.name !== params.web.name || web.hash !== params.keyHash)) {
      return `${describe(shape)} cannot ${use} ${alg} (it needs ${[params.web.name, params.keyHash].filter(Boolean).join(' ')})`;
    }
  }
  if (shape.kty === 'RSA' && (shape.modulusBits ?? 0) < MIN_RSA_BITS) {
    return `RSA keys must have at least ${MIN_RSA_BITS} bits (this one has ${shape.modulusBits ?? 0})`;
  }
  return undefined;
}
