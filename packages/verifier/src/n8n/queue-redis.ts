import type { QueueRedis } from './adapter-config.js';
import type { N8nGlobalConfig } from './n8n-types.js';

/** n8n's own queue-mode Redis (`QUEUE_BULL_REDIS_*`) as a URL: the replay store's default there. */
export function queueRedisOf(config: N8nGlobalConfig): QueueRedis {
  const queueMode = config.executions?.mode === 'queue';
  const redis = config.queue?.bull?.redis;
  if (!queueMode || !redis?.host) return { queueMode };
  const auth =
    redis.username || redis.password
      ? `${encodeURIComponent(redis.username ?? '')}:${encodeURIComponent(redis.password ?? '')}@`
      : '';
  const host = redis.host.includes(':') ? `[${redis.host}]` : redis.host;
  return {
    queueMode,
    url: `${redis.tls ? 'rediss' : 'redis'}://${auth}${host}:${redis.port ?? 6379}/${redis.db ?? 0}`,
  };
}
