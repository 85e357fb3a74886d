// The memory store's table against the simplest correct store with the same rules: a Map of 128-bit
// ids (the store it replaced, kept here as the model). Every answer, refusal and size must agree on
// generated sequences: random and look-alike keys (equal in their first 128 bits), keys that are not
// hex, a clock that jumps and steps back, expired entries taken again, a full store, sweeps, growth.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplayEntry } from '../types.js';
import { createMemoryReplayStore, syncConsumeOf } from './memory-store.js';

function modelStore(maxEntries: number) {
  const entries = new Map<string, number>();
  let lastSweep = Number.NEGATIVE_INFINITY;
  const idOf = (key: string): string => {
    let id = '';
    for (let i = 0; i < 32; i += 4) id += String.fromCharCode(Number.parseInt(key.slice(i, i + 4), 16));
    return id;
  };
  return {
    get size(): number {
      return entries.size;
    },
    consume({ key, expiresAt, now }: ReplayEntry): boolean {
      const id = idOf(key);
      const nowSeconds = Math.floor(now / 1000);
      const expiry = entries.get(id);
      if (expiry !== undefined && nowSeconds < expiry) return false;
      const full = entries.size >= maxEntries && expiry === undefined;
      if (now - lastSweep >= 30_000 || (full && now - lastSweep >= 1000)) {
        lastSweep = now;
        for (const [k, e] of entries) if (nowSeconds >= e) entries.delete(k);
      }
      if (entries.size >= maxEntries && !entries.has(id)) throw new Error('memory replay store is full');
      entries.set(id, Math.ceil(expiresAt / 1000));
      return true;
    },
  };
}

const T = 1_790_000_000_000;
const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
// Keys from a few 32-bit words, so that ids equal in some words and not in others are common.
const wordKey = fc
  .array(fc.constantFrom('00000000', 'ffffffff', '12345678', '9abcdef0'), { minLength: 8, maxLength: 8 })
  .map((words) => words.join(''));
// Keys that are not (all) hex: each 16 bits read as `parseInt` reads four characters.
const looseKey = fc
  .array(fc.constantFrom('0000', 'ffff', 'zz12', '12zz', '-1  ', '0x1f', '    ', 'ABCD', ''), {
    minLength: 1,
    maxLength: 9,
  })
  .map((chunks) => chunks.join(''));
// Look-alikes share the first 32 hex digits (one id) and differ after them.
const key = fc.oneof(
  { weight: 4, arbitrary: hex },
  { weight: 3, arbitrary: wordKey },
  { weight: 2, arbitrary: looseKey },
  {
    weight: 1,
    arbitrary: fc.constantFrom(`${'ab'.repeat(16)}${'0'.repeat(32)}`, `${'ab'.repeat(16)}${'f'.repeat(32)}`),
  },
);
const step = fc.record({
  key,
  reuse: fc.nat(),
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: -60_000, max: 120_000 })),
  lifeMs: fc.integer({ min: -5_000, max: 150_000 }),
});

type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** The same steps through the store (its synchronous check-and-set) and the model, compared each time. */
function run(maxEntries: number, steps: readonly Step[]): void {
  const store = createMemoryReplayStore({ maxEntries });
  const consume = syncConsumeOf(store);
  if (consume === undefined) throw new Error('a memory store as made answers synchronously');
  const model = modelStore(maxEntries);
  const answer = (decide: () => boolean): boolean | string => {
    try {
      return decide();
    } catch (error) {
      return (error as Error).message;
    }
  };
  const used: string[] = [];
  let now = T;
  for (const { key: fresh, reuse, advanceMs, lifeMs } of steps) {
    now += advanceMs;
    const k = used.length > 0 && reuse % 3 === 0 ? (used[reuse % used.length] as string) : fresh;
    used.push(k);
    const entry = { key: k, now, expiresAt: now + lifeMs };
    expect(answer(() => consume(entry))).toBe(answer(() => model.consume(entry)));
    expect(store.size).toBe(model.size);
  }
}

describe('memory store table against the Map model', () => {
  it('agrees on small stores: full, sweeps, expiry, look-alike and non-hex keys', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.array(step, { maxLength: 80 }), run), {
      numRuns: 1_500,
    });
  });

  it('agrees while the table grows past its first size and sweeps shrink it', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1_500, maxLength: 3_000 }), (steps) => run(2_000, steps)),
      { numRuns: 15, endOnFailure: true },
    );
  });

  it('tells ids apart that differ in one 32-bit word only, wherever their probes meet', () => {
    for (let word = 0; word < 4; word++) {
      const store = createMemoryReplayStore();
      const consume = syncConsumeOf(store);
      const keys = Array.from({ length: 1_500 }, (_, n) => {
        const words = ['01234567', '89abcdef', 'fedcba98', '76543210'];
        words[word] = n.toString(16).padStart(8, '0');
        return `${words.join('')}${'0'.repeat(32)}`;
      });
      for (const k of keys) expect(consume?.({ key: k, now: T, expiresAt: T + 90_000 })).toBe(true);
      for (const k of keys) expect(consume?.({ key: k, now: T, expiresAt: T + 90_000 })).toBe(false);
      expect(store.size).toBe(keys.length);
    }
  });
});
