import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key.js';

describe('clientKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:c000:0207', '192.0.2.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2:0:0:0:0/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:0:0:0:0/64'],
    ['[2001:db8:1:2::1]', '2001:db8:1:2:0:0:0:0/64'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:0/64'],
    ['::1', '0:0:0:0:0:0:0:0/64'],
    ['2001:db8::1.2.3.4', '2001:db8:0:0:0:0:0:0/64'],
  ])('%s → %s', (address, key) => {
    expect(clientKey(address, 64)).toBe(key);
  });

  it('honours the configured prefix', () => {
    expect(clientKey('2001:db8:1:2::1', 48)).toBe('2001:db8:1:0:0:0:0:0/48');
    expect(clientKey('2001:db8:1:2::1', 56)).toBe(clientKey('2001:db8:1:ff::1', 56));
    expect(clientKey('2001:db8:1:2::1', 128)).toBe('2001:db8:1:2:0:0:0:1/128');
  });

  it.each([
    undefined,
    '',
    'unknown',
    '1:2:3',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    'g::1',
    '300.1.1.1',
    '::ffff:1.2.3.400',
  ])('no key for %j', (address) => {
    expect(clientKey(address, 64)).toBeUndefined();
  });

  it('every address of one /64 shares a key, for any interface id', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }), (tail) => {
        const address = `2001:db8:aa:bb:${tail.map((group) => group.toString(16)).join(':')}`;
        expect(clientKey(address, 64)).toBe('2001:db8:aa:bb:0:0:0:0/64');
      }),
    );
  });
});
