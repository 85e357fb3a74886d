import { isAlgorithm } from '@n8n-embed/protocol';
import type { CryptoBackend } from '../crypto/backend.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { RawHeader } from './header.js';
import { type Known, reject } from './reject.js';
import { decodeSegment, signingInputOf, type TokenParts } from './token-parts.js';

/**
 * Stage: the algorithm is exactly one of the key's (case-sensitive; `none` and HMAC are never
 * algorithms here), never inferred from the key or the token.
 */
export function checkAlgorithm(
  header: RawHeader,
  key: KeyEntry,
  known: Known,
): KeyEntry['algorithms'][number] {
  const { alg } = header;
  if (!isAlgorithm(alg)) throw reject('alg_rejected', known, { detail: 'algorithm not accepted' });
  if (!key.algorithms.includes(alg))
    throw reject('key_alg_mismatch', known, { detail: `key does not allow ${alg}` });
  return alg;
}

/** Stage: the signature over the exact signing input. Nothing in the payload is trusted before it. */
export async function checkSignature(
  backend: CryptoBackend,
  key: KeyEntry,
  alg: KeyEntry['algorithms'][number],
  parts: TokenParts,
  known: Known,
): Promise<void> {
  const signature = decodeSegment(parts.signature, known);
  const valid = await backend.verify(alg, key.key, signingInputOf(parts), signature);
  if (!valid) throw reject('bad_signature', known);
}
