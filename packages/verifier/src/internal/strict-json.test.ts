// The duplicate-member rule on generated JSON texts whose answer is known by construction: objects are
// written from members with distinct names, and some repeat one of their names (spelled the same or
// with \u escapes); whitespace, escaped quotes and colons inside strings try to mislead a scanner.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDuplicateMember, parseJsonObject } from './strict-json.js';

const tricky = ['a', 'b', 'iss', '__proto__', 'a"b', 'a\\', '\\"', ':', '":', ''];
const name = fc.oneof(fc.constantFrom(...tricky), fc.string({ maxLength: 4 }));
const space = fc.constantFrom('', ' ', '\n', '\t ', '\r\n');
const leaf = fc
  .oneof(
    fc.string({ maxLength: 5 }),
    fc.constantFrom(...tricky),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  )
  .map((value) => JSON.stringify(value));
const spelled = (text: string, escaped: boolean): string =>
  escaped
    ? `"${[...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
    : JSON.stringify(text);

interface Written {
  readonly text: string;
  readonly repeats: boolean;
}

const json: fc.Arbitrary<Written> = fc.letrec<{ value: Written; array: Written; object: Written }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf.map((text) => ({ text, repeats: false })),
    tie('array'),
    tie('object'),
  ),
  array: fc.tuple(fc.array(tie('value'), { maxLength: 4 }), space).map(([items, s]) => ({
    text: `[${s}${items.map((item) => item.text).join(`,${s}`)}${s}]`,
    repeats: items.some((item) => item.repeats),
  })),
  object: fc
    .tuple(
      fc.uniqueArray(fc.tuple(name, tie('value'), fc.boolean()), { selector: ([key]) => key, maxLength: 5 }),
      space,
      fc.boolean(),
    )
    .map(([members, s, repeat]) => {
      const written = members.map(
        ([key, value, escaped]) => `${spelled(key, escaped)}${s}:${s}${value.text}`,
      );
      const first = members[0];
      const repeats = repeat && first !== undefined;
      if (first !== undefined && repeat) written.push(`${spelled(first[0], !first[2])}:${first[1].text}`);
      return {
        text: `{${s}${written.join(`,${s}`)}${s}}`,
        repeats: repeats || members.some(([, value]) => value.repeats),
      };
    }),
})).value;

describe('hasDuplicateMember', () => {
  it('finds a repeated member name at any depth, however it is spelled, and nothing else', () => {
    fc.assert(
      fc.property(json, ({ text, repeats }) => {
        expect(hasDuplicateMember(text)).toBe(repeats);
        expect(hasDuplicateMember(text, JSON.parse(text))).toBe(repeats);
      }),
      { numRuns: 5_000 },
    );
  });

  it('parseJsonObject refuses an object naming a member twice', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(parseJsonObject(bytes('{"sub":"a","sub":"b"}'))).toBeUndefined();
    expect(parseJsonObject(bytes('{"sub":"a","s\\u0075b":"b"}'))).toBeUndefined();
    expect(parseJsonObject(bytes('{"a":{"x":1,"x":2}}'))).toBeUndefined();
    expect(parseJsonObject(bytes('{"a":"\\":","b":[{"a":1}]}'))).toEqual({ a: '":', b: [{ a: 1 }] });
  });
});

describe('parseJsonObject', () => {
  // The rule without the early refusal of unbraced bytes: decode strictly, parse, an object, no repeats.
  const model = (bytes: Uint8Array): unknown => {
    try {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      const value = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      return hasDuplicateMember(text, value) ? undefined : value;
    } catch {
      return undefined;
    }
  };
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('gives the answer of decode-then-parse on any bytes and near-JSON text', () => {
    const nearJson = fc
      .tuple(space, json, space, fc.constantFrom('', '{', '}', ',', '\ufeff', ' x'))
      .map(([before, { text }, after, junk]) => `${before}${text}${after}${junk}`);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }),
          nearJson.map(encode),
          fc.string({ maxLength: 20 }).map((text) => encode(`{${text}}`)),
          fc.constantFrom('{}', ' {} ', '\ufeff{}', '[{}]', '{', '}', '{"a":1}\n', '"{}"').map(encode),
        ),
        (bytes) => {
          expect(parseJsonObject(bytes)).toEqual(model(bytes));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
