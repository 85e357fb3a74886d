import { describe, expect, it } from 'vitest';
import { asyncMessageOf, messageOf } from '../test/support/error-message.js';
import { generateKeyPair } from './generate-key-pair.js';
import { trustedKeyEntry, updateTrustedKeys } from './trusted-key-entry.js';

const issuer = 'https://portal.example.com';
const audience = 'https://n8n.example.com';

describe('trustedKeyEntry', () => {
  it('refuses a private key, a key without kid or alg, and a key that does not fit its alg', async () => {
    const pair = await generateKeyPair({ kid: 'k', alg: 'ES256' });
    expect(
      await asyncMessageOf(() => trustedKeyEntry({ publicJwk: { ...pair.privateJwk }, issuer, audience })),
    ).toBe('publicJwk: must be a public key, not private or symmetric material');
    const { kid: _kid, ...noKid } = pair.publicJwk;
    expect(await asyncMessageOf(() => trustedKeyEntry({ publicJwk: noKid, issuer, audience }))).toBe(
      'publicJwk: needs a "kid"',
    );
    expect(
      await asyncMessageOf(() =>
        trustedKeyEntry({ publicJwk: { ...pair.publicJwk, alg: 'ES384' }, issuer, audience }),
      ),
    ).toBe('publicJwk: a EC P-256 key cannot verify ES384 (it needs EC P-384)');
  });
});

describe('updateTrustedKeys', () => {
  it('rotates: adds a key next to the existing ones, then retires the old one', async () => {
    const [old, next] = await Promise.all([generateKeyPair({ kid: 'old' }), generateKeyPair({ kid: 'new' })]);
    const first = [await trustedKeyEntry({ publicJwk: old.publicJwk, issuer, audience })];
    const both = updateTrustedKeys(first, {
      add: await trustedKeyEntry({ publicJwk: next.publicJwk, issuer, audience }),
    });
    expect(both.map((entry) => ('kid' in entry ? entry.kid : ''))).toEqual(['old', 'new']);
    expect(
      updateTrustedKeys(both, { removeKid: 'old' }).map((entry) => ('kid' in entry ? entry.kid : '')),
    ).toEqual(['new']);
    expect(messageOf(() => updateTrustedKeys(both, { add: both[0] }))).toBe(
      'trusted keys: entry 2 (kid "old"): kid is already used for issuer "https://portal.example.com"',
    );
    expect(messageOf(() => updateTrustedKeys(both, { removeKid: 'missing' }))).toBe(
      'removeKid: no entry has kid "missing"',
    );
  });
});
