// The memory replay store under pressure (security.md rules 12–13): a flood of bad tokens never
// reaches it, it stays bounded, fails closed when full, sweeps expired entries, and a clock that
// steps back does not revive a consumed jti.
import { VECTOR_AUDIENCE, VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore, createVerifier } from '../src/index.js';
import { conformanceKey } from '../src/replay/conformance-key.js';
import { claims, craft, esHeader } from './support/tokens.js';
import { verdict } from './support/verdict.js';

const options = { trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE };

describe('memory store reliability', () => {
  it('stays empty through 100,000 tokens with bad signatures', async () => {
    const store = createMemoryReplayStore();
    const verifier = await createVerifier({ ...options, now: () => VECTOR_NOW_MS, replayStore: store });
    const good = craft(esHeader(), claims());
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    for (let i = 0; i < 100_000; i++) {
      const result = await verifier.verify(forged).then(
        () => 'valid',
        (error: { reason: string }) => error.reason,
      );
      if (result !== 'bad_signature') throw new Error(`token ${i}: ${result}`);
    }
    expect(store.size).toBe(0);
  }, 60_000);

  it('stays under maxEntries through 100,000 consumes and fails closed when full', async () => {
    const store = createMemoryReplayStore({ maxEntries: 50_000 });
    let refused = 0;
    for (let i = 0; i < 100_000; i++) {
      await store
        .consume({ key: conformanceKey(), now: VECTOR_NOW_MS, expiresAt: VECTOR_NOW_MS + 120_000 })
        .catch(() => {
          refused += 1;
        });
    }
    expect(store.size).toBe(50_000);
    expect(refused).toBe(50_000);

    const tiny = createMemoryReplayStore({ maxEntries: 2 });
    const verifier = await createVerifier({ ...options, now: () => VECTOR_NOW_MS, replayStore: tiny });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await verdict(verifier, craft(esHeader(), claims())));
    expect(results).toEqual(['valid', 'valid', 'store_unavailable']);
  });

  it('sweeps expired entries, so a full store takes logins again once they expire', async () => {
    const store = createMemoryReplayStore({ maxEntries: 3 });
    for (let i = 0; i < 3; i++) {
      await store.consume({ key: conformanceKey(), now: VECTOR_NOW_MS, expiresAt: VECTOR_NOW_MS + 90_000 });
    }
    await expect(
      store.consume({ key: conformanceKey(), now: VECTOR_NOW_MS + 1_000, expiresAt: VECTOR_NOW_MS + 91_000 }),
    ).rejects.toThrow('memory replay store is full');
    const later = VECTOR_NOW_MS + 91_000;
    expect(await store.consume({ key: conformanceKey(), now: later, expiresAt: later + 90_000 })).toBe(true);
    expect(store.size).toBe(1);
  });

  it('does not revive a consumed token when the wall clock steps back 120 s', async () => {
    let clock = VECTOR_NOW_MS;
    const verifier = await createVerifier({ ...options, profile: 'n8n', now: () => clock });
    const token = craft(esHeader(), claims());
    expect(await verdict(verifier, token)).toBe('valid');
    clock -= 120_000;
    expect(await verdict(verifier, token)).toBe('replayed');
  });
});
