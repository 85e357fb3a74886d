import {
  configError,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  MAX_CLOCK_TOLERANCE_SECONDS,
  normaliseOrigin,
  type Profile,
  parseTrustedKeys,
  type TrustedKeySource,
} from '@n8n-embed/protocol';
import { checkRedisUrl } from '../replay/redis-options.js';
import { type Env, readBoolean, readChoice, readEnv, readInteger } from './read-env.js';

export type ReplayChoice =
  | { readonly kind: 'database' }
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'redis';
      readonly url: string;
      readonly variable: string;
      /** `N8N_EMBED_REDIS_ALLOW_EVICTION`: start even when Redis may evict consumed ids. */
      readonly allowEviction: boolean;
    };

export interface AdapterConfig {
  readonly trustedKeys: TrustedKeySource[];
  /** The variable the keys came from, for messages. */
  readonly trustedKeysVariable: string;
  readonly perMinute: number;
  readonly profile: Profile;
  readonly clockToleranceSeconds: number;
  readonly replay: ReplayChoice;
  readonly portalOrigins?: readonly string[] | 'any';
  /**
   * `N8N_EMBED_PARTITIONED_COOKIE`: the login's session cookie also carries `Partitioned` (CHIPS), for a
   * portal on another site whose users block third-party cookies in Chromium (issue 14).
   */
  readonly partitionedCookie: boolean;
}

/** What the adapter needs to know about n8n's own queue-mode Redis, for the replay store default. */
export interface QueueRedis {
  readonly queueMode: boolean;
  /** n8n's `QUEUE_BULL_REDIS_*` settings as a URL, when in queue mode. */
  readonly url?: string;
}

/**
 * The replay store: n8n's own database by default (consumed tokens survive a restart and are shared by
 * every n8n process on it); Redis when chosen or when `N8N_EMBED_REDIS_URL` is set; memory only on
 * request (one process, forgotten at restart).
 */
function readReplay(env: Env, queue: QueueRedis): ReplayChoice {
  const own = readEnv(env, 'N8N_EMBED_REDIS_URL');
  const kind = readChoice(
    env,
    'N8N_EMBED_REPLAY_STORE',
    ['database', 'redis', 'memory'],
    own === undefined ? 'database' : 'redis',
  );
  if (kind !== 'redis') return { kind };
  const allowEviction = readBoolean(env, 'N8N_EMBED_REDIS_ALLOW_EVICTION', false);
  if (own !== undefined) {
    return { kind, url: checkRedisUrl(own.value, own.variable), variable: own.variable, allowEviction };
  }
  if (queue.url !== undefined) return { kind, url: queue.url, variable: 'QUEUE_BULL_REDIS_*', allowEviction };
  throw configError('N8N_EMBED_REPLAY_STORE: redis needs N8N_EMBED_REDIS_URL (or n8n in queue mode)');
}

/**
 * `N8N_EMBED_PORTAL_ORIGINS`: the portal origins that may start logins (login CSRF). Required in
 * profile `strict`; `*` is the explicit opt-out, which the endpoint warns about at start. Profile
 * `n8n` without it accepts any origin, as n8n's own module does.
 */
function readOrigins(env: Env, profile: Profile): readonly string[] | 'any' | undefined {
  const entry = readEnv(env, 'N8N_EMBED_PORTAL_ORIGINS');
  if (entry === undefined) {
    if (profile === 'n8n') return undefined;
    throw configError(
      'N8N_EMBED_PORTAL_ORIGINS: not set; list the portal origins that embed n8n (comma-separated, e.g. https://portal.example.com), or * to accept logins started by any site',
    );
  }
  if (entry.value === '*') return 'any';
  return entry.value
    .split(',')
    .map((origin, index) => normaliseOrigin(origin, `${entry.variable} entry ${index}`));
}

/**
 * The adapter's configuration from the environment, reusing n8n's names where they exist. `undefined`
 * when embed login is off (`N8N_EMBED_LOGIN_ENABLED`, n8n's own switch, is not true). Every mistake is
 * a `config_invalid` error whose message names the variable and, for keys, the entry.
 */
export function readAdapterConfig(env: Env, queue: QueueRedis): AdapterConfig | undefined {
  if (!readBoolean(env, 'N8N_EMBED_LOGIN_ENABLED', false)) return undefined;
  const keys = readEnv(env, 'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS');
  if (keys === undefined) {
    throw configError('N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: not set (nor N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE)');
  }
  const profile = readChoice(env, 'N8N_EMBED_PROFILE', ['strict', 'n8n'], 'strict');
  const portalOrigins = readOrigins(env, profile);
  return {
    trustedKeys: parseTrustedKeys(keys.value, { source: keys.variable }),
    trustedKeysVariable: keys.variable,
    perMinute: readInteger(env, 'N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE', {
      min: 1,
      max: 1_000_000,
      fallback: DEFAULT_RATE_LIMIT_PER_MINUTE,
    }),
    profile,
    clockToleranceSeconds: readInteger(env, 'N8N_EMBED_CLOCK_TOLERANCE_SECONDS', {
      min: 0,
      max: MAX_CLOCK_TOLERANCE_SECONDS,
      fallback: 0,
    }),
    replay: readReplay(env, queue),
    ...(portalOrigins ? { portalOrigins } : {}),
    partitionedCookie: readBoolean(env, 'N8N_EMBED_PARTITIONED_COOKIE', false),
  };
}
