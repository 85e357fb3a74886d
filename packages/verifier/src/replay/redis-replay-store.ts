import { EmbedLoginError } from '@n8n-embed/protocol';
import type { Redis } from 'ioredis';
import type { ReplayEntry, ReplayStore } from '../types.js';
import { awaitReady, createOwnedClient, watchConnection } from './redis-connection.js';
import { checkEvictionPolicy } from './redis-eviction-check.js';
import { type RedisReplayStoreOptions, resolveRedisOptions } from './redis-options.js';
import { withTimeout } from './redis-timeout.js';

/** Redis never keeps a consumed id for less than this, whatever the entry says. */
const MIN_REDIS_TTL_MS = 1000;
const MAX_STORE_KEY_LENGTH = 512;

/**
 * The relative expiry for `SET … PX`: the entry's remaining lifetime in ms, rounded up, at least 1 s.
 * Relative, so Redis's own clock and any clock skew between hosts do not matter; milliseconds (PX), so
 * nothing is rounded away. A malformed entry fails closed.
 */
export function redisExpiryMs(entry: ReplayEntry): number {
  const remaining = entry.expiresAt - entry.now;
  if (!Number.isFinite(remaining)) {
    throw new EmbedLoginError('store_unavailable', { detail: 'replay entry has no finite expiry' });
  }
  return Math.max(MIN_REDIS_TTL_MS, Math.ceil(remaining));
}

function unavailable(detail: string, cause?: unknown): EmbedLoginError {
  return new EmbedLoginError('store_unavailable', { detail, cause });
}

function storeKey(prefix: string, entry: ReplayEntry): string {
  const key: unknown = entry.key;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_STORE_KEY_LENGTH) {
    throw unavailable('replay entry key is not a usable string');
  }
  return prefix + key;
}

/**
 * A replay store shared by every verifier process that talks to one Redis: one atomic
 * `SET <prefix><key> 1 PX <ms> NX` per login. `OK` is the first use, `null` a replay, and anything
 * else — an error, a timeout, an unexpected reply — rejects, which the verifier answers as
 * `store_unavailable`. There is no fallback to memory.
 */
export async function createRedisReplayStore(options: RedisReplayStoreOptions): Promise<ReplayStore> {
  const resolved = resolveRedisOptions(options);
  const owned = options.client === undefined;
  const client: Redis =
    options.client ?? (await createOwnedClient(options.url ?? '', resolved.connectTimeoutMs));
  const unwatch = watchConnection(client, resolved.logger);
  try {
    await awaitReady(client, resolved.connectTimeoutMs);
    await checkEvictionPolicy(client, {
      requireNoEviction: resolved.requireNoEviction,
      timeoutMs: resolved.connectTimeoutMs,
      logger: resolved.logger,
    });
  } catch (error) {
    unwatch();
    if (owned) client.disconnect();
    throw error instanceof EmbedLoginError ? error : unavailable('Redis could not be reached', error);
  }

  const { keyPrefix, commandTimeoutMs } = resolved;
  let closed = false;

  return {
    async consume(entry: ReplayEntry): Promise<boolean> {
      if (closed) throw unavailable('the Redis replay store is closed');
      const key = storeKey(keyPrefix, entry);
      const expiryMs = redisExpiryMs(entry);
      let reply: unknown;
      try {
        reply = await withTimeout(client.set(key, '1', 'PX', expiryMs, 'NX'), commandTimeoutMs);
      } catch (error) {
        if (error instanceof EmbedLoginError) throw error;
        // ReplyError (OOM, READONLY, NOPERM …) or a connection error: its message names no key or token.
        throw unavailable(
          `Redis refused the consume: ${error instanceof Error ? error.message : 'unknown error'}`,
          error,
        );
      }
      if (reply === 'OK') return true;
      if (reply === null) return false;
      throw unavailable('Redis answered the consume with an unexpected reply');
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      unwatch();
      if (!owned) return;
      try {
        await withTimeout(client.quit(), commandTimeoutMs);
      } catch {
        // Redis is gone or slow: drop the socket instead of waiting for a goodbye.
        client.disconnect();
      }
    },
  };
}
