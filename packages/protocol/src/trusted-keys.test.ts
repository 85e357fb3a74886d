import { describe, expect, it } from 'vitest';
import { EmbedLoginError } from './errors.js';
import { normaliseTrustedKeys, parseTrustedKeys } from './trusted-keys.js';

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----';
const entry = {
  type: 'static',
  kid: 'portal-2026-11',
  algorithms: ['ES256'],
  key: PEM,
  issuer: 'https://portal.example.com',
  expectedAudience: 'https://n8n.example.com',
};

function errorOf(input: unknown): EmbedLoginError {
  try {
    parseTrustedKeys(input);
  } catch (error) {
    if (error instanceof EmbedLoginError) return error;
    throw error;
  }
  throw new Error('parseTrustedKeys accepted the input');
}

describe('parseTrustedKeys', () => {
  it('reads static and jwks sources from JSON text', () => {
    const jwks = {
      type: 'jwks',
      url: 'https://portal.example.com/jwks.json',
      issuer: 'https://portal.example.com',
    };
    expect(parseTrustedKeys(JSON.stringify([entry, jwks]))).toEqual([entry, jwks]);
  });

  it('allows one kid under two issuers', () => {
    const other = { ...entry, issuer: 'https://other.example.com' };
    expect(parseTrustedKeys([entry, other])).toHaveLength(2);
  });

  it.each([
    ['not JSON', '[{', 'trusted keys: not valid JSON'],
    ['not an array', { keys: [] }, 'trusted keys: must be a JSON array of key sources'],
    [
      'a duplicate (kid, issuer)',
      [entry, entry],
      'trusted keys: entry 1 (kid "portal-2026-11"): kid is already used for issuer "https://portal.example.com"',
    ],
    ['an unknown type', [{ ...entry, type: 'x509' }], 'entry 0 (kid "portal-2026-11"): field "type"'],
    ['a misspelt field', [{ ...entry, expectedAudiance: 'x' }], 'unknown field(s) "expectedAudiance"'],
    ['no algorithms', [{ ...entry, algorithms: [] }], 'field "algorithms"'],
    ['HS256', [{ ...entry, algorithms: ['HS256'] }], 'field "algorithms.0"'],
    ['mixed families', [{ ...entry, algorithms: ['ES256', 'RS256'] }], 'must all be of one family'],
    ['a private key', [{ ...entry, key: '-----BEGIN PRIVATE KEY-----' }], 'must be an SPKI PEM public key'],
    ['a bad kid', [{ ...entry, kid: '../etc/passwd' }], 'entry 0: field "kid"'],
    ['a relative issuer', [{ ...entry, issuer: 'portal' }], 'field "issuer": must be an absolute URL'],
  ])('refuses %s, naming the entry and field', (_, input, message) => {
    const error = errorOf(input);
    expect(error.reason).toBe('config_invalid');
    expect(error.message).toContain(message);
  });

  it('never echoes key material in a message', () => {
    const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
    const error = errorOf([{ ...entry, key: `-----BEGIN PRIVATE KEY-----\n${secret}` }]);
    expect(error.message).not.toContain(secret);
  });
});

describe('normaliseTrustedKeys: every form of trusted key, one list', () => {
  const issuer = 'https://portal.example.com';
  const ecJwk = {
    kty: 'EC',
    crv: 'P-256',
    x: 'MfrE8vMuSZh-Z-3T3tIkIkM25FrGhSQYddQF0dQVZ2c',
    y: 't-1zBj_FpgxDzXuaChPlL4r4Qip1JAg4HoN3qIDy0K4',
  };
  const messageOf = (input: unknown, source = 'trustedKeys'): string => {
    try {
      normaliseTrustedKeys(input, { source });
    } catch (error) {
      if (error instanceof EmbedLoginError && error.reason === 'config_invalid') return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('reads n8n entries and direct JWK, JWKS and PEM entries into one shape, defaults applied', () => {
    const list = normaliseTrustedKeys([
      entry,
      { jwk: { ...ecJwk, kid: 'from-jwk' }, issuer },
      {
        jwks: {
          keys: [
            { ...ecJwk, kid: 'a' },
            { ...ecJwk, kid: 'b', alg: 'ES256' },
          ],
        },
        issuer,
      },
      { pem: PEM, kid: 'pem-key', algorithms: ['ES256'], issuer, requireVerifiedEmail: false },
      { type: 'jwks', url: 'https://portal.example.com/jwks.json', issuer: 'https://other.example.com' },
    ]);
    expect(list.map((key) => (key.type === 'static' ? key.kid : key.url))).toEqual([
      'portal-2026-11',
      'from-jwk',
      'a',
      'b',
      'pem-key',
      'https://portal.example.com/jwks.json',
    ]);
    expect(list[1]).toEqual({
      type: 'static',
      kid: 'from-jwk',
      algorithms: ['ES256'],
      material: { jwk: { ...ecJwk, kid: 'from-jwk' } },
      issuer,
      requireVerifiedEmail: true,
    });
    expect(list[4]).toMatchObject({ material: { pem: PEM }, requireVerifiedEmail: false });
  });

  it('checks (kid, issuer) once over every form, and names the option and the entry', () => {
    expect(messageOf([entry, { jwk: { ...ecJwk, kid: 'portal-2026-11' }, issuer }])).toBe(
      'trustedKeys: entry 1: kid is already used for issuer "https://portal.example.com"',
    );
    expect(
      messageOf([
        { jwk: { ...ecJwk, kid: 'k' }, issuer: 'https://other.example.com' },
        { ...entry, kid: 'k' },
      ]),
    ).toBe('accepted');
  });

  it('refuses private, symmetric and misfitting keys, and PEMs that are not SPKI, before any import', () => {
    expect(
      messageOf([{ jwk: { ...ecJwk, d: 'HtIHl9xzf6D9VZMjbm_iMkmvGt5Ox_pAzbBId3-MJWY', kid: 'p' }, issuer }]),
    ).toBe('trustedKeys: entry 0: key "p": must be a public key, not private or symmetric material');
    expect(
      messageOf([{ jwk: { kty: 'oct', k: 'c2VjcmV0', kid: 's' }, issuer, algorithms: ['ES256'] }]),
    ).toMatch(/key "s": must be a public key/);
    expect(messageOf([{ jwk: { ...ecJwk, kid: 'e' }, algorithms: ['ES384'], issuer }])).toBe(
      'trustedKeys: entry 0: key "e": a EC P-256 key cannot verify ES384 (it needs EC P-384)',
    );
    expect(
      messageOf([
        {
          pem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
          kid: 'k',
          algorithms: ['ES256'],
          issuer,
        },
      ]),
    ).toMatch(/^trustedKeys: entry 0 \(kid "k"\): field "pem": must be an SPKI PEM public key/);
    expect(messageOf([{ jwk: { kty: 'OKP', crv: 'X25519', x: 'AA', kid: 'x' }, issuer }])).toBe(
      'trustedKeys: entry 0: key "x": no algorithm given or inferable',
    );
    expect(messageOf([{ jwk: ecJwk, issuer }])).toBe(
      'trustedKeys: entry 0: a JWK needs a kid (in the JWK or the entry)',
    );
    expect(messageOf('{', 'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS')).toBe(
      'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: not valid JSON',
    );
  });
});
