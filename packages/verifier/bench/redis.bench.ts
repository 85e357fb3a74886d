// Redis replay store throughput and latency on loopback; run with `npm run bench` or directly:
//   node --conditions=@n8n-embed/source --import tsx packages/verifier/bench/redis.bench.ts
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createRedisReplayStore } from '@n8n-embed/verifier/redis';
import type { ReplayStore } from '../src/types.js';
import { startRedisServer } from '../test/support/redis-server.js';

export interface BenchFigure {
  readonly name: string;
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs `op` `total` times with `concurrency` in flight; latency is measured per call. */
export async function measure(
  name: string,
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<BenchFigure> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  return {
    name,
    ops: total,
    opsPerSecond: Math.round(total / seconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export function formatFigure(f: BenchFigure): string {
  return `${f.name.padEnd(48)} ${String(f.opsPerSecond).padStart(8)} ops/s   p50 ${f.p50Ms.toFixed(3)} ms   p99 ${f.p99Ms.toFixed(3)} ms   (${f.ops} ops)`;
}

function consumeOp(store: ReplayStore, keys: readonly string[]): (i: number) => Promise<unknown> {
  const now = Date.now();
  return (i) => store.consume({ key: keys[i] ?? '', now, expiresAt: now + 150_000 });
}

function freshKeys(n: number): string[] {
  return Array.from({ length: n }, () => randomBytes(32).toString('hex'));
}

export async function runRedisBench(
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<BenchFigure[]> {
  const server = await startRedisServer();
  const store = await createRedisReplayStore({ url: server.url });
  const figures: BenchFigure[] = [];
  try {
    print('# Redis replay store (loopback, one connection, SET NX PX)');
    await measure('warm-up', 5_000, 64, consumeOp(store, freshKeys(5_000)));
    const seqKeys = freshKeys(20_000);
    figures.push(await measure('redis consume, sequential', seqKeys.length, 1, consumeOp(store, seqKeys)));
    const midKeys = freshKeys(100_000);
    figures.push(await measure('redis consume, 16 in flight', midKeys.length, 16, consumeOp(store, midKeys)));
    const parKeys = freshKeys(200_000);
    figures.push(await measure('redis consume, 64 in flight', parKeys.length, 64, consumeOp(store, parKeys)));
    const replayKeys = parKeys.slice(0, 100_000);
    figures.push(
      await measure(
        'redis consume (replayed), 64 in flight',
        replayKeys.length,
        64,
        consumeOp(store, replayKeys),
      ),
    );
    for (const f of figures) print(formatFigure(f));
  } finally {
    await store.close?.();
    await server.close();
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runRedisBench();
}
