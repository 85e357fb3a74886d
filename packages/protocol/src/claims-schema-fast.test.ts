import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VALID_CLAIMS } from '../test/valid-claims.js';
import { acceptLoginClaims, loginClaimsSchema } from './claims-schema.js';
import { VECTORS } from './vectors.js';

// acceptLoginClaims is the strict schema written out for the verifier's hot path: it must give the
// schema's verdict on every input, and on acceptance the very claims the schema returns (same members,
// same order, same values, -0 included).

const valid = VALID_CLAIMS;

function agree(input: unknown): void {
  const fast = acceptLoginClaims(input);
  const schema = loginClaimsSchema.safeParse(input);
  expect(fast !== undefined, JSON.stringify(input)).toBe(schema.success);
  if (schema.success && fast !== undefined) {
    expect(fast).toStrictEqual(schema.data);
    expect(Object.keys(fast)).toEqual(Object.keys(schema.data));
  }
}

// Values at and around every rule of the schema: types, lengths, URL forms, hidden characters,
// joiners, emails, integers, the owner role.
const strings = [
  '',
  'a',
  ' ',
  'x'.repeat(32),
  'x'.repeat(33),
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(254),
  'x'.repeat(255),
  'x'.repeat(256),
  `https://${'a'.repeat(2036)}.com`,
  `https://${'a'.repeat(2037)}.com`,
  'https://portal.example.com',
  'http://portal.example.com/base',
  'ftp://portal.example.com',
  'javascript:alert(1)',
  'portal.example.com',
  'HTTPS://PORTAL.EXAMPLE.COM',
  'https://',
  'user@example.com',
  'User.Name+tag@sub.example.co',
  'a@b.c',
  'a@b.cd',
  '.a@b.cd',
  'a..b@c.de',
  'a@-b.cd',
  `${'a'.repeat(243)}@example.com`,
  `${'a'.repeat(242)}@example.com`,
  'global:owner',
  'global:member',
  'Global:Owner',
  'می\u200cخواهم',
  '👩\u200d💻',
  'a\u200cb',
  'a\u200bb',
  'a\u0000b',
  'a\u001bb',
  'a\u007fb',
  'a\u0085b',
  'a\u202eb',
  'a\u2028b',
  'a\u00adb',
  'a\ufeffb',
  'a\ud800b',
  '\u{e0041}',
  'Żaneta',
  '渡辺',
];
const numbers = [
  0,
  -0,
  1,
  -1,
  1.5,
  1_790_000_030,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 60,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
];
const others = [null, true, false, undefined, [], ['https://n8n.example.com'], {}, { a: 1 }, '1790000030'];
const anyValue = fc.constantFrom<unknown>(...strings, ...numbers, ...others);
const members = [
  'iss',
  'sub',
  'aud',
  'iat',
  'exp',
  'jti',
  'nbf',
  'email',
  'email_verified',
  'given_name',
  'family_name',
  'role',
  'extra',
] as const;

describe('acceptLoginClaims', () => {
  it('returns what the schema returns for the vectors and the minimal claim set', () => {
    agree(valid);
    agree({ ...valid, extra: 1, nbf: 1_790_000_000, email: 'a@example.com', email_verified: true });
    agree({ ...valid, given_name: 'Żaneta', family_name: '渡辺', role: 'global:member' });
    for (const vector of VECTORS) if (vector.claims) agree(vector.claims);
  });

  it('gives the schema verdict on payloads that are not objects', () => {
    for (const input of [null, undefined, [], [valid], 'str', 1, true]) agree(input);
  });

  it('reads claims as the schema does: members present with undefined, inherited members', () => {
    agree({ ...valid, nbf: undefined });
    agree({ ...valid, email: undefined });
    agree(Object.assign(Object.create({ email: 'a@example.com' }), valid));
    agree(Object.assign(Object.create({ role: 'global:owner' }), valid));
    agree(Object.assign(Object.create(valid), { extra: 1 }));
  });

  it('agrees with the schema on one changed member, each value at a rule boundary', () => {
    for (const member of members) {
      for (const value of [...strings, ...numbers, ...others]) agree({ ...valid, [member]: value });
      const without: Record<string, unknown> = { ...valid };
      delete without[member];
      agree(without);
    }
  });

  it('agrees with the schema on generated claim sets', () => {
    const claimSet = fc.dictionary(fc.constantFrom(...members), anyValue, { maxKeys: members.length });
    fc.assert(
      fc.property(claimSet, fc.boolean(), (changes, fromValid) => {
        agree(fromValid ? { ...valid, ...changes } : changes);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the schema on arbitrary strings in every text member', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 300 }));
    fc.assert(
      fc.property(fc.constantFrom(...members), text, (member, value) => {
        agree({ ...valid, [member]: value });
        agree({ ...valid, email: `${value}@example.com` });
        agree({ ...valid, iss: `https://${value}` });
      }),
      { numRuns: 5_000 },
    );
  });
});
