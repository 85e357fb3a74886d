import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from './base64url.js';

describe('base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('encodes as node does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });

  it('refuses non-canonical forms: impossible lengths, stray bits, padding, other characters', () => {
    expect(decodeBase64url('A')).toBeUndefined();
    expect(decodeBase64url('AB')).toBeUndefined(); // 'AA' is the canonical form of one zero byte
    expect(decodeBase64url('AA==')).toBeUndefined();
    expect(decodeBase64url('A+A')).toBeUndefined();
    expect(decodeBase64url('AA')).toEqual(new Uint8Array([0]));
  });
});
