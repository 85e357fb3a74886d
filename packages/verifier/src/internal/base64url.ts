const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes unpadded base64url and refuses every non-canonical form (padding, stray characters, a
 * length no encoder produces, non-zero unused bits in the last character): jose accepts some of
 * these, so two different strings could carry one signature.
 */
export function decodeBase64url(input: string): Uint8Array<ArrayBuffer> | undefined {
  const remainder = input.length % 4;
  if (remainder === 1) return undefined;
  const out = new Uint8Array(Math.floor((input.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    const value = code < 128 ? (VALUES[code] ?? -1) : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits of the last character must be zero, or the encoding is not the canonical one.
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

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
  const last = VALUES[input.charCodeAt(input.length - 1)] ?? -1;
  if (remainder !== 0 && (last & (remainder === 2 ? 0xf : 0x3)) !== 0) return undefined;
  return NativeBuffer.from(input, 'base64url') as Uint8Array<ArrayBuffer>;
}

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET.charAt(n >> 18) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] ?? 0) << 16) | (rest === 2 ? (bytes[i + 1] ?? 0) << 8 : 0);
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
    if (rest === 2) out += ALPHABET.charAt((n >> 6) & 63);
  }
  return out;
}
