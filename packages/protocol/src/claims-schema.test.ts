import { describe, expect, it } from 'vitest';
import { VALID_CLAIMS } from '../test/valid-claims.js';
import { claimsSchemaFor, loginClaimsSchema, n8nLoginClaimsSchema } from './claims-schema.js';

const valid = VALID_CLAIMS;

function fails(claims: unknown, profile: 'strict' | 'n8n' = 'strict'): string[] {
  const result = claimsSchemaFor(profile).safeParse(claims);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('text rules (strict)', () => {
  // One of each kind a name or id could hide: C0, DEL, C1, bidi controls, zero-width and other
  // invisible format characters, line and paragraph separators, a lone surrogate.
  const hidden = [
    '\u0000',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u009b',
    '\u061c',
    '\u200b',
    '\u200e',
    '\u202e',
    '\u2066',
    '\u2028',
    '\u2029',
    '\u00ad',
    '\u2060',
    '\ufeff',
    '\u{e0041}',
    '\ud800',
  ];

  it.each(hidden)('refuses U+%s in sub and names', (char) => {
    for (const claim of ['sub', 'given_name', 'family_name']) {
      expect(fails({ ...valid, [claim]: `ad${char}a` })).toEqual([claim]);
    }
  });

  it('keeps the joiners that scripts and emoji need in names, never in sub', () => {
    expect(fails({ ...valid, given_name: 'می\u200cخواهم', family_name: '👩\u200d💻' })).toEqual([]);
    expect(fails({ ...valid, sub: 'a\u200cb' })).toEqual(['sub']);
    expect(fails({ ...valid, given_name: 'Żaneta', family_name: '渡辺', sub: 'user-ß' })).toEqual([]);
  });

  it('profile n8n takes names and sub as n8n does', () => {
    expect(fails({ ...valid, sub: 'a\u200bb', given_name: 'x\u2028y' }, 'n8n')).toEqual([]);
  });
});

describe('loginClaimsSchema', () => {
  it('accepts a minimal token and drops unknown claims', () => {
    expect(loginClaimsSchema.parse({ ...valid, extra: 1 })).toEqual(valid);
  });

  it.each([
    ['payload []', []],
    ['payload "str"', 'str'],
    ['payload null', null],
  ])('refuses %s', (_, payload) => {
    expect(loginClaimsSchema.safeParse(payload).success).toBe(false);
  });

  it.each([
    ['exp as a string', { exp: '1790000030' }, 'exp'],
    ['exp as a float', { exp: 1_790_000_030.5 }, 'exp'],
    ['exp 1e400', { exp: Number.POSITIVE_INFINITY }, 'exp'],
    ['exp negative', { exp: -1 }, 'exp'],
    ['exp beyond a safe integer', { exp: 2 ** 60 }, 'exp'],
    ['iat missing', { iat: undefined }, 'iat'],
    ['jti missing', { jti: undefined }, 'jti'],
    ['jti empty', { jti: '' }, 'jti'],
    ['jti of 256 chars', { jti: 'j'.repeat(256) }, 'jti'],
    ['iss as an array', { iss: ['https://portal.example.com'] }, 'iss'],
    ['iss not a URL', { iss: 'portal' }, 'iss'],
    ['iss not http(s)', { iss: 'javascript:alert(1)' }, 'iss'],
    ['aud with two entries', { aud: ['a', 'b'] }, 'aud'],
    ['sub empty', { sub: '' }, 'sub'],
    ['sub with a newline', { sub: 'a\nb' }, 'sub'],
    ['sub of 256 chars', { sub: 's'.repeat(256) }, 'sub'],
    ['email invalid', { email: 'not-an-email' }, 'email'],
    ['email of 255 chars', { email: `${'a'.repeat(243)}@example.com` }, 'email'],
    ['email_verified as a string', { email_verified: 'true' }, 'email_verified'],
    ['given_name of 33 chars', { given_name: 'g'.repeat(33) }, 'given_name'],
    ['family_name with a bidi override', { family_name: 'abc\u202edef' }, 'family_name'],
    ['role global:owner', { role: 'global:owner' }, 'role'],
    ['role as an array', { role: ['global:member'] }, 'role'],
    ['nbf as a float', { nbf: 1.5 }, 'nbf'],
  ])('refuses %s', (_, change, path) => {
    expect(fails({ ...valid, ...change })).toEqual([path]);
  });

  it('accepts the optional claims', () => {
    const full = {
      ...valid,
      nbf: valid.iat,
      email: 'ada@example.com',
      email_verified: true,
      given_name: 'Ada',
      family_name: 'Lovelace',
      role: 'global:member',
    };
    expect(loginClaimsSchema.parse(full)).toEqual(full);
  });
});

describe('n8nLoginClaimsSchema (the documented widening)', () => {
  it('accepts an aud array, string email_verified and long names', () => {
    const claims = n8nLoginClaimsSchema.parse({
      ...valid,
      aud: ['https://n8n.example.com', 'other'],
      email_verified: 'false',
      given_name: 'g'.repeat(40),
      role: 'global:owner',
    });
    expect(claims).toMatchObject({ aud: ['https://n8n.example.com', 'other'], email_verified: false });
  });

  it('keeps every other rule', () => {
    expect(fails({ ...valid, exp: 1.5 }, 'n8n')).toEqual(['exp']);
    expect(fails({ ...valid, jti: undefined }, 'n8n')).toEqual(['jti']);
    expect(fails({ ...valid, iss: ['x'] }, 'n8n')).toEqual(['iss']);
    expect(fails({ ...valid, aud: [] }, 'n8n')).toEqual(['aud']);
  });
});
