import { describe, expect, it } from 'vitest';
import { EmbedLoginError } from './errors.js';
import { parseTrustedKeys } from './trusted-keys.js';

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
