/** Every algorithm n8n's key configuration allows. Asymmetric only: `none` and HMAC never appear. */
export const ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** The default everywhere: n8n's own module verifies it, and keys and tokens are small. */
export const DEFAULT_ALGORITHM: Algorithm = 'ES256';

/**
 * Algorithms n8n 2.41's own token-exchange module can verify. Its JWT library fails on Ed25519
 * keys, so EdDSA tokens only work where our verifier checks them.
 */
export const N8N_MODULE_ALGORITHMS: readonly Algorithm[] = ALGORITHMS.filter((alg) => alg !== 'EdDSA');

/** The kind of key an algorithm needs: `kty` and, for EC and OKP keys, the curve. */
export type KeyType =
  | { readonly kty: 'RSA' }
  | { readonly kty: 'EC'; readonly crv: 'P-256' | 'P-384' | 'P-521' }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519' };

/** How an algorithm signs (RFC 7518 §3): the scheme and its hash. */
type Scheme = 'ecdsa' | 'pkcs1' | 'pss' | 'eddsa';
interface AlgorithmRow {
  readonly keyType: KeyType;
  readonly scheme: Scheme;
  /** The hash size in bits; undefined for EdDSA, which hashes internally. */
  readonly hashBits: 256 | 384 | 512 | undefined;
}

// The one algorithm table: the key each algorithm needs and how it signs. Signers and verifiers on
// both crypto backends read their parameters from here.
const TABLE: Readonly<Record<Algorithm, AlgorithmRow>> = {
  ES256: { keyType: { kty: 'EC', crv: 'P-256' }, scheme: 'ecdsa', hashBits: 256 },
  ES384: { keyType: { kty: 'EC', crv: 'P-384' }, scheme: 'ecdsa', hashBits: 384 },
  ES512: { keyType: { kty: 'EC', crv: 'P-521' }, scheme: 'ecdsa', hashBits: 512 },
  RS256: { keyType: { kty: 'RSA' }, scheme: 'pkcs1', hashBits: 256 },
  RS384: { keyType: { kty: 'RSA' }, scheme: 'pkcs1', hashBits: 384 },
  RS512: { keyType: { kty: 'RSA' }, scheme: 'pkcs1', hashBits: 512 },
  PS256: { keyType: { kty: 'RSA' }, scheme: 'pss', hashBits: 256 },
  PS384: { keyType: { kty: 'RSA' }, scheme: 'pss', hashBits: 384 },
  PS512: { keyType: { kty: 'RSA' }, scheme: 'pss', hashBits: 512 },
  EdDSA: { keyType: { kty: 'OKP', crv: 'Ed25519' }, scheme: 'eddsa', hashBits: undefined },
};

/** The smallest RSA modulus, in bits, that either side accepts (n8n's JWT library agrees). */
export const MIN_RSA_BITS = 2048;

/** WebCrypto's name for each scheme, as a CryptoKey's `algorithm.name` carries it. */
const WEB_NAMES: Readonly<Record<Scheme, string>> = {
  ecdsa: 'ECDSA',
  pkcs1: 'RSASSA-PKCS1-v1_5',
  pss: 'RSA-PSS',
  eddsa: 'Ed25519',
};

/** One algorithm's signature parameters, as node:crypto and WebCrypto spell them. */
export interface SignatureParams {
  /** node:crypto's digest name for `crypto.sign`/`crypto.verify`; null for EdDSA. */
  readonly nodeHash: 'sha256' | 'sha384' | 'sha512' | null;
  /**
   * Spread next to the `key` of `crypto.sign`/`crypto.verify`: ECDSA signatures are r‖s (IEEE P1363,
   * as JWS wants), RSA-PSS uses a salt as long as the hash.
   */
  readonly nodeOptions: {
    readonly dsaEncoding?: 'ieee-p1363';
    readonly padding?: number;
    readonly saltLength?: number;
  };
  /** The `algorithm` argument of WebCrypto's `subtle.sign`/`subtle.verify`. */
  readonly web: { readonly name: string; readonly hash?: string; readonly saltLength?: number };
  /** WebCrypto's hash name (`SHA-256` …) the key must be bound to; undefined for EdDSA and ECDSA keys. */
  readonly keyHash: string | undefined;
}

// node:crypto's `constants.RSA_PKCS1_PSS_PADDING` (OpenSSL's RSA_PKCS1_PSS_PADDING), a fixed value.
const RSA_PKCS1_PSS_PADDING = 6;

function paramsOf({ scheme, hashBits }: AlgorithmRow): SignatureParams {
  const hash = hashBits === undefined ? undefined : `SHA-${hashBits}`;
  const saltLength = (hashBits ?? 0) / 8;
  return {
    nodeHash: hashBits === undefined ? null : (`sha${hashBits}` as 'sha256' | 'sha384' | 'sha512'),
    nodeOptions:
      scheme === 'ecdsa'
        ? { dsaEncoding: 'ieee-p1363' }
        : scheme === 'pss'
          ? { padding: RSA_PKCS1_PSS_PADDING, saltLength }
          : {},
    web:
      scheme === 'ecdsa'
        ? { name: WEB_NAMES.ecdsa, hash }
        : scheme === 'pss'
          ? { name: WEB_NAMES.pss, saltLength }
          : { name: WEB_NAMES[scheme] },
    keyHash: scheme === 'pkcs1' || scheme === 'pss' ? hash : undefined,
  };
}

// Built once: the verifier asks on every token.
const PARAMS = Object.fromEntries(
  Object.entries(TABLE).map(([alg, row]) => [alg, Object.freeze(paramsOf(row))]),
) as Readonly<Record<Algorithm, SignatureParams>>;

/** The signature parameters of `alg`, for node:crypto and for WebCrypto. */
export function signatureParams(alg: Algorithm): SignatureParams {
  return PARAMS[alg];
}

/** Case-sensitive membership test: `es256`, `none` and `HS256` are not algorithms here. */
export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && Object.hasOwn(TABLE, value);
}

export function keyTypeFor(alg: Algorithm): KeyType {
  return TABLE[alg].keyType;
}

/**
 * A family is the set of algorithms one key can serve: all RSA algorithms share a key, each curve is
 * its own family. A key entry's algorithms must all be of one family.
 */
export function algorithmFamily(alg: Algorithm): string {
  const type = TABLE[alg].keyType;
  return type.kty === 'RSA' ? 'RSA' : type.crv;
}

/** The algorithm n8n infers for a JWKS key without `alg` (contract §3). */
export function inferAlgorithm(jwk: { kty?: unknown; crv?: unknown }): Algorithm | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ES512';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}
