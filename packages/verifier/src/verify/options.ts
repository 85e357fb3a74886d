import {
  configError,
  MAX_CLOCK_TOLERANCE_SECONDS,
  MAX_LIFETIME_SECONDS,
  type Profile,
} from '@n8n-embed/protocol';
import type { TrustedKeysInput } from '../keys/load-trusted-keys.js';
import type { ReplayStore } from '../types.js';

export interface VerifierOptions {
  /**
   * n8n's trusted-keys JSON (or parsed array), or direct `{ jwk | jwks | pem, issuer, … }` entries.
   * `undefined` (an unset environment variable) is accepted by the type and refused as `config_invalid`.
   */
  readonly trustedKeys: TrustedKeysInput | undefined;
  /** The audience tokens must name. Strict: required here or as every key's `expectedAudience`. */
  readonly audience?: string;
  /** `strict` (default): every rule of security.md. `n8n`: n8n 2.41's verdicts, never its 500s. */
  readonly profile?: Profile;
  /** 0–60 s, default 0 (n8n allows none). */
  readonly clockToleranceSeconds?: number;
  /** At most 60, default 60. */
  readonly maxLifetimeSeconds?: number;
  /** Default: a bounded memory store for this process. Use the Redis store for several processes. */
  readonly replayStore?: ReplayStore;
  /** Wall clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** `node` (synchronous node:crypto, the default on Node) or `webcrypto` (portable, via jose). */
  readonly crypto?: 'node' | 'webcrypto';
  /** Used for remote JWKS. Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  readonly jwks?: {
    /** Development only: allow `http:` JWKS URLs on loopback hosts. */
    readonly allowHttpLoopback?: boolean;
    readonly timeoutMs?: number;
    readonly maxBytes?: number;
    readonly cooldownMs?: number;
    readonly staleWindowMs?: number;
  };
}

/**
 * `trustedKeys` is there at all: the README's `process.env.N8N_TOKEN_EXCHANGE_TRUSTED_KEYS` may be
 * unset, and that must be a `config_invalid` naming it, not a TypeError from deeper down.
 */
export function requireTrustedKeys(options: VerifierOptions): TrustedKeysInput {
  const input = options.trustedKeys;
  if (input === undefined || input === null || (typeof input === 'string' && input.trim() === '')) {
    throw configError(
      `trustedKeys is required, got ${input === '' ? 'an empty string' : String(input)} (is N8N_TOKEN_EXCHANGE_TRUSTED_KEYS set?)`,
    );
  }
  if (typeof input !== 'string' && !Array.isArray(input)) {
    throw configError(`trustedKeys must be n8n's trusted-keys JSON text or an array, got ${typeof input}`);
  }
  return input;
}

export interface ResolvedNumbers {
  readonly toleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
}

function inRange(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max || !Number.isInteger(value)) {
    throw configError(`${name} must be a whole number from 0 to ${max}`);
  }
  return value;
}

export function resolveNumbers(options: VerifierOptions): ResolvedNumbers {
  const maxLifetimeSeconds = inRange(
    'maxLifetimeSeconds',
    options.maxLifetimeSeconds ?? MAX_LIFETIME_SECONDS,
    MAX_LIFETIME_SECONDS,
  );
  if (maxLifetimeSeconds === 0) throw configError('maxLifetimeSeconds must be at least 1');
  return {
    toleranceSeconds: inRange(
      'clockToleranceSeconds',
      options.clockToleranceSeconds ?? 0,
      MAX_CLOCK_TOLERANCE_SECONDS,
    ),
    maxLifetimeSeconds,
  };
}
