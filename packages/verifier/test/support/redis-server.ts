import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `redis-server` on a free loopback port, without persistence, for one test file. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** The running server's process id (undefined while stopped), e.g. to read its CPU figures. */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same settings. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): the socket stays open but nothing answers, like a lost reply. */
  pause(): void;
  resume(): void;
  /** Stops the server for good and removes its scratch directory. */
  close(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra `redis-server` arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']`. */
  readonly args?: readonly string[];
}

const INSTALL_HINT =
  'redis-server was not found on PATH. The Redis suites need a real Redis: install it with ' +
  '`apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS); `.ci/run` does this in CI.';

function redisMajorVersion(): number {
  let out: string;
  try {
    out = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
  } catch (cause) {
    throw new Error(INSTALL_HINT, { cause });
  }
  const match = /v=(\d+)\./.exec(out);
  return match ? Number(match[1]) : 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

async function waitUntil(check: () => Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServer> {
  const major = redisMajorVersion();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    '',
    '--loglevel',
    'warning',
    // DEBUG SLEEP simulates a slow Redis; Redis 7 disables DEBUG unless told otherwise.
    ...(major >= 7 ? ['--enable-debug-command', 'yes'] : []),
    ...(options.args ?? []),
  ];
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    output = '';
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<boolean>((resolve) => proc.once('exit', () => resolve(false)));
    await waitUntil(async () => {
      if (proc.exitCode !== null) throw new Error(`redis-server exited at start:\n${output}`);
      return Promise.race([ping(port), exited]);
    }, `redis-server on port ${port}`);
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid(): number | undefined {
      return child?.pid;
    },
    start,
    async stop(): Promise<void> {
      await stop();
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close(): Promise<void> {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
