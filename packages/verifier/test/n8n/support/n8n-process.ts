import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { n8nRoot, node24 } from './n8n-peer.js';

/** The built hooks file users point EXTERNAL_HOOK_FILES at (scripts/test-n8n.sh builds it first). */
export const HOOKS_FILE = resolve(import.meta.dirname, '../../../dist/n8n.js');
/** The user-copyable hooks file of examples/n8n-hooks, which requires the package by name. */
export const EXAMPLE_HOOKS_FILE = resolve(import.meta.dirname, '../../../../../examples/n8n-hooks/hooks.cjs');

export interface RunningN8n {
  readonly url: string;
  /** The port of n8n's task broker (`N8N_RUNNERS_BROKER_PORT`). */
  readonly brokerPort: number;
  /** n8n's SQLite database. */
  readonly databaseFile: string;
  /** Everything n8n wrote so far (JSON log lines), across restarts. */
  log(): string;
  stop(): Promise<void>;
  /**
   * Stops n8n and starts it again on the same folder, database and ports; `env` replaces variables
   * (an empty string unsets one), the rest of the environment stays.
   */
  restart(env?: Record<string, string>): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    process.kill(child.pid as number, 'SIGTERM');
  });
}

async function waitForReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}:\n${log().slice(-4000)}`);
    const ready = await fetch(`${url}/healthz/readiness`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`n8n did not become ready:\n${log().slice(-4000)}`);
}

/** What `startN8n` varies besides n8n's environment. */
export interface N8nStartOptions {
  /** Extra environment for n8n, e.g. `DB_TYPE=postgresdb` and its `DB_POSTGRESDB_*` settings. */
  readonly database?: Record<string, string>;
}

/**
 * Starts the cached n8n under Node 24 on 127.0.0.1 with our hooks file, in a fresh user folder (its
 * own SQLite database unless `database` says otherwise), as shared docs n8n-peer.md describes. Every
 * port it opens is a free one picked here: its HTTP port and its task broker's
 * (`N8N_RUNNERS_BROKER_PORT`, 5679 by default), so the suite runs beside a user's own n8n on 5678/5679.
 * Stop it with `stop()` (SIGTERM to its PID, SIGKILL after 15 s); it is also killed if this process
 * exits first. `restart()` stops it and starts it again on the same folder, database and ports.
 */
export async function startN8n(
  env: Record<string, string>,
  options: N8nStartOptions = {},
): Promise<RunningN8n> {
  const port = await freePort();
  const brokerPort = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'n8n-embed-peer-'));
  const logFile = join(folder, 'n8n.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const url = `http://127.0.0.1:${port}`;
  const log = () => readFileSync(logFile, 'utf8');
  let current = { ...env };
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(node24(), [join(n8nRoot(), 'bin', 'n8n'), 'start'], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: folder,
        N8N_HOST: '127.0.0.1',
        N8N_PORT: String(port),
        N8N_LISTEN_ADDRESS: '127.0.0.1',
        N8N_RUNNERS_BROKER_PORT: String(brokerPort),
        N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
        N8N_PROTOCOL: 'http',
        N8N_USER_FOLDER: folder,
        N8N_SECURE_COOKIE: 'false',
        NODE_ENV: 'production',
        N8N_DIAGNOSTICS_ENABLED: 'false',
        N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
        N8N_PERSONALIZATION_ENABLED: 'false',
        N8N_TEMPLATES_ENABLED: 'false',
        N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
        N8N_HIRING_BANNER_ENABLED: 'false',
        N8N_DISABLED_MODULES: 'mcp-registry',
        N8N_LOG_FORMAT: 'json',
        N8N_LOG_LEVEL: 'info',
        EXTERNAL_HOOK_FILES: HOOKS_FILE,
        ...options.database,
        ...Object.fromEntries(Object.entries(current).filter(([, value]) => value !== '')),
      },
    });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    try {
      await waitForReady(url, child, log);
    } catch (error) {
      await stopProcess(child);
      throw error;
    }
    return child;
  };
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    if (child) await stopProcess(child);
    process.off('exit', killOnExit);
    out.end();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    child = await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    brokerPort,
    databaseFile: join(folder, '.n8n', 'database.sqlite'),
    log,
    stop,
    async restart(changes = {}) {
      if (child) await stopProcess(child);
      current = { ...current, ...changes };
      child = await launch();
    },
  };
}

export const OWNER = {
  email: 'owner@n8n-embed.test',
  firstName: 'Olive',
  lastName: 'Owner',
  password: 'Owner-password-1',
} as const;

/** Creates the instance owner, as the setup screen does. */
export async function setUpOwner(url: string): Promise<void> {
  const response = await fetch(`${url}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (!response.ok) throw new Error(`owner setup: ${response.status} ${await response.text()}`);
}
