/**
 * HTTP load for benchmarks, beside bench/measure.ts: the generator (autocannon) and the server under
 * test each run in their own process, so neither one's event loop or garbage collector slows the
 * other, and figures count what a real client sees over 127.0.0.1.
 *
 *   const server = await startServerProcess(serverFile, ['handler']);  // the file calls serveForBench
 *   const figure = await runLoad({ url: server.url, bodies: ['token=…'], connections: 16, amount: 5000 });
 *   printLoad('handler', figure);                    // requests/s, p50, p99, statuses
 *   const { rss } = await server.memory();           // after a full GC in the server process
 *   const { user, system } = await server.cpuTime(); // its CPU time so far (per request: its cost)
 *   await server.stop();
 *
 * - `runLoad(job)` forks bench/http-load-runner.ts for one run; `startLoad(job)` does the same and
 *   can be stopped early (a background flood). Each request takes the next of `bodies`, round the
 *   list; `amount` fixes the number of requests, `durationSeconds` the time, `overallRate` a steady
 *   rate across all connections.
 * - `serveForBench(server)` (in the server's process): listens on 127.0.0.1, port 0, tells the parent
 *   the port, and answers its memory questions.
 *
 * Where a server's time goes: `BENCH_SERVER_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench
 * -- http` gives every server process those node flags (NODE_OPTIONS may not carry --cpu-prof); each
 * writes its profile when it is stopped. `BENCH_SERVER_NODE=/path/to/node` runs the servers on another
 * Node (n8n 2.x runs on Node 24; the load generator stays on this one). Open it in Chrome DevTools or summarise it with
 * `node bench/cpu-profile-summary.ts <file>`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Server } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';

export interface LoadJob {
  readonly url: string;
  /** Default POST. */
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Request bodies, taken in turn. One body: every request sends it. */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly pipelining?: number;
  readonly amount?: number;
  readonly durationSeconds?: number;
  readonly overallRate?: number;
  readonly timeoutSeconds?: number;
}

export interface LoadFigure {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses per HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
}

export interface RunningLoad {
  readonly result: Promise<LoadFigure>;
  /** Ends the run now; `result` then resolves with what was measured so far. */
  stop(): void;
}

const RUNNER = join(import.meta.dirname, 'http-load-runner.ts');

/** The machine's core count, printed with every HTTP figure: the generator and server share them. */
export const CORES = cpus().length;

function childExit(child: ChildProcess): Promise<never> {
  return new Promise((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`process ended (${signal ?? `exit ${code}`})`)));
  });
}

export function startLoad(job: LoadJob): RunningLoad {
  const child = fork(RUNNER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answer = new Promise<LoadFigure>((resolve) => {
    child.on('message', (message: { type?: string; figure?: LoadFigure }) => {
      if (message.type === 'result' && message.figure) resolve(message.figure);
    });
  });
  child.send({ type: 'run', job });
  return {
    result: Promise.race([answer, childExit(child)]),
    stop: () => {
      if (child.connected) child.send({ type: 'stop' });
    },
  };
}

export function runLoad(job: LoadJob): Promise<LoadFigure> {
  return startLoad(job).result;
}

export interface ProcessMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The server's Node version. */
  readonly nodeVersion: string;
  /** The server process's memory after three full collections. */
  memory(): Promise<ProcessMemory>;
  /**
   * CPU time the server process has used so far, user and system (kernel), µs, all its threads. Per
   * request it is the server's cost even on a busy machine, where requests per second also measure
   * the neighbours.
   */
  cpuTime(): Promise<{ readonly user: number; readonly system: number }>;
  stop(): Promise<void>;
}

/** Forks `file` (which calls `serveForBench`) and waits until it listens. Stopped by PID. */
export async function startServerProcess(file: string, args: readonly string[] = []): Promise<ServerProcess> {
  const child = fork(file, [...args], {
    execPath: process.env.BENCH_SERVER_NODE || process.execPath,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [
      ...process.execArgv.filter((flag) => flag !== '--expose-gc'),
      '--expose-gc',
      ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  const exited = childExit(child);
  exited.catch(() => undefined);
  const next = <T>(type: string): Promise<T> =>
    Promise.race([
      new Promise<T>((resolve) => {
        const listener = (message: { type?: string }): void => {
          if (message.type !== type) return;
          child.off('message', listener);
          resolve(message as T);
        };
        child.on('message', listener);
      }),
      exited,
    ]);
  const { port, nodeVersion } = await next<{ port: number; nodeVersion: string }>('listening');
  const cpuTime = async (): Promise<{ user: number; system: number }> => {
    const answer = next<{ user: number; system: number }>('cpu');
    child.send({ type: 'cpu' });
    const { user, system } = await answer;
    return { user, system };
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    nodeVersion,
    async memory() {
      const answer = next<ProcessMemory>('memory');
      child.send({ type: 'memory' });
      return answer;
    },
    cpuTime,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((done) => {
        child.once('exit', () => done());
        process.kill(child.pid as number, 'SIGTERM');
      });
    },
  };
}

/** In the server's process: listen on 127.0.0.1 (a free port), report it, answer memory questions. */
export function serveForBench(server: Server): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('the server process needs --expose-gc');
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    process.send?.({ type: 'listening', port: address.port, nodeVersion: process.version });
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', user, system });
    }
    if (message.type !== 'memory') return;
    for (let i = 0; i < 3; i++) collect();
    const { rss, heapUsed, external } = process.memoryUsage();
    process.send?.({ type: 'memory', rss, heapUsed, external });
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0)); // the bench ended (or crashed) first
}

/** A bench that counted the wrong answers would measure nothing: every status must be an expected one. */
export function expectStatuses(label: string, figure: LoadFigure, allowed: readonly number[]): void {
  const wrong = Object.keys(figure.statuses).filter((status) => !allowed.includes(Number(status)));
  if (wrong.length > 0 || figure.errors > 0 || figure.timeouts > 0)
    throw new Error(`${label}: unexpected answers ${JSON.stringify(figure)}`);
}

export function printLoad(label: string, f: LoadFigure, note = ''): void {
  const statuses = Object.entries(f.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const failures = f.errors + f.timeouts > 0 ? `, ${f.errors} errors, ${f.timeouts} timeouts` : '';
  console.log(
    `  ${label.padEnd(44)} ${Math.round(f.requestsPerSecond).toString().padStart(7)} req/s   p50 ${f.p50Ms.toFixed(2)} ms   p99 ${f.p99Ms.toFixed(2)} ms   ${note ? `${note}   ` : ''}(${statuses}${failures})`,
  );
}
