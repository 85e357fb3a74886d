import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { readAdapterConfig } from './adapter-config.js';

const keys = JSON.stringify(VECTOR_TRUSTED_KEYS);
const on = {
  N8N_EMBED_LOGIN_ENABLED: 'true',
  N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: keys,
  N8N_EMBED_PORTAL_ORIGINS: 'https://portal.example.com',
};
const single = { queueMode: false };
const message = (env: Record<string, string>, queue = single) => {
  try {
    readAdapterConfig(env, queue);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('readAdapterConfig', () => {
  it('is off unless N8N_EMBED_LOGIN_ENABLED is true (n8n’s own switch)', () => {
    expect(readAdapterConfig({ N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: keys }, single)).toBeUndefined();
    expect(readAdapterConfig({ ...on, N8N_EMBED_LOGIN_ENABLED: 'false' }, single)).toBeUndefined();
    expect(readAdapterConfig({ ...on, N8N_EMBED_LOGIN_ENABLED: '1' }, single)).toMatchObject({
      profile: 'strict',
    });
  });

  it('defaults: strict, n8n’s 20 a minute, no tolerance, n8n’s database as the replay store', () => {
    expect(readAdapterConfig(on, single)).toMatchObject({
      profile: 'strict',
      perMinute: 20,
      clockToleranceSeconds: 0,
      replay: { kind: 'database' },
      trustedKeysVariable: 'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS',
    });
  });

  it('reads the keys from N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE, the variable itself winning', () => {
    const folder = mkdtempSync(join(tmpdir(), 'n8n-embed-config-'));
    try {
      const file = join(folder, 'keys.json');
      writeFileSync(file, `${keys}\n`);
      const env = {
        N8N_EMBED_LOGIN_ENABLED: 'true',
        N8N_EMBED_PORTAL_ORIGINS: '*',
        N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: file,
      };
      expect(readAdapterConfig(env, single)?.trustedKeys).toHaveLength(VECTOR_TRUSTED_KEYS.length);
      expect(readAdapterConfig(env, single)?.trustedKeysVariable).toBe(
        'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE',
      );
      expect(message({ ...env, N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: join(folder, 'missing') })).toMatch(
        /^N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: cannot read /,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names the variable and the entry of every mistake', () => {
    expect(message({ N8N_EMBED_LOGIN_ENABLED: 'yes' })).toBe(
      'N8N_EMBED_LOGIN_ENABLED: expected true or false, got "yes"',
    );
    expect(message({ N8N_EMBED_LOGIN_ENABLED: 'true' })).toMatch(/^N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: not set/);
    const broken = JSON.stringify([
      VECTOR_TRUSTED_KEYS[0],
      { type: 'static', kid: 'k2', algorithms: ['ES256'] },
    ]);
    expect(message({ ...on, N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: broken })).toMatch(
      /^N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: .*k2/,
    );
    expect(message({ ...on, N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: '{' })).toBe(
      'N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: not valid JSON',
    );
    expect(message({ ...on, N8N_EMBED_PROFILE: 'lenient' })).toBe(
      'N8N_EMBED_PROFILE: expected one of strict, n8n, got "lenient"',
    );
    expect(message({ ...on, N8N_EMBED_CLOCK_TOLERANCE_SECONDS: '61' })).toMatch(
      /^N8N_EMBED_CLOCK_TOLERANCE_SECONDS: /,
    );
    expect(message({ ...on, N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE: '0' })).toMatch(
      /^N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE: /,
    );
    expect(message({ ...on, N8N_EMBED_REPLAY_STORE: 'redis' })).toMatch(
      /^N8N_EMBED_REPLAY_STORE: redis needs/,
    );
    expect(message({ ...on, N8N_EMBED_REDIS_URL: 'http://x', N8N_EMBED_REPLAY_STORE: 'redis' })).toMatch(
      /^N8N_EMBED_REDIS_URL: /,
    );
    expect(message({ ...on, N8N_EMBED_PORTAL_ORIGINS: 'https://a.example, https://b.example/path' })).toMatch(
      /^N8N_EMBED_PORTAL_ORIGINS entry 1: /,
    );
  });

  it('in queue mode too, n8n’s database (shared by every n8n process); Redis when chosen, at n8n’s queue Redis', () => {
    const queue = { queueMode: true, url: 'redis://127.0.0.1:6379/0' };
    expect(readAdapterConfig(on, queue)?.replay).toEqual({ kind: 'database' });
    expect(readAdapterConfig({ ...on, N8N_EMBED_REPLAY_STORE: 'redis' }, queue)?.replay).toEqual({
      kind: 'redis',
      url: 'redis://127.0.0.1:6379/0',
      variable: 'QUEUE_BULL_REDIS_*',
      allowEviction: false,
    });
    expect(readAdapterConfig({ ...on, N8N_EMBED_REPLAY_STORE: 'memory' }, queue)?.replay).toEqual({
      kind: 'memory',
    });
    // A Redis URL of its own says Redis, unless N8N_EMBED_REPLAY_STORE says otherwise.
    expect(
      readAdapterConfig({ ...on, N8N_EMBED_REDIS_URL: 'rediss://r:6380/1' }, queue)?.replay,
    ).toMatchObject({
      kind: 'redis',
      url: 'rediss://r:6380/1',
      variable: 'N8N_EMBED_REDIS_URL',
    });
    expect(
      readAdapterConfig(
        { ...on, N8N_EMBED_REDIS_URL: 'rediss://r:6380/1', N8N_EMBED_REPLAY_STORE: 'database' },
        queue,
      )?.replay,
    ).toEqual({ kind: 'database' });
  });

  it('N8N_EMBED_REDIS_ALLOW_EVICTION: false unless set to true', () => {
    const redis = { ...on, N8N_EMBED_REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(readAdapterConfig(redis, single)?.replay).toMatchObject({ allowEviction: false });
    expect(
      readAdapterConfig({ ...redis, N8N_EMBED_REDIS_ALLOW_EVICTION: 'true' }, single)?.replay,
    ).toMatchObject({ allowEviction: true });
    expect(message({ ...redis, N8N_EMBED_REDIS_ALLOW_EVICTION: 'sure' })).toBe(
      'N8N_EMBED_REDIS_ALLOW_EVICTION: expected true or false, got "sure"',
    );
  });

  it('requires the portal origins in profile strict (login CSRF); * is the explicit opt-out', () => {
    const { N8N_EMBED_PORTAL_ORIGINS: _, ...without } = on;
    expect(message(without)).toMatch(/^N8N_EMBED_PORTAL_ORIGINS: not set; list the portal origins/);
    expect(readAdapterConfig({ ...on, N8N_EMBED_PORTAL_ORIGINS: '*' }, single)?.portalOrigins).toBe('any');
    expect(
      readAdapterConfig(
        { ...on, N8N_EMBED_PORTAL_ORIGINS: 'https://A.example:443/, http://b.example:8080' },
        single,
      )?.portalOrigins,
    ).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(
      readAdapterConfig({ ...without, N8N_EMBED_PROFILE: 'n8n' }, single)?.portalOrigins,
    ).toBeUndefined();
  });

  it('reads every variable as n8n does: trimmed, one pair of quotes off, empty is unset, <NAME>_FILE', () => {
    expect(
      readAdapterConfig(
        {
          ...on,
          N8N_EMBED_PROFILE: ' "n8n" ',
          N8N_EMBED_CLOCK_TOLERANCE_SECONDS: "'5'",
          N8N_EMBED_REPLAY_STORE: '',
        },
        single,
      ),
    ).toMatchObject({ profile: 'n8n', clockToleranceSeconds: 5, replay: { kind: 'database' } });
    const folder = mkdtempSync(join(tmpdir(), 'n8n-embed-config-'));
    try {
      const file = join(folder, 'origins');
      writeFileSync(file, 'https://portal.example.com/path\n');
      const { N8N_EMBED_PORTAL_ORIGINS: _, ...without } = on;
      // A mistake in a value read from a file names the _FILE variable.
      expect(message({ ...without, N8N_EMBED_PORTAL_ORIGINS_FILE: file })).toMatch(
        /^N8N_EMBED_PORTAL_ORIGINS_FILE entry 0: /,
      );
      writeFileSync(file, '61');
      expect(message({ ...on, N8N_EMBED_CLOCK_TOLERANCE_SECONDS_FILE: file })).toBe(
        'N8N_EMBED_CLOCK_TOLERANCE_SECONDS_FILE: expected a whole number from 0 to 60, got "61"',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads nothing else while embed login is off', () => {
    expect(
      readAdapterConfig({ N8N_EMBED_LOGIN_ENABLED: 'false', N8N_EMBED_PROFILE: 'lenient' }, single),
    ).toBe(undefined);
  });
});
