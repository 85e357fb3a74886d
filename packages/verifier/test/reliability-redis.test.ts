import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { EmbedLoginError } from '@n8n-embed/protocol';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisReplayStore, type ReplayStoreLogger } from '../src/redis.js';
import type { ReplayStore } from '../src/types.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';

// No consume may hang: every one settles well before this, or the test fails. Not a timing assertion.
const HANG_LIMIT_MS = 5000;

type Outcome = 'consumed' | 'replayed' | 'hung' | string;

async function outcome(store: ReplayStore): Promise<Outcome> {
  const now = Date.now();
  const entry = { key: randomBytes(32).toString('hex'), now, expiresAt: now + 150_000 };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve('hung'), HANG_LIMIT_MS);
  });
  const consume = store.consume(entry).then(
    (fresh): Outcome => (fresh ? 'consumed' : 'replayed'),
    (error: unknown): Outcome => (error instanceof EmbedLoginError ? error.reason : 'untyped error'),
  );
  try {
    return await Promise.race([consume, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Consumes fresh entries until one succeeds; returns every outcome seen on the way. */
async function untilConsumed(store: ReplayStore, limitMs = 10_000): Promise<Outcome[]> {
  const seen: Outcome[] = [];
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const result = await outcome(store);
    seen.push(result);
    if (result === 'consumed') return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}

const warnings: string[] = [];
const logger: ReplayStoreLogger = { warn: (message) => warnings.push(message) };

let server: RedisServer;
let store: ReplayStore;

beforeAll(async () => {
  server = await startRedisServer();
  store = await createRedisReplayStore({ url: server.url, logger });
});

afterAll(async () => {
  await store?.close?.();
  await server?.close();
});

describe('Redis replay store under failure', () => {
  it('Redis stopped: every consume fails closed; restarted: consumes work again without a new store', async () => {
    expect(await outcome(store)).toBe('consumed');
    await server.stop();
    const during = await Promise.all(Array.from({ length: 20 }, () => outcome(store)));
    expect(new Set(during)).toEqual(new Set(['store_unavailable']));
    // Sequential ones too, while the client keeps reconnecting in the background.
    for (let i = 0; i < 5; i++) expect(await outcome(store)).toBe('store_unavailable');
    expect(warnings.some((w) => /lost its connection/.test(w))).toBe(true);

    await server.start();
    const after = await untilConsumed(store);
    expect(after.at(-1)).toBe('consumed');
    expect(after.slice(0, -1).every((o) => o === 'store_unavailable')).toBe(true);
    expect(await outcome(store)).toBe('consumed');
  });

  it('a slow Redis (DEBUG SLEEP) fails closed instead of waiting', async () => {
    const admin = new Redis(server.url);
    admin.on('error', () => {});
    try {
      const sleeping = admin.call('DEBUG', 'SLEEP', '2');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const results = await Promise.all(Array.from({ length: 10 }, () => outcome(store)));
      expect(new Set(results)).toEqual(new Set(['store_unavailable']));
      await sleeping;
      expect(await outcome(store)).toBe('consumed');
    } finally {
      admin.disconnect();
    }
  });

  it('a lost reply (Redis frozen with SIGSTOP, socket open) fails closed; it recovers when Redis resumes', async () => {
    server.pause();
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => outcome(store)));
      expect(new Set(results)).toEqual(new Set(['store_unavailable']));
    } finally {
      server.resume();
    }
    const after = await untilConsumed(store);
    expect(after.at(-1)).toBe('consumed');
  });

  it('an unexpected reply to SET fails closed', async () => {
    const odd = await startOddServer();
    const port = (odd.address() as { port: number }).port;
    const oddStore = await createRedisReplayStore({ url: `redis://127.0.0.1:${port}`, logger });
    try {
      expect(await outcome(oddStore)).toBe('store_unavailable');
    } finally {
      await oddStore.close?.();
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});

/**
 * A loopback server speaking just enough RESP to pass ioredis's ready check and our policy check,
 * then answering `SET` with `+QUEUED` — a reply no `SET … NX` should ever get.
 */
function startOddServer(): Promise<Server> {
  const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  const server = createServer((socket) => {
    socket.on('data', (data) => {
      for (const match of data.toString().matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g)) {
        const name = match[1]?.toLowerCase();
        if (name === 'info') socket.write(bulk('# Server\r\nloading:0\r\n'));
        else if (name === 'config') socket.write(`*2\r\n${bulk('maxmemory-policy')}${bulk('noeviction')}`);
        else if (name === 'set') socket.write('+QUEUED\r\n');
        else if (name === 'quit') socket.end('+OK\r\n');
        else socket.write('+OK\r\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
