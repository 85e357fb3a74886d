import { createMemoryReplayStore } from '../replay/memory-store.js';
import type { ReplayStore } from '../types.js';
import type { ReplayChoice } from './adapter-config.js';
import type { N8nLogger } from './n8n-types.js';

/** The configured replay store; Redis is imported only when chosen, so ioredis stays optional. */
export async function replayStoreFor(choice: ReplayChoice, logger: N8nLogger): Promise<ReplayStore> {
  if (choice.kind === 'memory') return createMemoryReplayStore();
  const { createRedisReplayStore } = await import('../replay/redis-replay-store.js');
  return createRedisReplayStore({
    url: choice.url,
    logger: { warn: (message, context) => logger.warn(`n8n-embed: ${message}`, context) },
  });
}
