import { MAX_REDIRECT_LENGTH, redirectLocation } from '@n8n-embed/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationCache } from './location-cache.js';

const bases = ['https://n8n.example.com/', 'https://example.com/n8n/'].map((url) => new URL(url));

// Paths a portal sends, hostile ones, and far too long ones, often repeated (so answers come from the cache).
const redirectTo = fc.oneof(
  fc.constantFrom(undefined, '', '/', '/home/workflows', '//evil.example', '/%2e%2e/x', 'https:evil'),
  fc.string({ maxLength: 40 }).map((text) => `/${text}`),
  fc.string(),
  fc.constant(`/${'a'.repeat(MAX_REDIRECT_LENGTH)}`),
);

/** Inputs that a careless key (case-folded, trimmed, decoded) would confuse with `input`. */
const lookalikes = (input: string | undefined): (string | undefined)[] =>
  input === undefined
    ? [undefined, '']
    : [input, input.toUpperCase(), ` ${input} `, encodeURI(input), input.replace(/\//g, '%2F')];

describe('locationCache', () => {
  it('answers what redirectLocation answers, for any inputs in any order, across its clearing', () => {
    for (const base of bases) {
      fc.assert(
        fc.property(fc.array(redirectTo, { maxLength: 120 }), (inputs) => {
          const locationFor = locationCache(base);
          const all = inputs.flatMap(lookalikes);
          for (const input of [...all, ...all])
            expect(locationFor(input)).toBe(redirectLocation(base, input));
        }),
        { numRuns: 200 },
      );
    }
  });

  it('keeps answering after more distinct paths than it remembers', () => {
    const [base] = bases as [URL];
    const locationFor = locationCache(base);
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 1_000; i++) expect(locationFor(`/p/${i}`)).toBe(`https://n8n.example.com/p/${i}`);
  });
});
