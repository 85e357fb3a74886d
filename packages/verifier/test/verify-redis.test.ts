// The Redis store passes the replay-store conformance suite unchanged, and works end to end under
// the verifier: two verifiers sharing one Redis redeem a token once; Redis down → store_unavailable.
import { VECTOR_AUDIENCE, VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.js';
import { createRedisReplayStore } from '../src/redis.js';
import { describeReplayStoreConformance } from '../src/testing.js';
import type { ReplayStore } from '../src/types.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { claims, craft, esHeader } from './support/tokens.js';
import { verdict } from './support/verdict.js';

let server: RedisServer;
const stores: ReplayStore[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close?.()));
  await server?.close();
});

const redisStore = async (): Promise<ReplayStore> => {
  const store = await createRedisReplayStore({
    url: server.url,
    commandTimeoutMs: 5000,
    keyPrefix: `t${Math.random()}:`,
  });
  stores.push(store);
  return store;
};

describeReplayStoreConformance('redis', redisStore);

describe('the verifier with the Redis store', () => {
  it('redeems a token once across two verifiers, each with its own connection to one Redis', async () => {
    const prefix = `shared${Math.random()}:`;
    const verifiers = await Promise.all(
      [0, 1].map(async () => {
        const store = await createRedisReplayStore({
          url: server.url,
          commandTimeoutMs: 5000,
          keyPrefix: prefix,
        });
        stores.push(store);
        return createVerifier({
          trustedKeys: VECTOR_TRUSTED_KEYS,
          audience: VECTOR_AUDIENCE,
          now: () => VECTOR_NOW_MS,
          replayStore: store,
        });
      }),
    );
    const token = craft(esHeader(), claims());
    const [first, second] = verifiers;
    if (!first || !second) throw new Error('two verifiers expected');
    expect(await verdict(first, token)).toBe('valid');
    expect(await verdict(second, token)).toBe('replayed');
  });

  it('answers store_unavailable when Redis is gone', async () => {
    const own = await startRedisServer();
    const store = await createRedisReplayStore({ url: own.url, commandTimeoutMs: 300 });
    stores.push(store);
    const verifier = await createVerifier({
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      now: () => VECTOR_NOW_MS,
      replayStore: store,
    });
    expect(await verdict(verifier, craft(esHeader(), claims()))).toBe('valid');
    await own.close();
    expect(await verdict(verifier, craft(esHeader(), claims()))).toBe('store_unavailable');
  });
});
