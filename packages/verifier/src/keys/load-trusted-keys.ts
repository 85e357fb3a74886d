import type { DirectTrustedKey, NormalisedTrustedKey, TrustedKeySource } from '@n8n-embed/protocol';
import type { CryptoBackend } from '../crypto/backend.js';
import type { KeyPolicy } from '../types.js';
import { importTrustedKey } from './key-entry.js';
import { KeyRing } from './key-ring.js';
import { createRemoteJwksSource } from './remote-jwks.js';

export type { DirectTrustedKey };

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

const policyOf = (entry: NormalisedTrustedKey): KeyPolicy => ({
  requireVerifiedEmail: entry.requireVerifiedEmail,
  ...(entry.allowedRoles ? { allowedRoles: [...entry.allowedRoles] } : {}),
});

/**
 * Builds the key ring from the protocol's one normalised list (every entry already checked: schema,
 * public key fitting its algorithms, unique (`kid`, `issuer`)). Every key is imported now, so a bad
 * configuration fails at start with a `config_invalid` error naming the entry, never at a login.
 */
export async function loadTrustedKeys(
  list: readonly NormalisedTrustedKey[],
  options: LoadOptions,
): Promise<KeyRing> {
  const ring = new KeyRing();
  for (const entry of list) {
    if (entry.type === 'jwks') {
      ring.addRemote(
        entry.issuer,
        createRemoteJwksSource({
          url: entry.url,
          issuer: entry.issuer,
          audience: entry.expectedAudience,
          policy: policyOf(entry),
          algorithms: entry.algorithms,
          cacheTtlSeconds: entry.cacheTtlSeconds,
          backend: options.backend,
          now: options.now,
          fetch: options.fetch,
          ...options.jwks,
        }),
      );
      continue;
    }
    ring.addStatic({
      kid: entry.kid,
      issuer: entry.issuer,
      algorithms: entry.algorithms,
      audience: entry.expectedAudience,
      policy: policyOf(entry),
      key: await importTrustedKey(options.backend, entry.kid, entry.material, entry.algorithms),
    });
  }
  return ring;
}
