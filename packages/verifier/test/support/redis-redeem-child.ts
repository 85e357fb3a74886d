// A separate verifier process for the multi-process replay test: its own Redis connection, its own
// store. Prints `ready`, waits for `go` on stdin, redeems the same input N times in parallel, prints
// a JSON tally of outcomes and exits.
import { createInterface } from 'node:readline';
import { EmbedLoginError } from '@n8n-embed/protocol';
import { createRedisReplayStore } from '@n8n-embed/verifier/redis';

interface ChildConfig {
  readonly redisUrl: string;
  readonly key: string;
  readonly attempts: number;
}

const config = JSON.parse(process.env.EMBED_CHILD_CONFIG ?? '{}') as ChildConfig;
const store = await createRedisReplayStore({ url: config.redisUrl });
const now = Date.now();
const tally: Record<string, number> = {};
const count = (outcome: string): void => {
  tally[outcome] = (tally[outcome] ?? 0) + 1;
};

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
await Promise.all(
  Array.from({ length: config.attempts }, async () => {
    try {
      count(
        (await store.consume({ key: config.key, now, expiresAt: now + 150_000 })) ? 'consumed' : 'replayed',
      );
    } catch (error) {
      count(error instanceof EmbedLoginError ? error.reason : 'untyped error');
    }
  }),
);
process.stdout.write(`${JSON.stringify({ pid: process.pid, tally })}\n`);
lines.close();
await store.close?.();
