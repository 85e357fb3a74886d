import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayKeyText } from './replay-key.js';

// Stores already hold keys hashed from JSON.stringify([iss, jti]): the text must stay that, byte for byte.
describe('replayKeyText', () => {
  it('is JSON.stringify([iss, jti]) for any pair, however the issuer changes', () => {
    const text = fc.oneof(
      fc.constantFrom('https://portal.example.com', '', '"', '\\', '\u2028', '\ud800', '],["x', 'a,b'),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 8 }), (pairs) => {
        for (const [iss, jti] of pairs) expect(replayKeyText(iss, jti)).toBe(JSON.stringify([iss, jti]));
      }),
      { numRuns: 2_000 },
    );
  });
});
