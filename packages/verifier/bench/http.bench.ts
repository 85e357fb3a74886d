// The embed-login endpoint over HTTP (issue 16, items 1 and 2): autocannon in its own process against
// servers on 127.0.0.1, each in its own process (support/login-servers.ts), references measured in the
// same run. Run: npm run bench -- http
//
// 1. Valid logins: createEmbedLoginHandler behind toNodeHandler (memory replay store, in-memory users,
//    one portal origin, rateLimit: false) fed freshly minted ES256 tokens, each sent once, vs a bare
//    node:http server doing only node:crypto's ES256 verification of the same kind of tokens.
// 2. A garbage flood (malformed and unknown-kid tokens) vs a bare node:http server answering 400 (and,
//    as a second reference, one that reads the body and answers n8n's JSON 400: what taking a token
//    from a POST body costs by itself); valid logins at a steady rate while the flood runs, against the
//    same rate idle; the server's memory after 1,000,000 rejected requests against where it started.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type LiteRequest, liteHandlerOf } from '@n8n-embed/node-http';
import { EMBED_LOGIN_PATH } from '@n8n-embed/protocol';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import { createEmbedLoginHandler, createMemoryReplayStore, createVerifier } from '@n8n-embed/verifier';
import {
  CORES,
  expectStatuses,
  type LoadFigure,
  type LoadJob,
  printLoad,
  runLoad,
  type ServerProcess,
  startLoad,
  startServerProcess,
} from '../../../bench/http-load.js';
import { reportRatio, reportValue } from '../../../bench/measure.js';

/** Seconds per measured round; rounds alternate between the candidates. Env overrides: smoke tests. */
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const FLOOD_TOTAL = Number(process.env.BENCH_FLOOD_TOTAL ?? 1_000_000);
const CONNECTIONS = 16;
const STEADY_RATE = 100; // valid logins per second during the flood, and idle
const USERS = 1_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SERVERS = join(import.meta.dirname, 'support', 'login-servers.ts');

const es256 = VECTOR_KEYS.find((key) => key.alg === 'ES256');
if (es256 === undefined) throw new Error('no ES256 vector key');
const signer = await createLoginSigner({
  privateKey: es256.privateJwk,
  kid: es256.kid,
  issuer: VECTOR_ISSUER,
  audience: VECTOR_AUDIENCE,
  lifetimeSeconds: 60,
});

let minted = 0;
/** `count` fresh tokens (each its own jti), for USERS users in turn: the portal's form bodies. */
async function freshBodies(count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = minted++ % USERS;
    const token = await signer.mint({
      sub: `user-${n}`,
      email: `user-${n}@example.com`,
      emailVerified: true,
    });
    bodies.push(`token=${token}&redirectTo=%2Fhome%2Fworkflows`);
  }
  return bodies;
}

const b64 = (value: string): string => Buffer.from(value).toString('base64url');
const junk = (length: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
  return text;
};

/** What a flood sends: half malformed in assorted ways, half well-formed with a kid no key has. */
function garbageBodies(count: number): string[] {
  const now = Math.floor(Date.now() / 1000);
  const malformed = [
    () => junk(40 + Math.floor(Math.random() * 400)), // no dots at all
    () => `${junk(36)}.${junk(120)}`, // two segments
    () => `${junk(36)}.${junk(120)}.`, // an empty signature
    () => `${junk(36)}$.${junk(120)}.${junk(86)}`, // a character outside base64url
    () => `${b64('{"alg":"ES256",')}.${junk(120)}.${junk(86)}`, // a header that is not JSON
  ];
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    let token: string;
    if (i % 2 === 0) token = malformed[(i / 2) % malformed.length]?.() ?? '';
    else {
      const header = { alg: 'ES256', kid: `ghost-${junk(12)}`, typ: 'n8n-embed+jwt' };
      const claims = {
        iss: VECTOR_ISSUER,
        sub: junk(8),
        aud: VECTOR_AUDIENCE,
        iat: now,
        exp: now + 30,
        jti: junk(21),
      };
      token = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}.${junk(86)}`;
    }
    bodies.push(`token=${token}`);
  }
  return bodies;
}

/** A run, and the server process's CPU time per request during it (its cost, however busy the machine). */
interface Measured extends LoadFigure {
  readonly serverMicros: number;
  /** Of which the kernel's (system time): the socket reads and writes, waking the load generator. */
  readonly serverSystemMicros: number;
}

async function measured(server: ServerProcess, job: LoadJob): Promise<Measured> {
  const before = await server.cpuTime();
  const figure = await runLoad(job);
  const after = await server.cpuTime();
  const perRequest = (micros: number): number => micros / figure.requests;
  return {
    ...figure,
    serverMicros: perRequest(after.user + after.system - before.user - before.system),
    serverSystemMicros: perRequest(after.system - before.system),
  };
}

function show(label: string, figure: Measured): void {
  printLoad(
    label,
    figure,
    `server CPU ${figure.serverMicros.toFixed(0)} µs/request (kernel ${figure.serverSystemMicros.toFixed(0)})`,
  );
}

function median<F>(figures: F[], pick: (f: F) => number): number {
  const sorted = figures.map(pick).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A candidate's rounds: the median of each figure, and every answer counted. */
function summary(figures: Measured[]): Measured {
  const statuses: Record<string, number> = {};
  for (const f of figures)
    for (const [status, count] of Object.entries(f.statuses))
      statuses[status] = (statuses[status] ?? 0) + count;
  return {
    requests: figures.reduce((sum, f) => sum + f.requests, 0),
    seconds: figures.reduce((sum, f) => sum + f.seconds, 0),
    requestsPerSecond: median(figures, (f) => f.requestsPerSecond),
    p50Ms: median(figures, (f) => f.p50Ms),
    p99Ms: median(figures, (f) => f.p99Ms),
    statuses,
    errors: figures.reduce((sum, f) => sum + f.errors, 0),
    timeouts: figures.reduce((sum, f) => sum + f.timeouts, 0),
    serverMicros: median(figures, (f) => f.serverMicros),
    serverSystemMicros: median(figures, (f) => f.serverSystemMicros),
  };
}

const loginJob = (
  server: ServerProcess,
  bodies: readonly string[],
  extra: Partial<LoadJob> = {},
): LoadJob => ({
  url: `${server.url}${EMBED_LOGIN_PATH}`,
  headers: FORM,
  bodies,
  connections: CONNECTIONS,
  amount: bodies.length,
  ...extra,
});

/** A server in a comparison: what it is, the answers it may give, and the job of one round. */
interface Candidate {
  readonly label: string;
  readonly server: ServerProcess;
  readonly statuses: readonly number[];
  job(): Promise<LoadJob>;
}

/**
 * Rounds taking turns between the candidates (so a busy moment hits them all); each candidate's median
 * figures, printed under `title` with every answer checked, in the candidates' order.
 */
async function compare(title: string, candidates: readonly Candidate[]): Promise<Measured[]> {
  const rounds = candidates.map((): Measured[] => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, candidate] of candidates.entries())
      rounds[i]?.push(await measured(candidate.server, await candidate.job()));
  console.log(`\n# ${title} (${CONNECTIONS} connections, median of ${ROUNDS} rounds)`);
  return candidates.map((candidate, i) => {
    const figure = summary(rounds[i] ?? []);
    expectStatuses(candidate.label, figure, candidate.statuses);
    show(candidate.label, figure);
    return figure;
  });
}

/** The valid-login servers: the reference, the transport and verifier alone, the endpoint. */
interface ValidServers {
  readonly bare: ServerProcess;
  readonly adapter: ServerProcess;
  readonly handler: ServerProcess;
}

async function validLogins(servers: ValidServers): Promise<void> {
  // Warm-up: every user's first login (creating the user), and as many for the others. Their rates
  // size the measured rounds (SECONDS each) so every token is sent once and within its life.
  const candidate = async (label: string, server: ServerProcess): Promise<Candidate> => {
    const warm = await runLoad(loginJob(server, await freshBodies(USERS * 2)));
    expectStatuses(`warm-up, ${label}`, warm, [302]);
    const count = Math.ceil(warm.requestsPerSecond * 1.2 * SECONDS);
    return { label, server, statuses: [302], job: async () => loginJob(server, await freshBodies(count)) };
  };
  const [b, a, h] = (await compare('valid logins over HTTP, POST form, fresh ES256 tokens', [
    await candidate('bare node:http + node:crypto verify, 302', servers.bare),
    await candidate('toNodeHandler + the verifier alone, 302', servers.adapter),
    await candidate('createEmbedLoginHandler + toNodeHandler', servers.handler),
  ])) as [Measured, Measured, Measured];
  const cost = b.requestsPerSecond / h.requestsPerSecond;
  reportRatio('valid logins over HTTP: handler / bare verify (cost)', cost, { atMost: 1.3 });
  reportRatio(
    'valid logins over HTTP: handler / bare verify (server CPU per request)',
    h.serverMicros / b.serverMicros,
  );
  // The gap in two parts: the transport and the verifier's checks, then the endpoint's own steps.
  reportRatio(
    'valid logins over HTTP: toNodeHandler + verifier / bare verify (server CPU per request)',
    a.serverMicros / b.serverMicros,
  );
}

/** Other memory touched between two calls of the cold loop: about what a server's socket reads, HTTP parser and kernel touch between two requests. */
const COLD_BYTES = 1024 * 1024;

/**
 * Why a handler's cost in a loop does not carry over to a server: the same calls on the flood's tokens,
 * timed alone, with hot caches and with COLD_BYTES of other memory touched between calls, beside the
 * handler's own CPU per request inside the server (the handler server's less the adapter's, user time:
 * a loop makes no system calls).
 */
async function refusalInServerAndLoop(
  inServerHandler: Measured,
  inServerAdapter: Measured,
  garbage: readonly string[],
): Promise<void> {
  const verifier = await createVerifier({
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    crypto: 'node',
    replayStore: createMemoryReplayStore(),
  });
  const handler = createEmbedLoginHandler({
    verifier,
    n8nUrl: 'https://n8n.example.com/',
    portalOrigins: ['https://portal.example.com'],
    rateLimit: false,
    resolveUser: () => {
      throw new Error('a flood token was accepted');
    },
    issueSession: () => {},
  });
  const lite = liteHandlerOf(handler);
  if (lite === undefined) throw new Error('the handler offers no lite entry');
  const bodies = garbage.map((text) => new TextEncoder().encode(text));
  const other = new Uint8Array(COLD_BYTES);
  const microsPerCall = async (touch: boolean, calls: number): Promise<number> => {
    let total = 0n;
    for (let i = 0; i < calls; i++) {
      if (touch) for (let j = 0; j < other.length; j += 64) other[j] = i;
      const body = bodies[i % bodies.length];
      const request: LiteRequest = {
        method: 'POST',
        target: EMBED_LOGIN_PATH,
        header: (name) => (name === 'content-type' ? FORM['content-type'] : null),
        headerNames: () => ['content-type'],
        body: async () => body,
      };
      const start = process.hrtime.bigint();
      const answer = await lite(request, {});
      total += process.hrtime.bigint() - start;
      if (answer.status !== 400 && answer.status !== 401) throw new Error(`flood token: ${answer.status}`);
    }
    return Number(total) / calls / 1000;
  };
  await microsPerCall(false, 20_000); // warm-up
  // One round after another: concurrent rounds would time each other's calls.
  const hotRounds: number[] = [];
  const coldRounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    hotRounds.push(await microsPerCall(false, 20_000));
    coldRounds.push(await microsPerCall(true, 5_000));
  }
  const hot = median(hotRounds, (x) => x);
  const coldMicros = median(coldRounds, (x) => x);
  const user = (figure: Measured): number => figure.serverMicros - figure.serverSystemMicros;
  const inServer = user(inServerHandler) - user(inServerAdapter);
  console.log("\n# the handler's own work on a flood token: inside the server, and in a loop (median of 3)");
  console.log(
    `  inside the server (user CPU: handler less toNodeHandler reading the body)  ${inServer.toFixed(1)} µs/request`,
  );
  console.log(
    `  in a loop, hot caches                                                      ${hot.toFixed(1)} µs/call`,
  );
  console.log(
    `  in a loop, ${COLD_BYTES / 1024} KiB of other memory touched between calls                 ${coldMicros.toFixed(1)} µs/call`,
  );
  reportRatio(
    "handler's refusal in a loop: other memory touched between calls / hot caches",
    coldMicros / hot,
  );
  reportRatio("handler's refusal: inside the server / in a loop with hot caches", inServer / hot);
}

/** The flood's servers, cheapest first: each adds one thing to the one before. */
interface FloodServers {
  readonly bare: ServerProcess;
  readonly bareRead: ServerProcess;
  readonly adapter: ServerProcess;
  readonly handler: ServerProcess;
}

async function flood(servers: FloodServers, garbage: readonly string[]): Promise<void> {
  const floodJob = (server: ServerProcess, extra: Partial<LoadJob> = {}): LoadJob =>
    loginJob(server, garbage, { amount: undefined, durationSeconds: SECONDS, ...extra });
  const candidate = (label: string, server: ServerProcess, statuses: number[]): Candidate => ({
    label,
    server,
    statuses,
    job: async () => floodJob(server),
  });
  const candidates = [
    candidate('bare node:http, 400 to everything', servers.bare, [400]),
    candidate("bare node:http reading the body, n8n's JSON 400", servers.bareRead, [400]),
    candidate(
      'toNodeHandler around a handler that only reads the body, the same 400',
      servers.adapter,
      [400],
    ),
    candidate('createEmbedLoginHandler + toNodeHandler', servers.handler, [400, 401]),
  ];
  for (const { server } of candidates) await runLoad(floodJob(server, { durationSeconds: 1 })); // warm-up
  const [b, r, a, h] = (await compare('garbage flood: malformed and unknown-kid tokens', candidates)) as [
    Measured,
    Measured,
    Measured,
    Measured,
  ];
  reportRatio('garbage flood: handler / bare 400 (rate)', h.requestsPerSecond / b.requestsPerSecond, {
    atLeast: 0.8,
  });
  reportRatio('garbage flood: handler / bare 400 (server CPU per request)', h.serverMicros / b.serverMicros);
  // Each step's own share of the gap, against the same bare 400: reading the body and answering n8n's
  // JSON (the ceiling of any endpoint that takes the token from a POST body), then the adapter.
  reportRatio(
    'garbage flood: bare read + JSON 400 / bare 400 (rate, the ceiling)',
    r.requestsPerSecond / b.requestsPerSecond,
  );
  reportRatio(
    'garbage flood: toNodeHandler reading the body / bare 400 (rate)',
    a.requestsPerSecond / b.requestsPerSecond,
  );
  await refusalInServerAndLoop(h, a, garbage);
  // Valid logins at a steady rate, idle and then while the flood runs at full speed.
  const steadyCount = STEADY_RATE * SECONDS;
  const { handler } = servers;
  const steadyJob = async (): Promise<LoadJob> =>
    loginJob(handler, await freshBodies(steadyCount), { connections: 4, overallRate: STEADY_RATE });
  const idle = await runLoad(await steadyJob());
  const steady = await steadyJob();
  const background = startLoad(floodJob(handler, { durationSeconds: SECONDS * 4 }));
  await new Promise((done) => setTimeout(done, 500));
  const during = await runLoad(steady);
  background.stop();
  const floodDuring = await background.result;
  expectStatuses('steady logins, idle', idle, [302]);
  expectStatuses('steady logins, under flood', during, [302]);
  console.log(`\n# valid logins at ${STEADY_RATE}/s (4 connections), idle and during the flood`);
  printLoad('valid logins, idle', idle);
  printLoad('valid logins, during the flood', during);
  printLoad('the flood meanwhile', floodDuring);
  reportRatio('valid-login p99 during the flood / idle', during.p99Ms / idle.p99Ms, { atMost: 2 });

  // The handler process's memory after FLOOD_TOTAL rejected requests, against where it started (both
  // after full collections in that process).
  const before = await handler.memory();
  const soak = await runLoad(floodJob(handler, { durationSeconds: undefined, amount: FLOOD_TOTAL }));
  const after = await handler.memory();
  expectStatuses('soak', soak, [400, 401]);
  const mb = (bytes: number): number => bytes / 1024 / 1024;
  console.log(`\n# ${FLOOD_TOTAL.toLocaleString('en')} rejected requests against the handler`);
  printLoad('the flood', soak);
  console.log(
    `  heap used ${mb(before.heapUsed).toFixed(1)} -> ${mb(after.heapUsed).toFixed(1)} MB, rss ${mb(before.rss).toFixed(1)} -> ${mb(after.rss).toFixed(1)} MB`,
  );
  reportValue('server rss growth after the flood', mb(after.rss - before.rss), 'MB', { atMost: 10 });
  reportValue('server heap growth after the flood', mb(after.heapUsed - before.heapUsed), 'MB', {
    atMost: 10,
  });
}

const servers = {
  handler: await startServerProcess(SERVERS, ['handler']),
  bareVerify: await startServerProcess(SERVERS, ['bare-verify']),
  bare: await startServerProcess(SERVERS, ['bare-400']),
  bareRead: await startServerProcess(SERVERS, ['bare-read']),
  adapter: await startServerProcess(SERVERS, ['adapter-read']),
  adapterVerify: await startServerProcess(SERVERS, ['adapter-verify']),
};
const load = loadavg()
  .map((n) => n.toFixed(1))
  .join(' ');
console.log(
  `endpoint over HTTP: servers on node ${servers.handler.nodeVersion}, load generator on node ${process.version}, ${CORES} cores shared by both (load average ${load})`,
);
try {
  await validLogins({ bare: servers.bareVerify, adapter: servers.adapterVerify, handler: servers.handler });
  await flood(servers, garbageBodies(2_000));
} finally {
  for (const server of Object.values(servers)) await server.stop();
}
