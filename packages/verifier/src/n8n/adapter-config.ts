import {
  configError,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  MAX_CLOCK_TOLERANCE_SECONDS,
  normaliseOrigin,
  type Profile,
  parseTrustedKeys,
  type TrustedKeySource,
} from '@n8n-embed/protocol';
import { type Env, readBoolean, readChoice, readEnv, readInteger } from './read-env.js';

export type ReplayChoice =
  | { readonly kind: 'memory' }
  | { readonly kind: 'redis'; readonly url: string; readonly variable: string };

export interface AdapterConfig {
  readonly trustedKeys: TrustedKeySource[];
  /** The variable the keys came from, for messages. */
  readonly trustedKeysVariable: string;
  readonly perMinute: number;
  readonly profile: Profile;
  readonly clockToleranceSeconds: number;
  readonly replay: ReplayChoice;
  readonly portalOrigins?: readonly string[] | 'any';
}

/** What the adapter needs to know about n8n's own queue-mode Redis, for the replay store default. */
export interface QueueRedis {
  readonly queueMode: boolean;
  /** n8n's `QUEUE_BULL_REDIS_*` settings as a URL, when in queue mode. */
  readonly url?: string;
}

function readReplay(env: Env, queue: QueueRedis): ReplayChoice {
  const kind = readChoice(
    env,
    'N8N_EMBED_REPLAY_STORE',
    ['memory', 'redis'],
    queue.queueMode ? 'redis' : 'memory',
  );
  if (kind === 'memory') return { kind };
  const own = readEnv(env, 'N8N_EMBED_REDIS_URL');
  if (own !== undefined) {
    if (!/^rediss?:\/\//.test(own.value))
      throw configError(`${own.variable}: must start with redis:// or rediss://`);
    return { kind, url: own.value, variable: own.variable };
  }
  if (queue.url !== undefined) return { kind, url: queue.url, variable: 'QUEUE_BULL_REDIS_*' };
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
  };
}
