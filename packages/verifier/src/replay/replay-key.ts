import { REPLAY_GRACE_SECONDS } from '@n8n-embed/protocol';
import type { CryptoBackend } from '../crypto/backend.js';
import type { ReplayEntry } from '../types.js';

/**
 * The store key is a SHA-256 over an unambiguous encoding of (`iss`, `jti`): two issuers may use one
 * `jti`, and no input can choose, lengthen or shape the key a store sees. The entry lives until
 * `exp + tolerance + 60 s` on the verifier's wall clock.
 */
export function replayEntryFor(
  backend: CryptoBackend,
  claims: { iss: string; jti: string; exp: number },
  toleranceSeconds: number,
  now: number,
): ReplayEntry | Promise<ReplayEntry> {
  const expiresAt = (claims.exp + toleranceSeconds + REPLAY_GRACE_SECONDS) * 1000;
  const key = backend.sha256Hex(JSON.stringify([claims.iss, claims.jti]));
  // Synchronous when the backend's hash is (node:crypto), like the signature stage.
  return typeof key === 'string'
    ? { key, expiresAt, now }
    : key.then((hex) => ({ key: hex, expiresAt, now }));
}
