import {
  type Algorithm,
  configError,
  type KeyShape,
  KID_PATTERN,
  keyMisfit,
  pemKind,
} from '@n8n-embed/protocol';

/**
 * A private key as a JWK. Every member is optional so that WebCrypto's own `JsonWebKey` (what
 * `crypto.subtle.exportKey('jwk', key)` returns), node's `JsonWebKey` and a parsed key file all fit.
 */
export interface PrivateJwk {
  readonly kty?: string;
  readonly crv?: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
  readonly key_ops?: readonly string[];
  readonly ext?: boolean;
  readonly d?: string;
  readonly n?: string;
  readonly e?: string;
  readonly p?: string;
  readonly q?: string;
  readonly dp?: string;
  readonly dq?: string;
  readonly qi?: string;
  readonly x?: string;
  readonly y?: string;
}

/** A private key as a JWK object, a PKCS#8 PEM string, or a WebCrypto `CryptoKey`. */
export type PrivateKeyInput = PrivateJwk | string | CryptoKey;

/** A public signing JWK for n8n's trusted keys or a JWKS document: `kid`, `alg` and `use: "sig"` set. */
export interface PublicJwk {
  readonly kty: string;
  readonly kid: string;
  readonly alg: Algorithm;
  readonly use: 'sig';
  readonly [member: string]: unknown;
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'key_ops', 'ext']);

/** Throws the protocol's key-fit verdict for signing `alg`, naming `privateKey`. */
export function assertSigningKey(shape: KeyShape, alg: Algorithm): void {
  const misfit = keyMisfit(shape, [alg], 'sign');
  if (misfit === undefined) return;
  const hint = misfit.includes(' cannot sign ') ? '; set alg to match the key' : '';
  throw configError(`privateKey: ${misfit}${hint}`);
}

/** The public half of an exported private JWK, labelled for `kid` and `alg`. */
export function publicJwkOf(jwk: Readonly<Record<string, unknown>>, alg: Algorithm, kid: string): PublicJwk {
  const publicMembers = Object.fromEntries(
    Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name)),
  );
  return { ...publicMembers, kty: String(jwk.kty), kid, alg, use: 'sig' };
}

/** A PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`); other PEM kinds get a message saying what to do. */
export function assertPkcs8Pem(pem: string): void {
  const kind = pemKind(pem);
  if (kind === 'spki')
    throw configError('privateKey: this is a public key; the signer needs the private key');
  if (kind !== 'pkcs8') {
    throw configError(
      'privateKey: expected a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"); convert with `openssl pkcs8 -topk8 -nocrypt`',
    );
  }
}

/** A WebCrypto key must be allowed to sign; both paths refuse one that is not. */
export function assertCryptoKeySigns(key: CryptoKey): void {
  if (key.type === 'private' && !key.usages.includes('sign')) {
    throw configError(
      `privateKey: this CryptoKey may not sign (its usages are ${key.usages.join(', ') || 'none'})`,
    );
  }
}

const KID_RULE = 'must be 1–128 characters of A–Z, a–z, 0–9, ".", "_", ":" or "-"';

/**
 * The kid tokens carry: the key's own `kid` by default. A different `kid` option is refused unless
 * `overrideKeyKid` asks for it, because n8n finds the key by that kid and a token naming another one
 * fails every login with "Unknown key id".
 */
export function resolveKid(
  key: PrivateKeyInput,
  option: string | undefined,
  overrideKeyKid: boolean | undefined,
): string {
  if (option !== undefined && (typeof option !== 'string' || !KID_PATTERN.test(option)))
    throw configError(`kid: ${KID_RULE}`);
  const own = typeof key === 'object' && key !== null && !(key instanceof CryptoKey) ? key.kid : undefined;
  if (own !== undefined && (typeof own !== 'string' || !KID_PATTERN.test(own))) {
    throw configError(`privateKey: the key's own kid ${KID_RULE}`);
  }
  if (option === undefined) {
    if (own !== undefined) return own;
    throw configError(
      'kid: kid is required (the key says none: a PEM, a CryptoKey or a JWK without "kid" carries no key id)',
    );
  }
  if (own === undefined || own === option || overrideKeyKid === true) return option;
  throw configError(
    `kid: "${option}" is not the key's own kid (the key says "${own}"); n8n knows a key by one kid: leave kid out, or set overrideKeyKid: true to sign as "${option}"`,
  );
}
