import { type Algorithm, isAlgorithm } from '@n8n-embed/protocol';
import type { Bytes, CryptoBackend } from '../crypto/backend.js';
import type { KeyEntry } from '../keys/key-entry.js';
import { type Known, reject } from './reject.js';
import { decodeSegment, type TokenParts } from './token-parts.js';

/**
 * Stage `alg`: the header names one of the asymmetric algorithms n8n allows (case-sensitive; `none`
 * and HMAC are never algorithms here). Needs no key.
 */
export function checkAlgorithmName(alg: unknown, known: Known): Algorithm {
  if (!isAlgorithm(alg)) throw reject('alg_rejected', known, { detail: 'algorithm not accepted' });
  return alg;
}

/** Stage `key alg`: the algorithm is exactly one of the key's, never inferred from key or token. */
export function checkKeyAllows(alg: Algorithm, key: KeyEntry, known: Known): void {
  if (!key.algorithms.includes(alg))
    throw reject('key_alg_mismatch', known, { detail: `key does not allow ${alg}` });
}

/** Stage `signature bytes`: the signature segment is canonical base64url. Needs no key. */
export function readSignature(parts: TokenParts, known: Known): Bytes {
  return decodeSegment(parts.signature, known);
}

/**
 * Stage `signature`: the signature over the exact signing input. Nothing in the payload is trusted
 * before it. Synchronous when the backend is (node:crypto): a promise per login costs more than the
 * rest of this stage.
 */
export function checkSignature(
  backend: CryptoBackend,
  key: KeyEntry,
  alg: KeyEntry['algorithms'][number],
  parts: TokenParts,
  signature: Bytes,
  known: Known,
): undefined | Promise<void> {
  const valid = backend.verify(alg, key.key, parts.signingInput, signature);
  if (typeof valid !== 'boolean') return valid.then((verdict) => signatureVerdict(verdict, known));
  signatureVerdict(valid, known);
  return undefined;
}

function signatureVerdict(valid: boolean, known: Known): void {
  if (!valid) throw reject('bad_signature', known);
}
