import { decodeBase64url } from '@n8n-embed/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64urlSegment } from './base64url.js';

const base64urlText = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  maxLength: 64,
});

describe('decodeBase64urlSegment', () => {
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
