import { EmbedLoginError } from '@n8n-embed/protocol';
import type { ReplayEntry, ReplayStore } from '../types.js';
import { type LocatedN8n, locateRunningN8n } from './locate-n8n.js';
import { loadN8nInternals } from './n8n-internals.js';
import type { N8nDatabase, N8nLogger } from './n8n-types.js';

const SWEEP_EVERY_MS = 60_000;
const SWEEP_BATCH = 1000;
/** Our table, next to n8n's (with n8n's `DB_TABLE_PREFIX`). */
export const REPLAY_TABLE = 'n8n_embed_replay';
const KEY = /^[0-9a-f]{64}$/;

export interface N8nDatabaseReplayStore extends ReplayStore {
  /** Deletes rows expired (grace included) before `now`; resolves how many went. */
  sweep(now?: number): Promise<number>;
}

export interface N8nDatabaseReplayStoreOptions {
  readonly logger?: N8nLogger;
  /** How often expired rows are deleted in the background. Default 60 s. */
  readonly sweepEveryMs?: number;
}

function unavailable(detail: string, cause?: unknown): EmbedLoginError {
  return new EmbedLoginError('store_unavailable', { detail, cause });
}

/** The driver's message names a table or a constraint, never a key or a token. */
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : 'unknown error');

/** The statements for one database type; `t` is the escaped, schema-qualified table name. */
function statementsFor(db: N8nDatabase, t: string) {
  const esc = (name: string) => db.dataSource.driver.escape(name);
  const [key, expiresAt] = [esc('key'), esc('expires_at')];
  if (db.type === 'postgresdb') {
    return {
      create: `CREATE TABLE IF NOT EXISTS ${t} (${key} CHAR(64) PRIMARY KEY, ${expiresAt} BIGINT NOT NULL)`,
      index: `CREATE INDEX IF NOT EXISTS ${esc(`${db.tablePrefix}${REPLAY_TABLE}_expires_at`)} ON ${t} (${expiresAt})`,
      // One statement: a new key inserts; a live one conflicts and the WHERE leaves it alone (Postgres
      // locks the row, so of concurrent consumes exactly one returns it); an expired one is reused.
      consume: `WITH ins AS (
          INSERT INTO ${t} (${key}, ${expiresAt}) VALUES ($1, $2)
          ON CONFLICT (${key}) DO UPDATE SET ${expiresAt} = EXCLUDED.${expiresAt} WHERE ${t}.${expiresAt} <= $3
          RETURNING ${key}
        ) SELECT COUNT(*) AS ${esc('fresh')} FROM ins`,
      sweep: `WITH gone AS (
          DELETE FROM ${t} WHERE ${key} IN (
            SELECT ${key} FROM ${t} WHERE ${expiresAt} < $1 LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED
          ) RETURNING ${key}
        ) SELECT COUNT(*) AS ${esc('gone')} FROM gone`,
    };
  }
  return {
    create: `CREATE TABLE IF NOT EXISTS ${t} (${key} CHAR(64) PRIMARY KEY NOT NULL, ${expiresAt} BIGINT NOT NULL)`,
    index: `CREATE INDEX IF NOT EXISTS ${esc(`${db.tablePrefix}${REPLAY_TABLE}_expires_at`)} ON ${t} (${expiresAt})`,
    // One statement: a new key inserts; a live one conflicts and the WHERE leaves it alone (SQLite has
    // one writer at a time); an expired one is reused. The statement's count of changed rows says which.
    consume: `INSERT INTO ${t} (${key}, ${expiresAt}) VALUES (?, ?)
        ON CONFLICT (${key}) DO UPDATE SET ${expiresAt} = excluded.${expiresAt} WHERE ${t}.${expiresAt} <= ?`,
    sweep: `DELETE FROM ${t} WHERE ${key} IN (SELECT ${key} FROM ${t} WHERE ${expiresAt} < ? LIMIT ${SWEEP_BATCH})`,
  };
}

/**
 * The replay store in n8n's own database (SQLite or Postgres), so consumed tokens survive a restart
 * and are shared by every n8n process on that database. Its own table `n8n_embed_replay` (key: the
 * verifier's hex hash of (iss, jti); expiry in ms), created if absent; n8n's `token_exchange_jti`
 * is left to n8n's module. One atomic insert-if-absent per login; a row lives until the entry's
 * `expiresAt` (the token's `exp` plus tolerance plus the verifier's 60 s grace); expired rows are deleted in the background. Any database error rejects,
 * which the verifier answers `store_unavailable`.
 */
export async function createDatabaseReplayStore(
  db: N8nDatabase,
  options: N8nDatabaseReplayStoreOptions = {},
): Promise<N8nDatabaseReplayStore> {
  const esc = (name: string) => db.dataSource.driver.escape(name);
  const name = esc(`${db.tablePrefix}${REPLAY_TABLE}`);
  const table = db.type === 'postgresdb' && db.schema ? `${esc(db.schema)}.${name}` : name;
  const sql = statementsFor(db, table);

  // IF NOT EXISTS, and once more on failure: two n8n mains starting at once may race on the create.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.dataSource.query(sql.create);
      await db.dataSource.query(sql.index);
      break;
    } catch (error) {
      if (attempt >= 2) throw new Error(`cannot create the table ${table}: ${messageOf(error)}`);
    }
  }

  /**
   * A write statement's own count of changed rows: sqlite3 reports it with the statement and n8n's
   * query runner hands it on as `affected`. One statement is atomic by itself, so no transaction and no
   * second query (`SELECT changes()` needed both, four round trips to the database per login).
   */
  async function changesSqlite(statement: string, parameters: unknown[]): Promise<number> {
    const runner = db.dataSource.createQueryRunner();
    try {
      const { affected } = ((await runner.query(statement, parameters, true)) ?? {}) as {
        affected?: unknown;
      };
      if (typeof affected !== 'number' || !Number.isInteger(affected))
        throw new Error('the database driver reported no count of changed rows');
      return affected;
    } finally {
      await runner.release();
    }
  }

  async function consumePostgres(key: string, expiresAt: number, now: number): Promise<boolean> {
    const [row] = (await db.dataSource.query(sql.consume, [key, expiresAt, now])) as { fresh: unknown }[];
    return Number(row?.fresh) === 1;
  }

  async function sweep(now = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      let gone: number;
      if (db.type === 'postgresdb') {
        const [row] = (await db.dataSource.query(sql.sweep, [now])) as { gone: unknown }[];
        gone = Number(row?.gone);
      } else {
        gone = await changesSqlite(sql.sweep, [now]);
      }
      total += gone;
      if (!(gone >= SWEEP_BATCH)) return total;
    }
  }

  let closed = false;
  const sweeping = () =>
    sweep().catch((error: unknown) => {
      options.logger?.warn(`n8n-embed: could not delete expired replay rows: ${messageOf(error)}`);
    });
  await sweeping();
  const timer = setInterval(sweeping, options.sweepEveryMs ?? SWEEP_EVERY_MS);
  timer.unref();

  return {
    async consume({ key, expiresAt, now }: ReplayEntry): Promise<boolean> {
      if (closed) throw unavailable('the database replay store is closed');
      if (typeof key !== 'string' || !KEY.test(key)) throw unavailable('replay entry key is not a hex hash');
      if (!Number.isSafeInteger(Math.ceil(expiresAt)) || !Number.isSafeInteger(Math.floor(now)))
        throw unavailable('replay entry has no finite expiry');
      const keepUntil = Math.ceil(expiresAt);
      try {
        return db.type === 'postgresdb'
          ? await consumePostgres(key, keepUntil, Math.floor(now))
          : (await changesSqlite(sql.consume, [key, keepUntil, Math.floor(now)])) === 1;
      } catch (error) {
        throw unavailable(`n8n's database refused the consume: ${messageOf(error)}`, error);
      }
    },
    sweep,
    async close(): Promise<void> {
      closed = true;
      clearInterval(timer);
    },
  };
}

export interface N8nDatabaseReplayStoreHookOptions {
  /** Default: the n8n that loaded this file. */
  readonly locate?: () => LocatedN8n;
  /** How often expired rows are deleted in the background. Default 60 s. */
  readonly sweepEveryMs?: number;
}

/**
 * The same store for your own hooks file or host code running inside n8n: n8n's database through
 * n8n's own connection. Call it once n8n is up (in an `n8n.ready` hook).
 */
export async function createN8nDatabaseReplayStore(
  options: N8nDatabaseReplayStoreHookOptions = {},
): Promise<N8nDatabaseReplayStore> {
  const n8n = loadN8nInternals((options.locate ?? locateRunningN8n)());
  return createDatabaseReplayStore(n8n.database, {
    logger: n8n.logger,
    ...(options.sweepEveryMs === undefined ? {} : { sweepEveryMs: options.sweepEveryMs }),
  });
}
