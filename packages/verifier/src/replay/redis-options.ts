import { configError } from '@n8n-embed/protocol';
import type { Redis } from 'ioredis';

/** Where the Redis store reports what an operator should know. Shaped like n8n's own logger. */
export interface ReplayStoreLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export interface RedisReplayStoreOptions {
  /**
   * An ioredis client you configured yourself (TLS `ca`, ACL `username`, Sentinel …). The store never
   * closes it. Its offline queue should be off; the store bounds every command by `commandTimeoutMs`
   * either way.
   */
  readonly client?: Redis;
  /** `redis://` or `rediss://` (TLS) URL, `rediss://user:password@host:6379/0` for an ACL user. */
  readonly url?: string;
  /** Prepended to every key. Default `n8n-embed:jti:`. */
  readonly keyPrefix?: string;
  /** A consume that has no answer after this long fails closed. Default 500 ms. */
  readonly commandTimeoutMs?: number;
  /** How long creation waits for the first connection. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Refuse to start unless `maxmemory-policy` is `noeviction` (when the policy can be read). */
  readonly requireNoEviction?: boolean;
  readonly logger?: ReplayStoreLogger;
}

export interface ResolvedRedisOptions {
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly requireNoEviction: boolean;
  readonly logger: ReplayStoreLogger | undefined;
}

export const DEFAULT_KEY_PREFIX = 'n8n-embed:jti:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const MAX_KEY_PREFIX_LENGTH = 256;
const MAX_TIMEOUT_MS = 60_000;

function timeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw configError(`${name} must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return value;
}

/**
 * The one Redis URL rule: `redis://` or `rediss://` (TLS) and a URL that parses, with a host. `name` is
 * the option or variable the value came from, for the error; the value itself is not repeated (it may
 * hold a password).
 */
export function checkRedisUrl(value: unknown, name: string): string {
  const ok =
    typeof value === 'string' &&
    /^rediss?:\/\//.test(value) &&
    URL.canParse(value) &&
    new URL(value).hostname !== '';
  if (!ok) throw configError(`${name}: must be a redis:// or rediss:// URL with a host`);
  return value;
}

/** Checks the options once, at creation, so a mistake surfaces at startup and not at the first login. */
export function resolveRedisOptions(options: RedisReplayStoreOptions): ResolvedRedisOptions {
  if ((options.client === undefined) === (options.url === undefined)) {
    throw configError('createRedisReplayStore needs exactly one of `client` or `url`');
  }
  if (options.url !== undefined) checkRedisUrl(options.url, 'url');
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (
    typeof keyPrefix !== 'string' ||
    keyPrefix.length > MAX_KEY_PREFIX_LENGTH ||
    !/^[ -~]*$/.test(keyPrefix)
  ) {
    throw configError(
      `keyPrefix must be a string of at most ${MAX_KEY_PREFIX_LENGTH} printable ASCII characters`,
    );
  }
  return {
    keyPrefix,
    commandTimeoutMs: timeout('commandTimeoutMs', options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS),
    connectTimeoutMs: timeout('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
    requireNoEviction: options.requireNoEviction === true,
    logger: options.logger,
  };
}
