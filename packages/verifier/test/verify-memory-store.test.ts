// The verifier asks a memory store synchronously (no promise per login). These hold what that may
// not change: a full store is store_unavailable, a replay is replayed, and a store that is not the
// memory store as made (a wrapper, or a `consume` replaced on it) is called through `consume`.
import { VECTOR_AUDIENCE, VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore, createVerifier, type ReplayEntry, type ReplayStore } from '../src/index.js';
import { claims, craft, esHeader } from './support/tokens.js';
import { verdict } from './support/verdict.js';

const verifierWith = (replayStore: ReplayStore) =>
  createVerifier({
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    now: () => VECTOR_NOW_MS,
    crypto: 'node',
    replayStore,
  });
const token = (): string => craft(esHeader(), claims());

describe('verify with a memory store', () => {
  it('accepts a fresh token once, then answers replayed', async () => {
    const verifier = await verifierWith(createMemoryReplayStore());
    const once = token();
    expect(await verdict(verifier, once)).toBe('valid');
    expect(await verdict(verifier, once)).toBe('replayed');
  });

  it('answers store_unavailable when the store is full of live entries, and keeps them', async () => {
    const store = createMemoryReplayStore({ maxEntries: 2 });
    const verifier = await verifierWith(store);
    const first = token();
    expect(await verdict(verifier, first)).toBe('valid');
    expect(await verdict(verifier, token())).toBe('valid');
    expect(await verdict(verifier, token())).toBe('store_unavailable');
    expect(await verdict(verifier, first)).toBe('replayed');
    expect(store.size).toBe(2);
  });

  it('of 50 parallel redemptions of one token, exactly one succeeds', async () => {
    const verifier = await verifierWith(createMemoryReplayStore());
    const once = token();
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => verdict(verifier, once)));
    expect(verdicts.filter((result) => result === 'valid')).toHaveLength(1);
    expect(verdicts.filter((result) => result === 'replayed')).toHaveLength(49);
  });

  it('calls the consume of a wrapper around a memory store', async () => {
    const inner = createMemoryReplayStore();
    const seen: ReplayEntry[] = [];
    const wrapper: ReplayStore = {
      ...inner,
      consume: async (entry) => {
        seen.push(entry);
        return inner.consume(entry);
      },
    };
    const verifier = await verifierWith(wrapper);
    expect(await verdict(verifier, token())).toBe('valid');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('calls a consume replaced on the memory store itself', async () => {
    const store = createMemoryReplayStore();
    store.consume = async () => false;
    const verifier = await verifierWith(store);
    expect(await verdict(verifier, token())).toBe('replayed');
    store.consume = async () => {
      throw new Error('down');
    };
    expect(await verdict(verifier, token())).toBe('store_unavailable');
  });

  it('takes a store that answers without a promise as it would a promise', async () => {
    const answers = [true, false];
    const store = { consume: () => answers.shift() } as unknown as ReplayStore;
    const verifier = await verifierWith(store);
    expect(await verdict(verifier, token())).toBe('valid');
    expect(await verdict(verifier, token())).toBe('replayed');
    const throwing = {
      consume: () => {
        throw new Error('down');
      },
    } as unknown as ReplayStore;
    expect(await verdict(await verifierWith(throwing), token())).toBe('store_unavailable');
  });
});
