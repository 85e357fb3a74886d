// A configuration mistake stops the adapter, not n8n: the error names the variable and the entry,
// /rest/auth/embed stays n8n's 404, and n8n's own UI and REST API keep working.
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningN8n, startN8n } from './support/n8n-process.js';
import { PEER_TRUSTED_KEYS } from './support/peer-keys.js';

let n8n: RunningN8n;

beforeAll(async () => {
  const broken = { type: 'static', kid: 'no-issuer', algorithms: ['ES256'], key: PEER_TRUSTED_KEYS[0]?.key };
  n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: JSON.stringify([
      { ...PEER_TRUSTED_KEYS[0], issuer: VECTOR_ISSUER, expectedAudience: VECTOR_AUDIENCE },
      broken,
    ]),
  });
});

afterAll(async () => {
  await n8n?.stop();
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
