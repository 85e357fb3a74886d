// A throwaway Postgres cluster for the n8n suites: `initdb` into a temporary folder, `pg_ctl start` on
// 127.0.0.1 and a free port (Unix socket in the same folder), stopped by `pg_ctl stop` (and its PID)
// when the test ends. Postgres refuses to run as root: under root the cluster belongs to, and runs as,
// the unprivileged user `nobody` (present on Debian; `N8N_EMBED_PG_USER` names another), through
// `runuser`. The server binaries come from `pg_config --bindir` (Debian's postgresql package), or PATH.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './n8n-process.js';

export interface PostgresCluster {
  /** n8n's settings for this cluster: `DB_TYPE=postgresdb` and its `DB_POSTGRESDB_*` variables. */
  readonly n8nEnv: Record<string, string>;
  stop(): Promise<void>;
}

function binDir(): string {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no pg_config: fall back to PATH
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'Postgres server binaries (initdb, pg_ctl) not found: apt-get install postgresql (the n8n suite runs n8n on Postgres too)',
  );
}

/** Runs a Postgres binary, as `user` when this process is root. */
function runner(user: string | undefined): (file: string, args: string[]) => string {
  return (file, args) =>
    user === undefined
      ? execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      : execFileSync('runuser', ['-u', user, '--', file, ...args], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
}

function idOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Starts a fresh cluster with a database `n8n`, owned by the superuser `postgres` (trust auth). */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? (process.env.N8N_EMBED_PG_USER ?? 'nobody') : undefined;
  const run = runner(user);
  const folder = mkdtempSync(join(tmpdir(), 'n8n-embed-pg-'));
  const data = join(folder, 'data');
  if (user !== undefined) {
    const { uid, gid } = idOf(user);
    chownSync(folder, uid, gid);
  }
  chmodSync(folder, 0o700);
  const port = await freePort();
  const pg = (name: string, args: string[]) => run(join(bin, name), args);

  let pid: number | undefined;
  const killOnExit = () => {
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  };
  const stop = async (): Promise<void> => {
    try {
      pg('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } catch {
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    process.off('exit', killOnExit);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    pg('pg_ctl', [
      'start',
      '-D',
      data,
      '-w',
      '-t',
      '60',
      '-l',
      join(folder, 'postgres.log'),
      // 127.0.0.1 only, the socket in our folder, no fsync (a throwaway cluster).
      '-o',
      `-h 127.0.0.1 -p ${port} -k ${folder} -F -c max_connections=50`,
    ]);
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.once('exit', killOnExit);
    pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n']);
  } catch (error) {
    const log = existsSync(join(folder, 'postgres.log'))
      ? readFileSync(join(folder, 'postgres.log'), 'utf8')
      : '';
    await stop();
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`could not start Postgres: ${(error as Error).message}\n${stderr}\n${log.slice(-2000)}`);
  }
  return {
    n8nEnv: {
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: '127.0.0.1',
      DB_POSTGRESDB_PORT: String(port),
      DB_POSTGRESDB_DATABASE: 'n8n',
      DB_POSTGRESDB_USER: 'postgres',
      DB_POSTGRESDB_PASSWORD: '',
    },
    stop,
  };
}
