// Unpadded base64url, canonical forms only: the one codec of the JWS parts both sides read.
// RFC 4648 §5.
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
    const value = base64urlValue(input.charCodeAt(i));
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

/** The value of one base64url character, or -1. */
export function base64urlValue(code: number): number {
  return code < 128 ? (VALUES[code] ?? -1) : -1;
}

/** Unpadded base64url of any bytes. */
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
