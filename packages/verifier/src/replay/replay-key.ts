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
  const key = backend.sha256Hex(replayKeyText(claims.iss, claims.jti));
  // Synchronous when the backend's hash is (node:crypto), like the signature stage.
  return typeof key === 'string'
    ? { key, expiresAt, now }
    : key.then((hex) => ({ key: hex, expiresAt, now }));
}

// A portal's tokens name one issuer: its half of the text is made once, not per token.
let lastIssuer: string | undefined;
let lastPrefix = '';

/**
 * `JSON.stringify([iss, jti])`, the text the key hashes (stores already hold keys made from it), built
 * without an array per token: JSON writes an array without spacing as `[` + items joined by `,` + `]`.
 */
export function replayKeyText(iss: string, jti: string): string {
  if (iss !== lastIssuer) {
    lastPrefix = `[${JSON.stringify(iss)},`;
    lastIssuer = iss;
  }
  return `${lastPrefix}${JSON.stringify(jti)}]`;
}
