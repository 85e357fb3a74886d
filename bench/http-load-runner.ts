// The load generator's own process (forked by bench/http-load.ts): one autocannon run, configured over
// IPC, answered over IPC. Latencies are taken from autocannon's per-response event in full precision
// (its histogram counts whole milliseconds, too coarse for sub-millisecond answers), for every status.
import autocannon, { type AutocannonOptions, type AutocannonRequest } from 'autocannon';
import type { LoadFigure, LoadJob } from './http-load.js';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function run(job: LoadJob): void {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const options: AutocannonOptions = {
    url: job.url,
    method: job.method ?? 'POST',
    headers: job.headers ?? {},
    connections: job.connections,
    pipelining: job.pipelining ?? 1,
    timeout: job.timeoutSeconds ?? 10,
  };
  if (job.amount !== undefined) options.amount = job.amount;
  if (job.durationSeconds !== undefined) options.duration = job.durationSeconds;
  if (job.overallRate !== undefined) options.overallRate = job.overallRate;
  const bodies = job.bodies;
  if (bodies.length === 1) options.body = bodies[0];
  else {
    // Each request takes the next body, round the list. A list of fresh tokens is as long as the run
    // (\`amount\`), so none is sent twice; a repeat would show as a refusal in \`statuses\`.
    let next = 0;
    options.requests = [
      {
        setupRequest: (request: AutocannonRequest): AutocannonRequest => {
          const body = bodies[next];
          next = (next + 1) % bodies.length;
          return { ...request, body };
        },
      },
    ];
  }
  // From the start to the last answer: autocannon notices the end of a run on its next 1 s tick.
  let started = 0n;
  let lastAnswer = 0n;
  const instance = autocannon(options, (error, result) => {
    if (error) throw error;
    const seconds = Number(lastAnswer - started) / 1e9;
    const sorted = Float64Array.from(latencies).sort();
    const figure: LoadFigure = {
      requests: sorted.length,
      seconds,
      requestsPerSecond: sorted.length / seconds,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
    };
    process.send?.({ type: 'result', figure }, () => process.disconnect());
  });
  instance.on('start', () => {
    started = process.hrtime.bigint();
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    lastAnswer = process.hrtime.bigint();
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') instance.stop();
  });
}

process.once('message', (message: { type: string; job: LoadJob }) => {
  if (message.type === 'run') run(message.job);
});
