// `npm start` of the example portal with configuration mistakes: each is one line on stderr naming
// the variable, no stack trace, exit 2 (a port in use: exit 1); an N8N_URL that does not answer is a
// warning and the portal keeps running.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VECTOR_KEYS } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from './support/two-sites.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-portal-config-'));
const key = VECTOR_KEYS.find((candidate) => candidate.alg === 'ES256');
if (!key) throw new Error('no ES256 vector key');
const privateFile = join(dir, 'portal.private.jwk');
const publicFile = join(dir, 'portal.public.jwk');
let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  writeFileSync(privateFile, JSON.stringify({ ...key.privateJwk, kid: key.kid }));
  writeFileSync(publicFile, JSON.stringify({ ...key.publicJwk, kid: key.kid }));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the portal; `until` ends it (SIGTERM) once its output matches. */
async function start(env: Record<string, string>, until?: RegExp): Promise<Run> {
  const child = spawn(process.execPath, ['--conditions=@n8n-embed/source', '--import', 'tsx', main], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (until?.test(stderr)) child.kill('SIGTERM');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

const oneLine = (text: string) => {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
};

it.each([
  ['no key variable', {}, /^portal: set N8N_EMBED_PRIVATE_KEY \(see examples\/portal\/README.md\)$/],
  [
    'a missing key file',
    { N8N_EMBED_PRIVATE_KEY: join(dir, 'nope.jwk') },
    /^portal: N8N_EMBED_PRIVATE_KEY: no file at ".*nope\.jwk" \(create one: npm run n8n-embed -- keys generate --out keys\)$/,
  ],
  [
    'a public key',
    { N8N_EMBED_PRIVATE_KEY: publicFile },
    /^portal: N8N_EMBED_PRIVATE_KEY \(".*portal\.public\.jwk"\): privateKey: this is a public key; the signer needs the private key$/,
  ],
  [
    'N8N_URL=not-a-url',
    { N8N_EMBED_PRIVATE_KEY: privateFile, N8N_URL: 'not-a-url' },
    /^portal: N8N_URL="not-a-url" is not an http\(s\) URL \(e\.g\. http:\/\/127\.0\.0\.1:5678\/\)$/,
  ],
  ['PORT=abc', { N8N_EMBED_PRIVATE_KEY: privateFile, PORT: 'abc' }, /^portal: PORT="abc" is not a port/],
  [
    'N8N_EMBED_SIGNALS=cookies',
    { N8N_EMBED_PRIVATE_KEY: privateFile, N8N_EMBED_SIGNALS: 'cookies' },
    /^portal: N8N_EMBED_SIGNALS="cookies" is not one of bridge, handshake, load$/,
  ],
])(
  '%s: one line naming the variable, exit 2',
  async (_name, env, line) => {
    const run = await start(env);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr.trimEnd()).toMatch(line);
  },
  30_000,
);

it('a port in use: one line naming PORT, exit 1', async () => {
  const run = await start({ N8N_EMBED_PRIVATE_KEY: privateFile, PORT: String(busyPort) });
  expect(run.code).toBe(1);
  oneLine(run.stderr);
  expect(run.stderr.trimEnd()).toBe(
    `portal: PORT ${busyPort} is in use; set PORT to another port (0 picks a free one)`,
  );
}, 30_000);

it('an N8N_URL that does not answer: a warning, and the portal runs', async () => {
  const silent = await freePort();
  const run = await start(
    { N8N_EMBED_PRIVATE_KEY: privateFile, N8N_URL: `http://127.0.0.1:${silent}/` },
    /warning/,
  );
  expect(run.stdout).toMatch(
    /^Portal: http:\/\/127\.0\.0\.1:\d+\/ {2}\(n8n: http:\/\/127\.0\.0\.1:\d+\/\)$/m,
  );
  oneLine(run.stderr);
  expect(run.stderr.trimEnd()).toBe(
    `portal: warning: N8N_URL "http://127.0.0.1:${silent}/" does not answer (yet); is n8n running?`,
  );
}, 30_000);
