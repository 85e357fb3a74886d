/**
 * The one measuring helper every bench file uses. Benchmarks are not tests: they print figures and
 * ratios against references measured in the same run, and a MISS never fails anything.
 *
 *   import { compare, reportRatio } from '../../../bench/measure.js';
 *   const ops = await compare({ floor: () => verify(...), pipeline: () => verifier.verify(token) });
 *   reportRatio('ES256 verify / node:crypto floor', ops.floor / ops.pipeline, { atMost: 1.15 });
 *   //  ES256 verify / node:crypto floor: 1.09x (target <= 1.15x) PASS
 *
 * - `compare(candidates, options?)`: median ops/s of each candidate. One warm-up round, then `rounds`
 *   rounds of `roundMs` each in which the candidates take turns, so a busy stretch of the machine weighs
 *   on all of them alike. A candidate that returns a promise is awaited; make a rejection a fulfilment
 *   yourself (`() => p.then(fail, ok)`) when rejections are what you measure.
 * - `measureConcurrent(op, { total, concurrency })`: `total` calls with `concurrency` in flight;
 *   throughput and per-call latency (p50, p99).
 * - `measureAtRate(op, { total, perSecond })`: `total` calls started at a steady rate whatever the
 *   answers do (an open loop, as independent clients arrive); each latency counts from the moment its
 *   call was due, so a stall is not hidden by the calls it delayed.
 * - `reportRatio(label, ratio, target?)` and `reportValue(label, value, unit, target?)` print one line
 *   ending in PASS or MISS when there is a target (`bench/run.ts` collects those lines), and return
 *   whether the target was met.
 * - `printOps(label, opsPerSecond, note?)`, `printLatency(label, figure)`: aligned figure lines.
 * - `isMain(import.meta.url)`: true when the file was started directly (`node … file.bench.ts`).
 *
 * Time is `process.hrtime.bigint()`. Run a bench through `npm run bench [-- filter]`: each file gets
 * its own process with `--expose-gc`.
 */
import { pathToFileURL } from 'node:url';

export interface CompareOptions {
  /** Measured rounds; the median is reported. Default 7. */
  readonly rounds?: number;
  /** Length of one candidate's turn in a round. Default 200 ms. */
  readonly roundMs?: number;
}

export interface ConcurrentFigure {
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** `atMost`: lower is better (a cost ratio); `atLeast`: higher is better (a speed-up, a throughput). */
export interface Target {
  readonly atMost?: number;
  readonly atLeast?: number;
}

const BATCH = 16; // calls between clock reads, so reading the clock costs nothing measurable

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

async function turn(run: () => unknown, roundMs: number): Promise<number> {
  const budget = BigInt(roundMs) * 1_000_000n;
  const start = process.hrtime.bigint();
  let count = 0;
  let elapsed = 0n;
  do {
    for (let i = 0; i < BATCH; i++) {
      const result = run();
      if (isThenable(result)) await result;
    }
    count += BATCH;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return (count * 1e9) / Number(elapsed);
}

export async function compare<K extends string>(
  candidates: Record<K, () => unknown>,
  { rounds = 7, roundMs = 200 }: CompareOptions = {},
): Promise<Record<K, number>> {
  const entries = Object.entries(candidates) as [K, () => unknown][];
  const samples = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, run] of entries) {
      const opsPerSecond = await turn(run, roundMs);
      if (round >= 0) samples.get(name)?.push(opsPerSecond);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, median(samples.get(name) ?? [])])) as Record<
    K,
    number
  >;
}

export async function measureConcurrent(
  op: (i: number) => Promise<unknown>,
  { total, concurrency }: { readonly total: number; readonly concurrency: number },
): Promise<ConcurrentFigure> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        await op(i);
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  const at = (p: number): number => latencies[Math.min(total - 1, Math.floor(p * total))] ?? Number.NaN;
  return { ops: total, opsPerSecond: total / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

export async function measureAtRate(
  op: (i: number) => Promise<unknown>,
  { total, perSecond }: { readonly total: number; readonly perSecond: number },
): Promise<ConcurrentFigure> {
  const latencies = new Float64Array(total);
  const pending: Promise<void>[] = [];
  const started = process.hrtime.bigint();
  const dueAt = (i: number): bigint => started + BigInt(Math.round((i * 1e9) / perSecond));
  let next = 0;
  while (next < total) {
    const now = process.hrtime.bigint();
    // Start every call already due, then yield to the event loop so answers are read meanwhile.
    while (next < total && dueAt(next) <= now) {
      const i = next++;
      const due = dueAt(i);
      pending.push(
        op(i).then(() => {
          latencies[i] = Number(process.hrtime.bigint() - due) / 1e6;
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(pending);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  const at = (p: number): number => latencies[Math.min(total - 1, Math.floor(p * total))] ?? Number.NaN;
  return { ops: total, opsPerSecond: total / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

function verdict(value: number, target: Target | undefined, format: (n: number) => string): string {
  if (target === undefined) return '';
  const clauses: string[] = [];
  let pass = true;
  if (target.atMost !== undefined) {
    clauses.push(`<= ${format(target.atMost)}`);
    pass &&= value <= target.atMost;
  }
  if (target.atLeast !== undefined) {
    clauses.push(`>= ${format(target.atLeast)}`);
    pass &&= value >= target.atLeast;
  }
  return ` (target ${clauses.join(' and ')}) ${pass ? 'PASS' : 'MISS'}`;
}

function passes(value: number, target: Target | undefined): boolean {
  return (
    (target?.atMost === undefined || value <= target.atMost) &&
    (target?.atLeast === undefined || value >= target.atLeast)
  );
}

export function reportRatio(label: string, ratio: number, target?: Target): boolean {
  const format = (n: number): string => `${n.toFixed(2)}x`;
  console.log(`${label}: ${format(ratio)}${verdict(ratio, target, format)}`);
  return passes(ratio, target);
}

export function reportValue(label: string, value: number, unit: string, target?: Target): boolean {
  const format = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(3)} ${unit}`;
  console.log(
    `${label}: ${format(Math.abs(value) >= 100 ? Math.round(value) : value)}${verdict(value, target, format)}`,
  );
  return passes(value, target);
}

export function printOps(label: string, opsPerSecond: number, note = ''): void {
  console.log(
    `  ${label.padEnd(44)} ${Math.round(opsPerSecond).toString().padStart(9)} ops/s${note ? `   ${note}` : ''}`,
  );
}

export function printLatency(label: string, f: ConcurrentFigure): void {
  console.log(
    `  ${label.padEnd(44)} ${Math.round(f.opsPerSecond).toString().padStart(9)} ops/s   p50 ${f.p50Ms.toFixed(3)} ms   p99 ${f.p99Ms.toFixed(3)} ms   (${f.ops} ops)`,
  );
}

export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === pathToFileURL(entry).href;
}
