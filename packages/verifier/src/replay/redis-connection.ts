import { configError, EmbedLoginError } from '@n8n-embed/protocol';
import type { Redis, RedisOptions } from 'ioredis';
import type { ReplayStoreLogger } from './redis-options.js';

/** Reconnect delays: fast at first, never slower than 1 s, forever, so Redis coming back is noticed soon. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 5), 1000);
}

/**
 * The client options that make a consume fail fast instead of waiting: no offline queue (a command
 * while disconnected rejects at once), no per-request retries and no resend after a reconnect (a
 * replayed `SET NX` whose first reply was lost would answer "replayed" for a token nobody used).
 */
export function redisClientOptions(connectTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: connectTimeoutMs,
    retryStrategy: reconnectDelayMs,
    // The ready check needs INFO, which a least-privilege ACL user lacks (ioredis then writes to the
    // console). Without it a Redis still loading its data answers LOADING, which fails closed anyway.
    enableReadyCheck: false,
  };
}

/** Loads ioredis only when the store creates its own client: it is an optional peer dependency. */
export async function createOwnedClient(url: string, connectTimeoutMs: number): Promise<Redis> {
  let RedisClass: typeof Redis;
  try {
    // Named export: ioredis is CommonJS, and its `default` differs between ESM loaders.
    ({ Redis: RedisClass } = await import('ioredis'));
  } catch (cause) {
    throw configError('the Redis replay store needs the `ioredis` package: npm install ioredis', cause);
  }
  return new RedisClass(url, redisClientOptions(connectTimeoutMs));
}

/** Waits for the client to be ready, bounded; a client that cannot connect fails creation. */
export async function awaitReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'end' || client.status === 'close') {
    throw new EmbedLoginError('store_unavailable', { detail: 'the Redis client is closed' });
  }
  await new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const done = (error?: unknown): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = (): void => done();
    const onError = (error: unknown): void => {
      lastError = error;
    };
    const timer = setTimeout(
      () =>
        done(
          new EmbedLoginError('store_unavailable', {
            detail: `Redis was not ready within ${timeoutMs} ms`,
            cause: lastError,
          }),
        ),
      timeoutMs,
    );
    client.on('ready', onReady);
    client.on('error', onError);
    if (client.status === 'wait') client.connect().catch(onError);
  });
}

/**
 * ioredis prints unhandled `error` events to the console; route them to the logger instead, once per
 * outage rather than once per reconnect attempt, and say when the connection is back.
 */
export function watchConnection(client: Redis, logger: ReplayStoreLogger | undefined): () => void {
  let down = false;
  const onDown = (error?: Error): void => {
    if (down) return;
    down = true;
    logger?.warn(
      'Redis replay store lost its connection; logins fail closed until it is back',
      error === undefined ? undefined : { error: error.message },
    );
  };
  const onError = (error: Error): void => onDown(error);
  // A clean close (Redis shut down) emits no error, only `close`.
  const onClose = (): void => onDown();
  const onReady = (): void => {
    if (!down) return;
    down = false;
    logger?.warn('Redis replay store reconnected');
  };
  client.on('error', onError);
  client.on('close', onClose);
  client.on('ready', onReady);
  return () => {
    client.off('error', onError);
    client.off('close', onClose);
    client.off('ready', onReady);
  };
}
