import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayText, hasHiddenCharacters } from './untrusted-text.js';

const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('displayText', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', '\\u{1b}[31mred\\u{1b}[0m'],
    ['a\r\nforged: line', 'a\\u{d}\\u{a}forged: line'],
    ['\u202egnp.exe', '\\u{202e}gnp.exe'],
    ['zero\u200bwidth', 'zero\\u{200b}width'],
    ['line\u2028sep', 'line\\u{2028}sep'],
    ['c1\u009bcsi', 'c1\\u{9b}csi'],
    ['lone\ud800', 'lone\\u{d800}'],
  ])('escapes %j', (input, expected) => {
    expect(displayText(input)).toBe(expected);
    expect(hasHiddenCharacters(input)).toBe(true);
  });

  it('keeps printable text of any script', () => {
    for (const text of ['Ada Lovelace', 'Żaneta', '渡辺', 'مهدی', '🙂 ok']) {
      expect(displayText(text)).toBe(text);
      expect(hasHiddenCharacters(text)).toBe(false);
    }
  });

  it('bounds the length in code points', () => {
    expect(displayText('x'.repeat(100))).toBe(`${'x'.repeat(64)}…`);
    expect(displayText('🙂'.repeat(10), 3)).toBe('🙂🙂🙂…');
  });

  it('never lets a hidden character or more than the bound through, for any input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (s, max) => {
          const out = displayText(s, max);
          expect(HIDDEN.test(out)).toBe(false);
          // Each kept code point becomes at most 10 characters (\u{10ffff}), plus the ellipsis.
          expect(out.length).toBeLessThanOrEqual(max * 10 + 1);
        },
      ),
    );
  });
});
