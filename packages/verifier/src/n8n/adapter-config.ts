// The adapter's environment: every variable it reads, its rule and its default, in one zod schema.
// Values are read as n8n reads its own (see `readVariable`); every mistake is one `config_invalid`
// error whose message starts with the variable it came from (or its `_FILE`).

import { readFileSync } from 'node:fs';
import {
  configError,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  MAX_CLOCK_TOLERANCE_SECONDS,
  normaliseOrigin,
  type Profile,
  parseTrustedKeys,
  type TrustedKeySource,
} from '@n8n-embed/protocol';
import * as z from 'zod';
import { checkRedisUrl } from '../replay/redis-options.js';

export type Env = Readonly<Record<string, string | undefined>>;

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

const VARIABLES = [
  'N8N_EMBED_LOGIN_ENABLED',
  'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS',
  'N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE',
  'N8N_EMBED_PROFILE',
  'N8N_EMBED_CLOCK_TOLERANCE_SECONDS',
  'N8N_EMBED_REPLAY_STORE',
  'N8N_EMBED_REDIS_URL',
  'N8N_EMBED_REDIS_ALLOW_EVICTION',
  'N8N_EMBED_PORTAL_ORIGINS',
  'N8N_EMBED_PARTITIONED_COOKIE',
] as const;
type Variable = (typeof VARIABLES)[number];

/**
 * A variable the way n8n's config reads it: the variable itself wins over `<NAME>_FILE` (a file whose
 * content is trimmed); values are trimmed and lose one pair of surrounding quotes. Empty is unset.
 */
function readVariable(env: Env, name: string): { value: string; variable: string } | undefined {
  const direct = env[name];
  if (direct !== undefined) {
    const value = direct.trim().replace(/^(['"])(.*)\1$/s, '$2');
    return value === '' ? undefined : { value, variable: name };
  }
  const file = env[`${name}_FILE`]?.trim();
  if (file === undefined || file === '') return undefined;
  const variable = `${name}_FILE`;
  try {
    return { value: readFileSync(file, 'utf8').trim(), variable };
  } catch (cause) {
    throw configError(`${variable}: cannot read ${file}`, cause);
  }
}

/** The message of a value that breaks a rule: the rule, and the value as given. */
const got =
  (rule: string) =>
  (issue: { input?: unknown }): string =>
    `${rule}, got "${String(issue.input)}"`;

/** `true`/`1` and `false`/`0` (any case), like n8n. */
const flag = (fallback: boolean) =>
  z
    .string()
    .regex(/^(true|false|1|0)$/i, { error: got('expected true or false') })
    .transform((value) => /^(true|1)$/i.test(value))
    .default(fallback);

/** A whole number in [min, max]. */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .refine((value) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max, {
      error: got(`expected a whole number from ${min} to ${max}`),
    })
    .transform(Number)
    .default(fallback);

const oneOf = <const T extends readonly [string, ...string[]]>(choices: T) =>
  z.enum(choices, { error: got(`expected one of ${choices.join(', ')}`) });

/**
 * The schema, for one reading of the environment: `from` names the variable (or `_FILE`) each value
 * came from, so the rules that throw (keys, origins, Redis URL: protocol's and the store's own) name it.
 */
function adapterEnvSchema(from: (name: Variable) => string, queue: QueueRedis) {
  return z
    .object({
      N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: z.string().optional(),
      N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE: wholeNumber(1, 1_000_000, DEFAULT_RATE_LIMIT_PER_MINUTE),
      N8N_EMBED_PROFILE: oneOf(['strict', 'n8n']).default('strict'),
      N8N_EMBED_CLOCK_TOLERANCE_SECONDS: wholeNumber(0, MAX_CLOCK_TOLERANCE_SECONDS, 0),
      N8N_EMBED_REPLAY_STORE: oneOf(['database', 'redis', 'memory']).optional(),
      N8N_EMBED_REDIS_URL: z.string().optional(),
      N8N_EMBED_REDIS_ALLOW_EVICTION: flag(false),
      N8N_EMBED_PORTAL_ORIGINS: z.string().optional(),
      N8N_EMBED_PARTITIONED_COOKIE: flag(false),
    })
    .transform((env): AdapterConfig => {
      const keys = env.N8N_TOKEN_EXCHANGE_TRUSTED_KEYS;
      if (keys === undefined) {
        throw configError(
          'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: not set (nor N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE)',
        );
      }
      const profile = env.N8N_EMBED_PROFILE;
      const portalOrigins = origins(env.N8N_EMBED_PORTAL_ORIGINS, profile, from('N8N_EMBED_PORTAL_ORIGINS'));
      const variable = from('N8N_TOKEN_EXCHANGE_TRUSTED_KEYS');
      return {
        trustedKeys: parseTrustedKeys(keys, { source: variable }),
        trustedKeysVariable: variable,
        perMinute: env.N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE,
        profile,
        clockToleranceSeconds: env.N8N_EMBED_CLOCK_TOLERANCE_SECONDS,
        replay: replay(env, from, queue),
        ...(portalOrigins ? { portalOrigins } : {}),
        partitionedCookie: env.N8N_EMBED_PARTITIONED_COOKIE,
      };
    });
}

/**
 * `N8N_EMBED_PORTAL_ORIGINS`: the portal origins that may start logins (login CSRF). Required in
 * profile `strict`; `*` is the explicit opt-out, which the endpoint warns about at start. Profile
 * `n8n` without it accepts any origin, as n8n's own module does.
 */
function origins(
  value: string | undefined,
  profile: Profile,
  variable: string,
): readonly string[] | 'any' | undefined {
  if (value === undefined) {
    if (profile === 'n8n') return undefined;
    throw configError(
      'N8N_EMBED_PORTAL_ORIGINS: not set; list the portal origins that embed n8n (comma-separated, e.g. https://portal.example.com), or * to accept logins started by any site',
    );
  }
  if (value === '*') return 'any';
  return value.split(',').map((origin, index) => normaliseOrigin(origin, `${variable} entry ${index}`));
}

/**
 * The replay store: n8n's own database by default (consumed tokens survive a restart and are shared by
 * every n8n process on it); Redis when chosen or when `N8N_EMBED_REDIS_URL` is set; memory only on
 * request (one process, forgotten at restart).
 */
function replay(
  env: {
    N8N_EMBED_REPLAY_STORE?: 'database' | 'redis' | 'memory' | undefined;
    N8N_EMBED_REDIS_URL?: string | undefined;
    N8N_EMBED_REDIS_ALLOW_EVICTION: boolean;
  },
  from: (name: Variable) => string,
  queue: QueueRedis,
): ReplayChoice {
  const own = env.N8N_EMBED_REDIS_URL;
  const kind = env.N8N_EMBED_REPLAY_STORE ?? (own === undefined ? 'database' : 'redis');
  if (kind !== 'redis') return { kind };
  const allowEviction = env.N8N_EMBED_REDIS_ALLOW_EVICTION;
  if (own !== undefined) {
    const variable = from('N8N_EMBED_REDIS_URL');
    return { kind, url: checkRedisUrl(own, variable), variable, allowEviction };
  }
  if (queue.url !== undefined) return { kind, url: queue.url, variable: 'QUEUE_BULL_REDIS_*', allowEviction };
  throw configError('N8N_EMBED_REPLAY_STORE: redis needs N8N_EMBED_REDIS_URL (or n8n in queue mode)');
}

/**
 * The adapter's configuration from the environment, reusing n8n's names where they exist. `undefined`
 * when embed login is off (`N8N_EMBED_LOGIN_ENABLED`, n8n's own switch, is not true): nothing else is
 * read then. Every mistake is a `config_invalid` error whose message names the variable and, for
 * keys, the entry.
 */
export function readAdapterConfig(env: Env, queue: QueueRedis): AdapterConfig | undefined {
  const values: Partial<Record<Variable, string>> = {};
  const sources: Partial<Record<Variable, string>> = {};
  const read = (name: Variable): void => {
    const entry = readVariable(env, name);
    if (entry === undefined) return;
    values[name] = entry.value;
    sources[name] = entry.variable;
  };
  const from = (name: Variable): string => sources[name] ?? name;
  const fail = (error: z.ZodError): never => {
    const [issue] = error.issues;
    throw configError(`${from(issue?.path[0] as Variable)}: ${issue?.message ?? 'invalid'}`);
  };

  read('N8N_EMBED_LOGIN_ENABLED');
  const enabled = z.object({ N8N_EMBED_LOGIN_ENABLED: flag(false) }).safeParse(values);
  if (!enabled.success) return fail(enabled.error);
  if (!enabled.data.N8N_EMBED_LOGIN_ENABLED) return undefined;

  for (const name of VARIABLES) read(name);
  const parsed = adapterEnvSchema(from, queue).safeParse(values);
  return parsed.success ? parsed.data : fail(parsed.error);
}
