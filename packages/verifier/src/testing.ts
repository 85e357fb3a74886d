// A conformance suite every ReplayStore must pass (memory, Redis, or your own). It uses vitest's
// `describe`/`it`/`expect`, so import it from a vitest test file only:
//   describeReplayStoreConformance('my store', async () => createMyStore());
import { afterEach, describe, expect, it } from 'vitest';
import { conformanceKey } from './replay/conformance-key.js';
import type { ReplayEntry, ReplayStore } from './types.js';

export interface ConformanceOptions {
  /** Called after each test with the store it created (e.g. to flush a shared backend). */
  readonly cleanup?: (store: ReplayStore) => Promise<void>;
}

export function describeReplayStoreConformance(
  name: string,
  createStore: () => Promise<ReplayStore>,
  options: ConformanceOptions = {},
): void {
  describe(`ReplayStore conformance: ${name}`, () => {
    const created: ReplayStore[] = [];
    const make = async (): Promise<ReplayStore> => {
      const store = await createStore();
      created.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of created.splice(0)) {
        await options.cleanup?.(store);
        await store.close?.();
      }
    });

    const now = Date.now();
    const entry = (key = conformanceKey(), at = now): ReplayEntry => ({
      key,
      now: at,
      expiresAt: at + 120_000,
    });

    it('accepts a key once, then refuses it', async () => {
      const store = await make();
      const first = entry();
      expect(await store.consume(first)).toBe(true);
      expect(await store.consume(first)).toBe(false);
      expect(await store.consume({ ...first, now: first.now + 1000 })).toBe(false);
    });

    it('keeps keys independent', async () => {
      const store = await make();
      expect(await store.consume(entry())).toBe(true);
      expect(await store.consume(entry())).toBe(true);
    });

    it('lets exactly one of 50 parallel consumes of one key succeed', async () => {
      const store = await make();
      const same = entry();
      const results = await Promise.all(Array.from({ length: 50 }, () => store.consume(same)));
      expect(results.filter((result) => result === true)).toHaveLength(1);
    });

    it('remembers a key until just before its expiry', async () => {
      const store = await make();
      const first = entry();
      expect(await store.consume(first)).toBe(true);
      expect(await store.consume({ ...first, now: first.expiresAt - 1000 })).toBe(false);
    });

    it('answers only true or false, never anything else', async () => {
      const store = await make();
      const results = await Promise.all([store.consume(entry()), store.consume(entry())]);
      for (const result of results) expect(typeof result).toBe('boolean');
    });
  });
}
