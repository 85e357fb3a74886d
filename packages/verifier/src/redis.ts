// `@n8n-embed/verifier/redis`: the shared replay store. Its own subpath, so the core never loads ioredis.

export type { RedisReplayStoreOptions, ReplayStoreLogger } from './replay/redis-options.js';
export { createRedisReplayStore } from './replay/redis-replay-store.js';
