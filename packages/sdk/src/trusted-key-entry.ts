import {
  type Algorithm,
  configError,
  isAlgorithm,
  keyMisfit,
  parseTrustedKeys,
  type StaticTrustedKey,
  shapeOfJwk,
  type TrustedKeySource,
} from '@n8n-embed/protocol';
import { exportSPKI, importJWK } from 'jose';

export interface TrustedKeyEntryOptions {
  /** The portal's public key as a JWK with `kid` and `alg` (what `generateKeyPair` and the signer give). */
  readonly publicJwk: Readonly<Record<string, unknown>>;
  readonly issuer: string;
  readonly audience: string;
  readonly allowedRoles?: readonly string[];
  readonly requireVerifiedEmail?: boolean;
}

/**
 * The `static` entry of n8n's `N8N_TOKEN_EXCHANGE_TRUSTED_KEYS` for a portal key (contract §3), with
 * the SPKI PEM n8n wants, validated by the protocol's trusted-keys schema.
 */
export async function trustedKeyEntry(options: TrustedKeyEntryOptions): Promise<StaticTrustedKey> {
  const { kid, alg } = options.publicJwk;
  if (typeof kid !== 'string') throw configError('publicJwk: needs a "kid"');
  if (!isAlgorithm(alg)) throw configError('publicJwk: needs an "alg" n8n allows (ES256, RS256, …)');
  // The verifier's own key rule, so the entry is one the verifier (and n8n) will load.
  const misfit = keyMisfit(shapeOfJwk(options.publicJwk), [alg], 'verify');
  if (misfit !== undefined) throw configError(`publicJwk: ${misfit}`);
  let key: string;
  try {
    key = await exportSPKI((await importJWK({ ...options.publicJwk, ext: true }, alg)) as CryptoKey);
  } catch (cause) {
    throw configError(`publicJwk: not a usable ${alg} public key`, cause);
  }
  const entry = {
    type: 'static' as const,
    kid,
    algorithms: [alg as Algorithm],
    key,
    issuer: options.issuer,
    expectedAudience: options.audience,
    ...(options.allowedRoles ? { allowedRoles: [...options.allowedRoles] } : {}),
    ...(options.requireVerifiedEmail === undefined
      ? {}
      : { requireVerifiedEmail: options.requireVerifiedEmail }),
  };
  return parseTrustedKeys([entry])[0] as StaticTrustedKey;
}

/**
 * The zero-downtime rotation on n8n's trusted keys: `add` puts a new entry next to the existing ones,
 * `removeKid` retires one. The result is validated as a whole (unique (`kid`, `issuer`), every field).
 */
export function updateTrustedKeys(
  existing: readonly unknown[],
  change: { readonly add?: TrustedKeySource; readonly removeKid?: string },
): TrustedKeySource[] {
  const current = parseTrustedKeys(existing);
  if (
    change.removeKid !== undefined &&
    !current.some((entry) => 'kid' in entry && entry.kid === change.removeKid)
  ) {
    throw configError(`removeKid: no entry has kid "${change.removeKid}"`);
  }
  const kept = current.filter((entry) => !('kid' in entry) || entry.kid !== change.removeKid);
  return parseTrustedKeys(change.add ? [...kept, change.add] : kept);
}
