import {
  type Algorithm,
  configError,
  inferAlgorithm,
  isAlgorithm,
  KID_PATTERN,
  parseTrustedKeys,
  type TrustedKeySource,
} from '@n8n-embed/protocol';
import type { CryptoBackend, JwkMembers } from '../crypto/backend.js';
import type { KeyPolicy } from '../types.js';
import { importTrustedKey } from './key-entry.js';
import { KeyRing } from './key-ring.js';
import { createRemoteJwksSource } from './remote-jwks.js';

interface KeyPolicyInput {
  readonly issuer: string;
  readonly expectedAudience?: string;
  readonly allowedRoles?: readonly string[];
  readonly requireVerifiedEmail?: boolean;
}

/** A trusted key given directly: a public JWK (one key, or a JWKS document) or an SPKI PEM. */
export type DirectTrustedKey = KeyPolicyInput &
  (
    | {
        readonly jwk: JwkMembers & { kid?: string };
        readonly kid?: string;
        readonly algorithms?: readonly Algorithm[];
      }
    | { readonly jwks: { readonly keys: readonly JwkMembers[] }; readonly algorithms?: readonly Algorithm[] }
    | { readonly pem: string; readonly kid: string; readonly algorithms: readonly Algorithm[] }
  );

/** n8n's `N8N_TOKEN_EXCHANGE_TRUSTED_KEYS` (JSON text or parsed), or a list of n8n or direct entries. */
export type TrustedKeysInput = string | readonly (TrustedKeySource | DirectTrustedKey)[];

export interface LoadOptions {
  readonly backend: CryptoBackend;
  readonly now: () => number;
  readonly fetch: typeof globalThis.fetch;
  readonly jwks?: {
    readonly allowHttpLoopback?: boolean;
    readonly timeoutMs?: number;
    readonly maxBytes?: number;
    readonly cooldownMs?: number;
    readonly staleWindowMs?: number;
  };
}

const policyOf = (input: KeyPolicyInput): KeyPolicy => ({
  requireVerifiedEmail: input.requireVerifiedEmail ?? true,
  ...(input.allowedRoles ? { allowedRoles: [...input.allowedRoles] } : {}),
});

function expandDirect(
  entry: DirectTrustedKey,
): { kid: string; alg: readonly Algorithm[]; material: { pem: string } | { jwk: JwkMembers } }[] {
  if ('pem' in entry) return [{ kid: entry.kid, alg: entry.algorithms, material: { pem: entry.pem } }];
  const jwks = 'jwks' in entry ? entry.jwks.keys : [{ ...entry.jwk, kid: entry.kid ?? entry.jwk.kid }];
  return jwks.map((jwk) => {
    const kid = jwk.kid;
    if (typeof kid !== 'string') throw configError('trusted key: a JWK needs a kid');
    const alg =
      entry.algorithms ?? [isAlgorithm(jwk.alg) ? jwk.alg : inferAlgorithm(jwk)].filter(isAlgorithm);
    return { kid, alg, material: { jwk } };
  });
}

/**
 * Builds the key ring. Every key is imported and checked now, so a bad configuration fails at start
 * with a `config_invalid` error naming the entry, never at the first login.
 */
export async function loadTrustedKeys(input: TrustedKeysInput, options: LoadOptions): Promise<KeyRing> {
  const list = typeof input === 'string' ? parseTrustedKeys(input) : input;
  const ring = new KeyRing();
  for (const [index, entry] of list.entries()) {
    const n8nEntry = 'type' in entry ? (parseTrustedKeys([entry])[0] as TrustedKeySource) : undefined;
    const policyInput = n8nEntry ?? (entry as DirectTrustedKey);
    if (!URL.canParse(policyInput.issuer))
      throw configError(`trusted key entry ${index}: issuer must be an absolute URL`);
    const audience = policyInput.expectedAudience;
    if (n8nEntry?.type === 'jwks') {
      ring.addRemote(
        n8nEntry.issuer,
        createRemoteJwksSource({
          url: n8nEntry.url,
          issuer: n8nEntry.issuer,
          audience,
          policy: policyOf(n8nEntry),
          algorithms: n8nEntry.algorithms,
          cacheTtlSeconds: n8nEntry.cacheTtlSeconds,
          backend: options.backend,
          now: options.now,
          fetch: options.fetch,
          ...options.jwks,
        }),
      );
      continue;
    }
    const keys =
      n8nEntry?.type === 'static'
        ? [{ kid: n8nEntry.kid, alg: n8nEntry.algorithms, material: { pem: n8nEntry.key } }]
        : expandDirect(entry as DirectTrustedKey);
    for (const { kid, alg, material } of keys) {
      if (!KID_PATTERN.test(kid))
        throw configError(`trusted key entry ${index}: kid must match ${KID_PATTERN}`);
      const key = await importTrustedKey(options.backend, kid, material, alg);
      const added = ring.addStatic({
        kid,
        issuer: policyInput.issuer,
        algorithms: alg,
        audience,
        policy: policyOf(policyInput),
        key,
      });
      if (!added)
        throw configError(`trusted key "${kid}": kid is already used for issuer "${policyInput.issuer}"`);
    }
  }
  return ring;
}
