import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, decodeBase64urlSegment, encodeBase64url } from './base64url.js';

const base64urlText = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  maxLength: 64,
});

describe('base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
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

  it('the segment decoder (native on Node) gives the same verdict and bytes on every base64url text', () => {
    fc.assert(
      fc.property(base64urlText, (text) => {
        const portable = decodeBase64url(text);
        const segment = decodeBase64urlSegment(text);
        expect(segment === undefined ? undefined : new Uint8Array(segment)).toEqual(portable);
      }),
      { numRuns: 2000 },
    );
  });
});
