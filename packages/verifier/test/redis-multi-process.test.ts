import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from './support/redis-server.js';

const CHILD = fileURLToPath(new URL('./support/redis-redeem-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface ChildResult {
  readonly pid: number;
  readonly tally: Record<string, number>;
}

/** Spawns one verifier process and resolves once it has connected to Redis and waits for `go`. */
function spawnChild(config: object): Promise<{ child: ChildProcess; result: Promise<ChildResult> }> {
  const child = spawn(process.execPath, ['--conditions=@n8n-embed/source', '--import', 'tsx', CHILD], {
    cwd: REPO_ROOT,
    env: { ...process.env, EMBED_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolveReady, rejectReady) => {
    const result = new Promise<ChildResult>((resolve, reject) => {
      child.on('exit', (code) => {
        const last = stdout.trim().split('\n').at(-1) ?? '';
        if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ChildResult);
        else reject(new Error(`child exited with ${code}:\n${stderr}`));
      });
    });
    result.catch(rejectReady);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) resolveReady({ child, result });
    });
  });
}

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server?.close();
});

it('two verifier processes redeeming one token 25 times each: exactly one success in total', async () => {
  const config = { redisUrl: server.url, key: randomBytes(32).toString('hex'), attempts: 25 };
  const children = await Promise.all([spawnChild(config), spawnChild(config)]);
  for (const { child } of children) child.stdin?.write('go\n');
  const results = await Promise.all(children.map(({ result }) => result));

  expect(new Set(results.map((r) => r.pid)).size).toBe(2);
  const total: Record<string, number> = {};
  for (const { tally } of results) {
    for (const [outcome, n] of Object.entries(tally)) total[outcome] = (total[outcome] ?? 0) + n;
  }
  expect(total).toEqual({ consumed: 1, replayed: 49 });
});
