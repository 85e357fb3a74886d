import { MAX_TOKEN_LENGTH, type Profile } from '@n8n-embed/protocol';
import type { Bytes } from '../crypto/backend.js';
import { decodeBase64urlSegment } from '../internal/base64url.js';
import { type Known, reject } from './reject.js';

/** The three base64url segments of a compact JWS, still encoded: each stage decodes what it needs. */
export interface TokenParts {
  readonly header: string;
  readonly payload: string;
  readonly signature: string;
  /** `header.payload`, what the signature covers: a slice of the token, not a second copy. */
  readonly signingInput: string;
}

/** Compact JWS: three base64url segments and nothing else (no padding, no whitespace). */
const COMPACT_JWS_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

// n8n's JWT library reads a token with an empty signature (`alg: none`) and refuses it only when it
// verifies, with 401 `Token verification failed`; the n8n profile lets such a token reach the same
// verdict (it can never pass: no key verifies an empty signature).
const N8N_JWS_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Stage 1, before anything is decoded: exactly one non-empty string, at most 4096 characters, three
 * base64url segments and nothing else (no whitespace, padding or trailing newline).
 */
export function splitToken(token: unknown, profile: Profile): TokenParts {
  if (typeof token !== 'string' || token === '')
    throw reject('malformed', {}, { message: 'token is required' });
  if (token.length > MAX_TOKEN_LENGTH)
    throw reject('too_large', {}, { detail: `longer than ${MAX_TOKEN_LENGTH}` });
  const pattern = profile === 'n8n' ? N8N_JWS_PATTERN : COMPACT_JWS_PATTERN;
  if (!pattern.test(token)) throw reject('malformed', {}, { detail: 'not a compact JWS' });
  // The pattern allows exactly two dots.
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  return {
    header: token.slice(0, first),
    payload: token.slice(first + 1, second),
    signature: token.slice(second + 1),
    signingInput: token.slice(0, second),
  };
}

/** A segment's bytes, refusing every non-canonical base64url form (stray bits, impossible lengths). */
export function decodeSegment(segment: string, known: Known): Bytes {
  const bytes = decodeBase64urlSegment(segment);
  if (bytes === undefined) throw reject('malformed', known, { detail: 'non-canonical base64url' });
  return bytes;
}
