// A configuration mistake stops the adapter, not n8n: the error names the variable and the entry,
// /rest/auth/embed stays n8n's 404, and n8n's own UI and REST API keep working. n8n's default ports
// (5678, 5679 for its task broker) are busy meanwhile, as beside a user's own n8n. The same n8n is then
// restarted with good keys on a Redis that may evict (refused unless N8N_EMBED_REDIS_ALLOW_EVICTION).
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { type HeldPorts, holdPorts, isListening, N8N_DEFAULT_PORTS } from './support/held-ports.js';
import { type RunningN8n, startN8n } from './support/n8n-process.js';
import { PEER_TRUSTED_KEYS } from './support/peer-keys.js';

let n8n: RunningN8n;
let held: HeldPorts;

beforeAll(async () => {
  // The suite's global setup holds them already; held here too so this file proves it on its own.
  held = await holdPorts(N8N_DEFAULT_PORTS);
  for (const port of N8N_DEFAULT_PORTS) expect(await isListening(port)).toBe(true);
  const broken = { type: 'static', kid: 'no-issuer', algorithms: ['ES256'], key: PEER_TRUSTED_KEYS[0]?.key };
  n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_EMBED_PORTAL_ORIGINS: 'https://portal.test',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: JSON.stringify([
      { ...PEER_TRUSTED_KEYS[0], issuer: VECTOR_ISSUER, expectedAudience: VECTOR_AUDIENCE },
      broken,
    ]),
  });
});

afterAll(async () => {
  await n8n?.stop();
  await held?.release();
});

// The ports were busy when n8n started (asserted before it): whether someone else's n8n still holds
// them now is not ours to assert.
it('runs beside another n8n: with 5678 and 5679 taken, n8n and its task broker use free ports', () => {
  expect(new URL(n8n.url).port).not.toMatch(/^567[89]$/);
  expect(n8n.brokerPort).not.toBe(5679);
  expect(n8n.log()).not.toMatch(/already in use|EADDRINUSE/);
  expect(n8n.log()).toContain(`n8n Task Broker ready on 127.0.0.1, port ${n8n.brokerPort}`);
});

it('logs one error naming the variable and the entry, and mounts nothing', async () => {
  const errors = n8n
    .log()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; message: string })
    .filter((line) => line.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]?.message).toMatch(
    /^n8n-embed: embed login not started: N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: /,
  );
  expect(errors[0]?.message).toContain('no-issuer');
  expect(errors[0]?.message).toContain('issuer');
  expect((await fetch(`${n8n.url}/rest/auth/embed?token=x`)).status).toBe(404);
});

it('n8n itself keeps working', async () => {
  expect((await fetch(`${n8n.url}/`, { headers: { accept: 'text/html' } })).status).toBe(200);
  expect((await fetch(`${n8n.url}/rest/settings`)).status).toBe(200);
});

interface LogLine {
  level: string;
  message: string;
}

/** n8n's JSON log lines written after `from` characters of its log. */
const linesSince = (from: number): LogLine[] =>
  n8n
    .log()
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('a Redis whose maxmemory-policy may evict consumed token ids (allkeys-lru)', () => {
  let redis: RedisServer;
  const goodKeys = JSON.stringify(PEER_TRUSTED_KEYS);

  beforeAll(async () => {
    redis = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
  });

  afterAll(async () => {
    await redis?.close();
  });

  // Each restarts n8n: slow on a loaded machine, hence their own timeout.
  it('the adapter refuses to start, naming the policy, the variable and the fix; n8n keeps working', {
    timeout: 240_000,
  }, async () => {
    const from = n8n.log().length;
    await n8n.restart({ N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: goodKeys, N8N_EMBED_REDIS_URL: redis.url });
    const errors = linesSince(from).filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(
      /^n8n-embed: embed login not started: N8N_EMBED_REDIS_URL: Redis maxmemory-policy is allkeys-lru: .*set it to noeviction \(or set N8N_EMBED_REDIS_ALLOW_EVICTION=true to start anyway\)$/,
    );
    expect((await fetch(`${n8n.url}/rest/auth/embed?token=x`)).status).toBe(404);
    expect((await fetch(`${n8n.url}/rest/settings`)).status).toBe(200);
  });

  it('N8N_EMBED_REDIS_ALLOW_EVICTION=true starts it anyway, with a warning', {
    timeout: 240_000,
  }, async () => {
    const from = n8n.log().length;
    await n8n.restart({ N8N_EMBED_REDIS_ALLOW_EVICTION: 'true' });
    const lines = linesSince(from);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines.map((line) => line.message)).toContainEqual(
      expect.stringMatching(/^n8n-embed: Redis maxmemory-policy is allkeys-lru: /),
    );
    expect(lines.map((line) => line.message)).toContain(
      'n8n-embed: the adapter serves /rest/auth/embed on n8n 2.41.1 (profile strict, replay store redis)',
    );
    expect((await fetch(`${n8n.url}/rest/auth/embed`)).status).toBe(400);
  });

  it('warns at start that keys without allowedRoles can sign in as admins (MFA-passed)', () => {
    const warnings = n8n
      .log()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.level === 'warn' && line.message.includes('global:admin'));
    expect(warnings.at(-1)?.message).toMatch(
      /^n8n-embed: N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: kid "portal-es256" \(.+\), kid "other-rs256" \(.+\) can sign in as global:admin .*MFA-passed; set "allowedRoles": \["global:member"\]/,
    );
  });
});
