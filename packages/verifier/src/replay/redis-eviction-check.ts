import { configError } from '@n8n-embed/protocol';
import type { Redis } from 'ioredis';
import type { ReplayStoreLogger } from './redis-options.js';
import { withTimeout } from './redis-timeout.js';

export interface EvictionCheckOptions {
  readonly requireNoEviction: boolean;
  readonly timeoutMs: number;
  readonly logger: ReplayStoreLogger | undefined;
}

/** What the check found: the policy, or `undefined` when Redis did not let us read it. */
export type EvictionPolicy = string | undefined;

async function readPolicy(client: Redis, timeoutMs: number): Promise<EvictionPolicy> {
  const reply: unknown = await withTimeout(client.config('GET', 'maxmemory-policy'), timeoutMs);
  // CONFIG GET answers a flat [name, value] list (RESP2) or a map (RESP3).
  if (Array.isArray(reply) && reply[0] === 'maxmemory-policy' && typeof reply[1] === 'string') {
    return reply[1];
  }
  if (reply !== null && typeof reply === 'object' && 'maxmemory-policy' in reply) {
    const value = (reply as Record<string, unknown>)['maxmemory-policy'];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Any policy but `noeviction` lets Redis drop a key before its TTL when memory runs out, and a dropped
 * key is a token that can be redeemed again. Managed services often forbid CONFIG (ACL, renamed
 * command): then we cannot know, and say so.
 */
export async function checkEvictionPolicy(
  client: Redis,
  options: EvictionCheckOptions,
): Promise<EvictionPolicy> {
  let policy: EvictionPolicy;
  try {
    policy = await readPolicy(client, options.timeoutMs);
  } catch (error) {
    options.logger?.warn(
      'Redis replay store could not check maxmemory-policy (CONFIG GET not permitted?); make sure it is noeviction',
      { error: error instanceof Error ? error.message : String(error) },
    );
    return undefined;
  }
  if (policy === undefined) {
    options.logger?.warn('Redis replay store could not read maxmemory-policy; make sure it is noeviction');
    return undefined;
  }
  if (policy === 'noeviction') return policy;
  const message = `Redis maxmemory-policy is ${policy}: under memory pressure Redis may evict a consumed token id and let the token be redeemed again; set it to noeviction`;
  if (options.requireNoEviction) throw configError(message);
  options.logger?.warn(message, { maxmemoryPolicy: policy });
  return policy;
}
