import { randomBytes } from 'node:crypto';
import { EmbedLoginError } from '@n8n-embed/protocol';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisReplayStore, type ReplayStoreLogger } from '../src/redis.js';
import { redisExpiryMs } from '../src/replay/redis-replay-store.js';
import type { ReplayEntry, ReplayStore } from '../src/types.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';

const NOW = 1_790_000_010_000;

function entry(overrides: Partial<ReplayEntry> = {}): ReplayEntry {
  return { key: randomBytes(32).toString('hex'), now: NOW, expiresAt: NOW + 150_000, ...overrides };
}

function capture(): ReplayStoreLogger & { messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (message) => messages.push(message) };
}

async function rejection(promise: Promise<unknown>): Promise<EmbedLoginError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EmbedLoginError);
  return error as EmbedLoginError;
}

let server: RedisServer;
let admin: Redis;
const stores: ReplayStore[] = [];

// A generous timeout where the test is about answers, not about timeouts: a busy CI machine must not
// turn a correct answer into store_unavailable.
async function store(options: Parameters<typeof createRedisReplayStore>[0]): Promise<ReplayStore> {
  const created = await createRedisReplayStore({ commandTimeoutMs: 5000, ...options });
  stores.push(created);
  return created;
}

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close?.()));
  admin.disconnect();
  await server?.close();
});

describe('createRedisReplayStore', () => {
  it('answers true once, then false, with one SET NX per key', async () => {
    const s = await store({ url: server.url });
    const e = entry();
    expect(await s.consume(e)).toBe(true);
    expect(await s.consume(e)).toBe(false);
    expect(await s.consume({ ...e, now: e.now + 1000 })).toBe(false);
    expect(await admin.get(`n8n-embed:jti:${e.key}`)).toBe('1');
  });

  it('keeps the key for the entry lifetime, in ms, rounded up, at least 1 s', async () => {
    const s = await store({ url: server.url, keyPrefix: 'ttl:' });
    const e = entry({ expiresAt: NOW + 137_000.2 });
    await s.consume(e);
    const pttl = await admin.pttl(`ttl:${e.key}`);
    expect(pttl).toBeGreaterThan(130_000);
    expect(pttl).toBeLessThanOrEqual(137_001);
    const past = entry({ expiresAt: NOW - 5000 });
    await s.consume(past);
    expect(await admin.pttl(`ttl:${past.key}`)).toBeGreaterThan(0);
    expect(redisExpiryMs(past)).toBe(1000);
    expect(redisExpiryMs(entry({ expiresAt: NOW + 1500.1 }))).toBe(1501);
  });

  it('a wall clock stepping back 120 s does not revive a consumed id (the expiry is relative)', async () => {
    const s = await store({ url: server.url });
    const e = entry();
    expect(await s.consume(e)).toBe(true);
    expect(await s.consume({ ...e, now: e.now - 120_000 })).toBe(false);
    expect(await s.consume({ ...e, now: e.now + 120_000 })).toBe(false);
  });

  it('uses the key prefix and never reads the key as anything but data', async () => {
    const s = await store({ url: server.url, keyPrefix: 'tenant-a:' });
    const odd = entry({ key: '* NX GET \r\n FLUSHALL' });
    expect(await s.consume(odd)).toBe(true);
    expect(await admin.exists(`tenant-a:${odd.key}`)).toBe(1);
    expect(await admin.dbsize()).toBeGreaterThan(0);
  });

  it('fails closed on a malformed entry', async () => {
    const s = await store({ url: server.url });
    expect((await rejection(s.consume(entry({ expiresAt: Number.NaN })))).reason).toBe('store_unavailable');
    expect((await rejection(s.consume(entry({ key: '' })))).reason).toBe('store_unavailable');
    expect((await rejection(s.consume({ ...entry(), key: 42 } as unknown as ReplayEntry))).reason).toBe(
      'store_unavailable',
    );
  });

  it('works with a client the caller configured, and leaves it open on close', async () => {
    const client = new Redis(server.url, { enableOfflineQueue: false, lazyConnect: true });
    const s = await createRedisReplayStore({ client });
    expect(await s.consume(entry())).toBe(true);
    await s.close?.();
    expect(client.status).toBe('ready');
    expect((await rejection(s.consume(entry()))).reason).toBe('store_unavailable');
    client.disconnect();
  });

  it('closes its own connection on close', async () => {
    const s = await createRedisReplayStore({ url: server.url });
    await s.close?.();
    await s.close?.();
    expect((await rejection(s.consume(entry()))).reason).toBe('store_unavailable');
  });

  it('refuses bad options with config_invalid', async () => {
    const bad = [
      {},
      { url: server.url, client: admin },
      { url: 'http://127.0.0.1:6379' },
      { url: server.url, commandTimeoutMs: 0 },
      { url: server.url, commandTimeoutMs: Number.POSITIVE_INFINITY },
      { url: server.url, connectTimeoutMs: 1.5 },
      { url: server.url, keyPrefix: 'a\nb' },
    ];
    for (const options of bad) {
      expect((await rejection(createRedisReplayStore(options))).reason).toBe('config_invalid');
    }
  });

  it('fails creation with store_unavailable when Redis cannot be reached', async () => {
    const logger = capture();
    const error = await rejection(
      createRedisReplayStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 300, logger }),
    );
    expect(error.reason).toBe('store_unavailable');
  });
});

describe('Redis refusing the write', () => {
  it('OOM fails closed', async () => {
    const s = await store({ url: server.url });
    await admin.config('SET', 'maxmemory', '1');
    try {
      const error = await rejection(s.consume(entry()));
      expect(error.reason).toBe('store_unavailable');
      expect(error.detail).toMatch(/OOM/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    expect(await s.consume(entry())).toBe(true);
  });

  it('READONLY (a replica) fails closed', async () => {
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(server.port)] });
    try {
      const s = await store({ url: replica.url });
      const error = await rejection(s.consume(entry()));
      expect(error.reason).toBe('store_unavailable');
      expect(error.detail).toMatch(/READONLY/);
      await s.close?.();
    } finally {
      await replica.close();
    }
  });
});

describe('maxmemory-policy check', () => {
  it('is silent on noeviction', async () => {
    const logger = capture();
    await store({ url: server.url, logger, requireNoEviction: true });
    expect(logger.messages).toEqual([]);
  });

  it('warns on allkeys-lru, or refuses with requireNoEviction', async () => {
    const lru = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    try {
      const logger = capture();
      const s = await createRedisReplayStore({ url: lru.url, logger });
      expect(logger.messages).toHaveLength(1);
      expect(logger.messages[0]).toMatch(/allkeys-lru.*noeviction/);
      await s.close?.();
      const refused = await rejection(
        createRedisReplayStore({ url: lru.url, logger, requireNoEviction: true }),
      );
      expect(refused.reason).toBe('config_invalid');
      expect(refused.message).toMatch(/allkeys-lru/);
    } finally {
      await lru.close();
    }
  });

  it('warns that it could not check when CONFIG is not permitted, and an ACL user in the URL works', async () => {
    await admin.call('ACL', 'SETUSER', 'embed', 'on', '>s3cret-pass', '~*', '+@all', '-config');
    const logger = capture();
    const s = await store({ url: `redis://embed:s3cret-pass@127.0.0.1:${server.port}`, logger });
    expect(logger.messages).toHaveLength(1);
    expect(logger.messages[0]).toMatch(/could not check maxmemory-policy/);
    expect(logger.messages.join('')).not.toContain('s3cret-pass');
    expect(await s.consume(entry())).toBe(true);
  });

  it('needs no more than SET on its key prefix (plus CONFIG GET for the check)', async () => {
    await admin.call(
      'ACL',
      'SETUSER',
      'least',
      'on',
      '>pw-least',
      'resetkeys',
      '~n8n-embed:jti:*',
      '-@all',
      '+set',
    );
    const logger = capture();
    const s = await store({ url: `redis://least:pw-least@127.0.0.1:${server.port}`, logger });
    expect(logger.messages[0]).toMatch(/could not check maxmemory-policy/);
    expect(await s.consume(entry())).toBe(true);

    await admin.call('ACL', 'SETUSER', 'least', '+config|get');
    const checked = capture();
    const withCheck = await store({
      url: `redis://least:pw-least@127.0.0.1:${server.port}`,
      logger: checked,
    });
    expect(checked.messages).toEqual([]);
    expect(await withCheck.consume(entry())).toBe(true);
  });
});
