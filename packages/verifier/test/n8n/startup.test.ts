// A configuration mistake stops the adapter, not n8n: the error names the variable and the entry,
// /rest/auth/embed stays n8n's 404, and n8n's own UI and REST API keep working. n8n's default ports
// (5678, 5679 for its task broker) are busy meanwhile, as beside a user's own n8n.
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

it('runs beside another n8n: 5678 and 5679 stay taken, n8n and its task broker use free ports', async () => {
  for (const port of N8N_DEFAULT_PORTS) expect(await isListening(port)).toBe(true);
  expect(new URL(n8n.url).port).not.toMatch(/^567[89]$/);
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
