import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('gives each client its own window', () => {
    let now = 0;
    const limiter = createRateLimiter(2, () => now);
    expect([limiter.allow('a'), limiter.allow('a'), limiter.allow('a')]).toEqual([true, true, false]);
    now = 30_000;
    expect(limiter.allow('b')).toBe(true);
    now = 60_000; // a's window ended, b's has not
    expect([limiter.allow('a'), limiter.allow('b'), limiter.allow('b')]).toEqual([true, true, false]);
  });

  it('a flood of new clients never resets a limited client, and memory stays bounded', () => {
    let now = 0;
    const limiter = createRateLimiter(20, () => now, 1000);
    for (let i = 0; i < 21; i++) limiter.allow('victim');
    expect(limiter.allow('victim')).toBe(false);
    for (let i = 0; i < 100_000; i++) {
      now += 0.1;
      limiter.allow(`flood-${i}`);
    }
    expect(limiter.size).toBeLessThanOrEqual(1000);
    now = 59_000;
    expect(limiter.allow('victim')).toBe(false);
  });

  it('newcomers past the bound are still limited (hashed buckets), never let through unlimited', () => {
    const limiter = createRateLimiter(5, () => 0, 10);
    for (let i = 0; i < 10; i++) limiter.allow(`resident-${i}`);
    const results = Array.from({ length: 6 }, () => limiter.allow('newcomer'));
    expect(results).toEqual([true, true, true, true, true, false]);
    expect(limiter.size).toBe(10);
  });

  it('ended windows make room again', () => {
    let now = 0;
    const limiter = createRateLimiter(1, () => now, 10);
    for (let i = 0; i < 10; i++) limiter.allow(`old-${i}`);
    now = 61_000;
    expect(limiter.allow('fresh')).toBe(true);
    expect(limiter.size).toBe(1);
  });
});
