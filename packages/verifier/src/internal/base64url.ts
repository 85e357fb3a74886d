import { base64urlValue, decodeBase64url } from '@n8n-embed/protocol';

// Node's native decoder, where there is one (found on the global, so this module imports nothing
// from node: and still runs on every runtime).
const NativeBuffer = (globalThis as { Buffer?: typeof import('node:buffer').Buffer }).Buffer;

/**
 * `decodeBase64url` for input already known to hold only base64url characters (a token segment that
 * passed the compact-JWS pattern): the same canonical-form rules, decoded natively when possible.
 */
export function decodeBase64urlSegment(input: string): Uint8Array<ArrayBuffer> | undefined {
  if (NativeBuffer === undefined) return decodeBase64url(input);
  const remainder = input.length % 4;
  if (remainder === 1) return undefined;
  // The unused low bits of the last character (4 of them after 2 characters, 2 after 3) must be zero.
  const last = base64urlValue(input.charCodeAt(input.length - 1));
  if (remainder !== 0 && (last & (remainder === 2 ? 0xf : 0x3)) !== 0) return undefined;
  return NativeBuffer.from(input, 'base64url') as Uint8Array<ArrayBuffer>;
}
