import {
  type Algorithm,
  configError,
  DEFAULT_ALGORITHM,
  DEFAULT_LIFETIME_SECONDS,
  isAlgorithm,
  loadNodeCrypto,
  loginClaimsSchema,
  MAX_LIFETIME_SECONDS,
  TOKEN_TYPE,
} from '@n8n-embed/protocol';
import { nanoid } from 'nanoid';
import { buildClaims, type LoginUser } from './claims.js';
import { type PrivateKeyInput, type PublicJwk, resolveKid } from './private-key.js';
import { createNodeSigning } from './signing/node-signing.js';
import type { LoginHeader, SigningBackend } from './signing/signing-backend.js';
import { createWebSigning } from './signing/web-signing.js';

export interface LoginSignerOptions {
  /**
   * JWK object (WebCrypto's `exportKey('jwk')` result fits), PKCS#8 PEM, or CryptoKey. Public keys,
   * RSA under 2048 bits and keys of another type than `alg` needs throw.
   */
  readonly privateKey: PrivateKeyInput;
  /**
   * The key id n8n's trusted keys know this key by: 1–128 of `[A-Za-z0-9._:-]`. Default: the JWK's
   * own `kid`; required for a PEM or CryptoKey. A kid other than the JWK's own is refused unless
   * `overrideKeyKid` is set.
   */
  readonly kid?: string;
  /** Sign with `kid` even though the JWK names itself differently. Default false. */
  readonly overrideKeyKid?: boolean;
  /**
   * Default `ES256`. RS/PS 256–512 and ES384/512 work everywhere. `EdDSA` works only with
   * `@n8n-embed/verifier`: n8n 2.41's own module cannot verify Ed25519 tokens.
   */
  readonly alg?: Algorithm;
  /** The portal's absolute URL, equal byte for byte to the key's `issuer` in n8n's trusted keys. */
  readonly issuer: string;
  /** The n8n instance the token is for: the key's `expectedAudience`. */
  readonly audience: string;
  /** 1–60, default 30. */
  readonly lifetimeSeconds?: number;
  /** Seconds to add to this machine's clock to get n8n's (see `measureClockOffset`). Default 0. */
  readonly clockOffsetSeconds?: number;
  /** Wall clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Default: nanoid (21 URL-safe characters, 126 random bits). */
  readonly generateJti?: () => string;
  /** `node` (synchronous node:crypto, the default on Node) or `webcrypto` (portable). */
  readonly crypto?: 'node' | 'webcrypto';
}

export interface LoginSigner {
  /** Mints a login token for an already-authenticated portal user. */
  mint(user: LoginUser): Promise<string>;
  readonly kid: string;
  readonly alg: Algorithm;
  /** The public key as a JWK (with `kid`, `alg`, `use`), or undefined for a non-extractable CryptoKey. */
  readonly publicJwk: PublicJwk | undefined;
}

function checkOptions(options: LoginSignerOptions): {
  alg: Algorithm;
  kid: string;
  lifetime: number;
  offset: number;
} {
  if (typeof options !== 'object' || options === null)
    throw configError('createLoginSigner: options are required');
  const alg = options.alg ?? DEFAULT_ALGORITHM;
  if (!isAlgorithm(alg))
    throw configError(`alg: "${String(alg)}" is not one of the asymmetric JWS algorithms n8n allows`);
  const kid = resolveKid(options.privateKey, options.kid, options.overrideKeyKid);
  if (!loginClaimsSchema.shape.iss.safeParse(options.issuer).success) {
    throw configError('issuer: must be an absolute http(s) URL');
  }
  if (!loginClaimsSchema.shape.aud.safeParse(options.audience).success) {
    throw configError('audience: must be a non-empty string (the n8n URL in the key’s expectedAudience)');
  }
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_LIFETIME_SECONDS) {
    throw configError(
      `lifetimeSeconds: must be a whole number from 1 to ${MAX_LIFETIME_SECONDS} (n8n refuses longer)`,
    );
  }
  const offset = options.clockOffsetSeconds ?? 0;
  if (!Number.isFinite(offset) || Math.abs(offset) > 86_400) {
    throw configError('clockOffsetSeconds: must be a finite number of seconds within ±1 day');
  }
  return { alg, kid, lifetime, offset };
}

async function chooseSigning(
  options: LoginSignerOptions,
  header: LoginHeader & { readonly alg: Algorithm },
): Promise<SigningBackend> {
  const nodeCrypto = options.crypto === 'webcrypto' ? undefined : loadNodeCrypto();
  if (options.crypto === 'node' && nodeCrypto === undefined)
    throw configError('crypto: "node" needs Node.js');
  return nodeCrypto
    ? createNodeSigning(nodeCrypto, options.privateKey, header)
    : createWebSigning(options.privateKey, header);
}

/**
 * Creates a signer for login tokens. The key is imported and checked here, so a wrong key throws
 * now, not at the first login. Tokens have integer `iat`/`exp`, `typ: n8n-embed+jwt`, a fresh `jti`.
 */
export async function createLoginSigner(options: LoginSignerOptions): Promise<LoginSigner> {
  const { alg, kid, lifetime, offset } = checkOptions(options);
  const signing = await chooseSigning(options, { alg, kid, typ: TOKEN_TYPE });
  const now = options.now ?? Date.now;
  const generateJti = options.generateJti ?? nanoid;

  return {
    kid,
    alg,
    publicJwk: signing.publicJwk,
    async mint(user: LoginUser): Promise<string> {
      const iat = Math.floor(now() / 1000 + offset);
      const claims = buildClaims(user, {
        issuer: options.issuer,
        audience: options.audience,
        iat,
        exp: iat + lifetime,
        jti: generateJti(),
      });
      return signing.sign(JSON.stringify(claims));
    },
  };
}
