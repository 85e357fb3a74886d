import { describe, expect, it } from 'vitest';
import { describeReplayStoreConformance } from '../testing.js';
import { createMemoryReplayStore } from './memory-store.js';

describeReplayStoreConformance('memory', async () => createMemoryReplayStore());

// Keys are hex SHA-256 in practice; the store keeps their first 128 bits, so vary the front.
const key = (n: number): string => n.toString(16).padEnd(64, '0');
const T = 1_790_000_000_000;

describe('createMemoryReplayStore', () => {
  it('fails closed when full of live entries, and never evicts one', async () => {
    const store = createMemoryReplayStore({ maxEntries: 3 });
    for (let n = 0; n < 3; n++)
      expect(await store.consume({ key: key(n), now: T, expiresAt: T + 90_000 })).toBe(true);
    await expect(store.consume({ key: key(9), now: T, expiresAt: T + 90_000 })).rejects.toThrow('full');
    expect(await store.consume({ key: key(0), now: T, expiresAt: T + 90_000 })).toBe(false);
  });

  it('makes room by sweeping expired entries', async () => {
    const store = createMemoryReplayStore({ maxEntries: 2 });
    await store.consume({ key: key(1), now: T, expiresAt: T + 1000 });
    await store.consume({ key: key(2), now: T, expiresAt: T + 1000 });
    expect(await store.consume({ key: key(3), now: T + 5000, expiresAt: T + 90_000 })).toBe(true);
    expect(store.size).toBe(1);
  });

  it('sweeps expired entries as time passes', async () => {
    const store = createMemoryReplayStore();
    for (let n = 0; n < 100; n++) await store.consume({ key: key(n), now: T, expiresAt: T + 90_000 });
    await store.consume({ key: key(500), now: T + 120_000, expiresAt: T + 210_000 });
    expect(store.size).toBe(1);
  });

  it('does not revive a consumed key when the clock steps back', async () => {
    const store = createMemoryReplayStore();
    await store.consume({ key: key(1), now: T, expiresAt: T + 90_000 });
    expect(await store.consume({ key: key(1), now: T - 120_000, expiresAt: T - 30_000 })).toBe(false);
  });

  it('refuses a nonsensical size', () => {
    expect(() => createMemoryReplayStore({ maxEntries: 0 })).toThrow(/^maxEntries: /);
  });
});
