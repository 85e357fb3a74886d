import { COMPACT_JWS_PATTERN, MAX_TOKEN_LENGTH } from '@n8n-embed/protocol';
import { decodeBase64url } from '../internal/base64url.js';
import { reject } from './reject.js';

export interface TokenParts {
  readonly header: Uint8Array<ArrayBuffer>;
  readonly payload: Uint8Array<ArrayBuffer>;
  readonly signature: Uint8Array<ArrayBuffer>;
  /** `base64url(header).base64url(payload)` as bytes: what the signature covers. */
  readonly signingInput: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

/**
 * Stage 1, before anything is decoded: exactly one non-empty string, at most 4096 characters, three
 * canonical base64url segments and nothing else (no whitespace, padding or trailing newline).
 */
export function splitToken(token: unknown): TokenParts {
  if (typeof token !== 'string' || token === '')
    throw reject('malformed', {}, { message: 'token is required' });
  if (token.length > MAX_TOKEN_LENGTH)
    throw reject('too_large', {}, { detail: `longer than ${MAX_TOKEN_LENGTH}` });
  if (!COMPACT_JWS_PATTERN.test(token)) throw reject('malformed', {}, { detail: 'not a compact JWS' });
  const [h = '', p = '', s = ''] = token.split('.');
  const header = decodeBase64url(h);
  const payload = decodeBase64url(p);
  const signature = decodeBase64url(s);
  if (!header || !payload || !signature) throw reject('malformed', {}, { detail: 'non-canonical base64url' });
  return { header, payload, signature, signingInput: encoder.encode(`${h}.${p}`) };
}
