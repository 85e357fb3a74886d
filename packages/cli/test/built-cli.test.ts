// Smoke test of the published shape: build the packages, then drive the built `n8n-embed` binary as a
// child process through the whole flow: keys → trusted-keys config → dev endpoint → login URL → 302
// with a cookie → GET /rest/login returns the user.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
const cwd = mkdtempSync(join(tmpdir(), 'n8n-embed-e2e-'));
const exec = promisify(execFile);
const cli = (...args: string[]) => exec(process.execPath, [bin, ...args], { cwd });
let dev: ChildProcess | undefined;

beforeAll(async () => {
  const workspaces = ['protocol', 'sdk', 'verifier', 'cli'].flatMap((name) => ['-w', `@n8n-embed/${name}`]);
  await exec('npm', ['run', 'build', '--silent', ...workspaces], { cwd: root });
}, 180_000);

afterAll(() => {
  dev?.kill('SIGINT');
});

function startDev(trustedKeys: string): Promise<string> {
  dev = spawn(process.execPath, [bin, 'dev', '--port', '0', '--trusted-keys', trustedKeys], { cwd });
  return new Promise((resolve, reject) => {
    let out = '';
    dev?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    dev?.once('exit', (code) => reject(new Error(`dev exited with ${code}`)));
  });
}

it('goes from a new key to a signed-in session', async () => {
  expect((await cli('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  await cli('keys', 'generate', '--out', 'keys', '--kid', 'e2e-1');
  const issuer = 'http://127.0.0.1:3000';
  // The dev endpoint's own URL is the audience; any fixed string both sides agree on works.
  const audience = 'http://127.0.0.1:5678/';
  const config = await cli(
    'keys',
    'trusted-config',
    '--public-key',
    'keys/e2e-1.public.jwk',
    '--issuer',
    issuer,
    '--audience',
    audience,
  );
  writeFileSync(join(cwd, 'trusted-keys.json'), config.stdout);
  const url = await startDev('trusted-keys.json');

  const mint = await cli(
    'token',
    'mint',
    '--key',
    'keys/e2e-1.private.jwk',
    '--issuer',
    issuer,
    '--audience',
    audience,
    '--sub',
    'grace',
    '--email',
    'grace@example.com',
    '--email-verified',
    '--given-name',
    'Grace',
    '--n8n-url',
    url,
    '--redirect-to',
    '/home/workflows',
  );
  const login = await fetch(mint.stdout.trim(), { redirect: 'manual' });
  expect(login.status).toBe(302);
  expect(login.headers.get('location')).toBe(`${url}home/workflows`);
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^n8n-auth=/);
  const me = await fetch(`${url}rest/login`, { headers: { cookie } });
  expect((await me.json()).data).toMatchObject({ email: 'grace@example.com', firstName: 'Grace' });

  const exited = new Promise((resolve) => dev?.once('exit', resolve));
  dev?.kill('SIGINT');
  expect(await exited).toBe(0);
  dev = undefined;
}, 60_000);
