// Installing as a user would: build once, `npm pack` every package, install the tarballs into an
// empty project (third-party dependencies from the registry, or npm's cache when it has them), import
// every exported entry, and drive the installed `n8n-embed` from a new key to a signed-in session.
// publint and are-the-types-wrong lint each tarball as published.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);
const PACKAGES = ['protocol', 'node-http', 'sdk', 'verifier', 'cli'] as const;
const work = mkdtempSync(join(tmpdir(), 'n8n-embed-pack-'));
const project = join(work, 'project');

interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}
let packed: Packed[] = [];
let dev: ChildProcess | undefined;

const manifest = (name: string): { version: string; exports: Record<string, unknown> } =>
  JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));

/** Runs in the user's project, as `npx` there would. */
const inProject = (command: string, args: string[]) =>
  exec(command, args, { cwd: project, env: { ...process.env, NO_COLOR: '1' } });

beforeAll(async () => {
  const workspaces = PACKAGES.flatMap((name) => ['-w', `@n8n-embed/${name}`]);
  await exec('npm', ['run', 'build', '--silent', ...workspaces], { cwd: root });
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work, ...workspaces], {
    cwd: root,
  });
  packed = JSON.parse(stdout);
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    '{ "name": "user-project", "private": true, "type": "module" }\n',
  );
  // The verifier's optional peers, so its ./redis and ./testing entries load as a user's would.
  await inProject('npm', [
    'install',
    ...packed.map((pack) => join(work, pack.filename)),
    'ioredis',
    'vitest',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
  ]);
}, 300_000);

afterAll(() => {
  dev?.kill('SIGINT');
});

describe('the tarballs', () => {
  it.each(PACKAGES)(
    '@n8n-embed/%s holds its build, sources and README, and no tests or snapshots',
    (name) => {
      const pack = packed.find((candidate) => candidate.name === `@n8n-embed/${name}`);
      const files = pack?.files.map((file) => file.path) ?? [];
      expect(files).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
      );
      expect(files.filter((file) => /\.test\.ts$|__snapshots__|(^|\/)test\//.test(file))).toEqual([]);
    },
  );

  it.each(PACKAGES)(
    '@n8n-embed/%s passes publint and are-the-types-wrong',
    async (name) => {
      const tarball = join(work, `n8n-embed-${name}-${manifest(name).version}.tgz`);
      const publint = await exec('npx', ['--no-install', 'publint', '--strict', tarball], { cwd: root });
      expect(publint.stdout).toMatch(/All good!/);
      // ESM only by design (Node 20.19+ can require() it): CommonJS and node10 resolution are not goals.
      const attw = await exec(
        'npx',
        ['--no-install', 'attw', tarball, '--profile', 'esm-only', '--format', 'json'],
        {
          cwd: root,
        },
      ).catch((error: { stdout: string }) => error);
      const problems = JSON.parse(attw.stdout).analysis.problems ?? [];
      expect(
        problems.filter(
          (problem: { resolutionKind?: string }) =>
            !['node10', 'node16-cjs'].includes(problem.resolutionKind ?? ''),
        ),
      ).toEqual([]);
    },
    60_000,
  );
});

describe('installed in an empty project', () => {
  it('imports every exported entry of every package', async () => {
    const entries = PACKAGES.flatMap((name) =>
      Object.keys(manifest(name).exports)
        .filter((subpath) => subpath !== './package.json')
        .map((subpath) => `@n8n-embed/${name}${subpath.slice(1)}`),
    );
    const script = `for (const entry of ${JSON.stringify(entries)}) {
  const names = Object.keys(await import(entry));
  console.log(entry + ' ' + names.length);
}`;
    const { stdout } = await inProject(process.execPath, ['--input-type=module', '-e', script]);
    const loaded = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    expect(loaded.map(([entry]) => entry)).toEqual(entries);
    for (const [entry, count] of loaded) expect(Number(count), entry).toBeGreaterThan(0);
  }, 60_000);

  it('npx n8n-embed --version, then a new key to a signed-in session', async () => {
    const cli = (...args: string[]) => inProject('npx', ['--no-install', 'n8n-embed', ...args]);
    expect((await cli('--version')).stdout.trim()).toBe(manifest('cli').version);
    await cli('keys', 'generate', '--out', 'keys', '--kid', 'e2e-1');
    const issuer = 'http://127.0.0.1:3000';
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
    writeFileSync(join(project, 'trusted-keys.json'), config.stdout);

    dev = spawn(
      join(project, 'node_modules/.bin/n8n-embed'),
      ['dev', '--port', '0', '--trusted-keys', 'trusted-keys.json'],
      {
        cwd: project,
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      dev?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
        if (found) resolve(found);
      });
      dev?.once('exit', (code) => reject(new Error(`dev exited with ${code}`)));
    });

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
    const me = await fetch(`${url}rest/login`, { headers: { cookie } });
    expect((await me.json()).data).toMatchObject({ email: 'grace@example.com', firstName: 'Grace' });

    const exited = new Promise((resolve) => dev?.once('exit', resolve));
    dev.kill('SIGINT');
    expect(await exited).toBe(0);
    dev = undefined;
  }, 60_000);
});

describe('in this repository', () => {
  it('npx n8n-embed runs the sources right after npm ci (no build)', async () => {
    const { stdout } = await exec('npx', ['--no-install', 'n8n-embed', '--version'], { cwd: root });
    expect(stdout.trim()).toBe(manifest('cli').version);
  });
});
