// `npm test` on a fresh machine: the prerequisites step names each missing tool with the command that
// installs it, at once; CI runs exactly the README's test line.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { SYSTEM_TOOLS } from '../scripts/test-prerequisites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);

it('stops at once with one line per missing tool and the command that installs it', async () => {
  // An empty PATH: the tools on PATH are missing; --check installs nothing.
  const empty = mkdtempSync(join(tmpdir(), 'n8n-embed-path-'));
  const failure = await exec(process.execPath, ['scripts/test-prerequisites.mjs', '--check'], {
    cwd: root,
    env: { PATH: empty },
    timeout: 5000,
  }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  const lines = (failure?.stderr ?? '').trim().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  const tools = SYSTEM_TOOLS as { command: string; debian: string }[];
  for (const line of lines) {
    const tool = tools.find((candidate) => line.startsWith(`missing: ${candidate.command} (`));
    expect(tool, line).toBeDefined();
    expect(line).toMatch(new RegExp(`install it with: sudo apt-get install -y ${tool?.debian}$`));
  }
  // redis-server is never in /usr/sbin, the only place searched besides PATH.
  expect(lines.some((line) => line.startsWith('missing: redis-server '))).toBe(true);
});

it('passes silently when every tool is there (this machine ran it as the first step of npm test)', async () => {
  const { stdout, stderr } = await exec(process.execPath, ['scripts/test-prerequisites.mjs', '--check'], {
    cwd: root,
  });
  expect(stdout + stderr).toBe('');
});

it('CI runs the README test line and nothing else', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const line = /^(npm ci && npm test)\s+#/m.exec(readme)?.[1];
  expect(line).toBe('npm ci && npm test');
  const ci = readFileSync(join(root, '.ci/run'), 'utf8')
    .split('\n')
    .filter((text) => text.trim() && !text.startsWith('#') && !/^(set|cd) /.test(text));
  expect(ci).toEqual([line]);
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  expect(scripts.test.startsWith('node scripts/test-prerequisites.mjs && ')).toBe(true);
});
