import { configError, isEmbedLoginError } from '@n8n-embed/protocol';
import { createMemoryReplayStore } from '../replay/memory-store.js';
import type { ReplayStore } from '../types.js';
import type { ReplayChoice } from './adapter-config.js';
import { createDatabaseReplayStore } from './n8n-database-replay-store.js';
import type { N8nInternals } from './n8n-types.js';

/** The variable that lets the adapter start on a Redis that may evict consumed token ids. */
export const ALLOW_EVICTION_VARIABLE = 'N8N_EMBED_REDIS_ALLOW_EVICTION';

/** The configured replay store; Redis is imported only when chosen, so ioredis stays optional. */
export async function replayStoreFor(
  choice: ReplayChoice,
  n8n: Pick<N8nInternals, 'database' | 'logger'>,
): Promise<ReplayStore> {
  const { logger } = n8n;
  if (choice.kind === 'memory') return createMemoryReplayStore();
  if (choice.kind === 'database') return createDatabaseReplayStore(n8n.database, { logger });
  const { createRedisReplayStore } = await import('../replay/redis-replay-store.js');
  try {
    return await createRedisReplayStore({
      url: choice.url,
      // An evicted id is a token that can be redeemed again: refuse such a Redis unless told otherwise.
      requireNoEviction: !choice.allowEviction,
      logger: { warn: (message, context) => logger.warn(`n8n-embed: ${message}`, context) },
    });
  } catch (error) {
    if (
      isEmbedLoginError(error) &&
      error.reason === 'config_invalid' &&
      /maxmemory-policy/.test(error.message)
    ) {
      throw configError(`${error.message} (or set ${ALLOW_EVICTION_VARIABLE}=true to start anyway)`, error);
    }
    throw error;
  }
}
