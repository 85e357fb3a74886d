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
 *   call was due, so a stall is not hidden by the calls it delayed. Also returns how late the scheduler
 *   itself started the calls, the failed calls, and how long this thread waited for a CPU meanwhile.
 * - `schedStat(pid?)`: a thread's CPU time and run-queue wait from Linux `/proc` (undefined elsewhere):
 *   on a shared machine, the wait says how much of a latency figure is other processes' doing.
 * - `reportRatio(label, ratio, target?)` and `reportValue(label, value, unit, target?)` print one line
 *   ending in PASS or MISS when there is a target (`bench/run.ts` collects those lines), and return
 *   whether the target was met.
 * - `printOps(label, opsPerSecond, note?)`, `printLatency(label, figure)`: aligned figure lines.
 * - `isMain(import.meta.url)`: true when the file was started directly (`node … file.bench.ts`).
 *
 * Time is `process.hrtime.bigint()`. Run a bench through `npm run bench [-- filter]`: each file gets
 * its own process with `--expose-gc`.
 */
import { readFileSync } from 'node:fs';
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

export interface RateFigure extends ConcurrentFigure {
  /** Calls that rejected; their latency (until the rejection) is in the percentiles too. */
  readonly failed: number;
  /** p99 of how late the scheduler started a call after it was due: its own share of the latency. */
  readonly startLagP99Ms: number;
  /** Share of the window this thread was ready to run but waiting for a CPU (NaN off Linux). */
  readonly runQueueWait: number;
}

export interface SchedStat {
  /** Time on a CPU, ns. */
  readonly runNs: number;
  /** Time ready to run but waiting for a CPU (the run queue), ns. */
  readonly waitNs: number;
}

/**
 * `/proc/<pid>/schedstat` (the process's main thread; this thread without `pid`), or undefined where
 * there is no such file. It counts time spent waiting for a CPU, which no timer inside the process sees.
 */
export function schedStat(pid?: number): SchedStat | undefined {
  try {
    const path = pid === undefined ? '/proc/thread-self/schedstat' : `/proc/${pid}/schedstat`;
    const [runNs, waitNs] = readFileSync(path, 'utf8').split(' ').map(Number);
    return runNs === undefined || waitNs === undefined ? undefined : { runNs, waitNs };
  } catch {
    return undefined;
  }
}

/**
 * The scheduler has to be cheap, or it becomes what it measures. The first version kept every call's
 * promise in a list until the end (so all of them survived each young-generation GC and were promoted,
 * and a full GC landed inside the window), read the clock as a `BigInt` and made a promise on every turn
 * of a loop spinning on `setImmediate`: alone, calling a no-op at 30 000/s, it used a whole core and
 * caused 64-90 GCs in 2 s. This one keeps no promise per call, reads the clock as a number and, between
 * calls, sleeps until the next is due (`Atomics.wait`, at most `MAX_SLEEP_MS`) instead of spinning:
 * 32-39 % of a core and 7-9 GCs for the same no-op, and on a busy machine a p99 of 3-11 ms for it
 * where spinning gave 4-202 ms (a spinning thread looks like a CPU hog to the kernel, which preempts
 * it). The price: answers that arrive during a sleep are read when it ends, and a sleep overshoots
 * (a 0.02 ms `Atomics.wait` took 0.05-0.1 ms on a 2-core VM), which counts against the figure; time a
 * no-op call at the same rate to see the scheduler's own share. `runQueueWait` shows how long this
 * thread waited for a CPU.
 */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const MIN_SLEEP_MS = 0.02; // shorter gaps are spun through: a sleep overshoots by tens of µs
const MAX_SLEEP_MS = 0.1;

export function measureAtRate(
  op: (i: number) => Promise<unknown>,
  { total, perSecond }: { readonly total: number; readonly perSecond: number },
): Promise<RateFigure> {
  const latencies = new Float64Array(total);
  const startLags = new Float64Array(total);
  const intervalMs = 1000 / perSecond;
  return new Promise((resolve) => {
    let next = 0;
    let settled = 0;
    let failed = 0;
    const sched0 = schedStat();
    const started = performance.now();
    const finish = (): void => {
      const elapsedMs = performance.now() - started;
      const sched1 = schedStat();
      const waitNs = sched0 && sched1 ? sched1.waitNs - sched0.waitNs : Number.NaN;
      latencies.sort();
      startLags.sort();
      const at = (list: Float64Array, p: number): number =>
        list[Math.min(total - 1, Math.floor(p * total))] ?? Number.NaN;
      resolve({
        ops: total,
        opsPerSecond: (total * 1000) / elapsedMs,
        p50Ms: at(latencies, 0.5),
        p99Ms: at(latencies, 0.99),
        failed,
        startLagP99Ms: at(startLags, 0.99),
        runQueueWait: waitNs / 1e6 / elapsedMs,
      });
    };
    const tick = (): void => {
      const now = performance.now();
      // Start every call already due, then yield so that answers are read meanwhile.
      while (next < total && started + next * intervalMs <= now) {
        const i = next++;
        const due = started + i * intervalMs;
        startLags[i] = now - due;
        const done = (): void => {
          latencies[i] = performance.now() - due;
          if (++settled === total) finish();
        };
        op(i).then(done, () => {
          failed++;
          done();
        });
      }
      if (next >= total) return;
      const untilNext = started + next * intervalMs - performance.now();
      if (untilNext > MIN_SLEEP_MS) Atomics.wait(sleeper, 0, 0, Math.min(untilNext, MAX_SLEEP_MS));
      setImmediate(tick); // the answers that arrived meanwhile are read before the next turn
    };
    setImmediate(tick);
  });
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
