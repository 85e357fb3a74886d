import { readFileSync } from 'node:fs';
import { configError } from '@n8n-embed/protocol';

export type Env = Readonly<Record<string, string | undefined>>;

/** A value and the variable it came from, so errors can name it. */
export interface EnvValue {
  readonly value: string;
  readonly variable: string;
}

/**
 * Reads a variable the way n8n's config does: the variable itself wins over `<NAME>_FILE` (a file
 * whose content is trimmed); values are trimmed and lose one pair of surrounding quotes. Empty is unset.
 */
export function readEnv(env: Env, name: string): EnvValue | undefined {
  const direct = env[name];
  if (direct !== undefined) {
    const value = direct.trim().replace(/^(['"])(.*)\1$/s, '$2');
    return value === '' ? undefined : { value, variable: name };
  }
  const file = env[`${name}_FILE`];
  if (file === undefined || file.trim() === '') return undefined;
  const variable = `${name}_FILE`;
  try {
    return { value: readFileSync(file.trim(), 'utf8').trim(), variable };
  } catch (cause) {
    throw configError(`${variable}: cannot read ${file.trim()}`, cause);
  }
}

/** `true`/`1` and `false`/`0` (any case), like n8n; anything else is a configuration error. */
export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const entry = readEnv(env, name);
  if (entry === undefined) return fallback;
  const value = entry.value.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw configError(`${entry.variable}: expected true or false, got "${entry.value}"`);
}

/** A whole number in [min, max]. */
export function readInteger(
  env: Env,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const entry = readEnv(env, name);
  if (entry === undefined) return range.fallback;
  const value = Number(entry.value);
  if (!/^\d+$/.test(entry.value) || value < range.min || value > range.max) {
    throw configError(
      `${entry.variable}: expected a whole number from ${range.min} to ${range.max}, got "${entry.value}"`,
    );
  }
  return value;
}

/** One of `choices`. */
export function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const entry = readEnv(env, name);
  if (entry === undefined) return fallback;
  if (!(choices as readonly string[]).includes(entry.value)) {
    throw configError(`${entry.variable}: expected one of ${choices.join(', ')}, got "${entry.value}"`);
  }
  return entry.value as T;
}
