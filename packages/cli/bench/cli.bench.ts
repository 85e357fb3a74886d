// Start-up cost of the built `n8n-embed`: `--version` and `token mint` wall time against `node -e 0`,
// the floor, in the same run (each command run 15 times, taking turns; medians). Builds first.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printOps, reportRatio } from '../../../bench/measure.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
const workspaces = ['protocol', 'sdk', 'verifier', 'cli'].flatMap((name) => ['-w', `@n8n-embed/${name}`]);
execFileSync('npm', ['run', 'build', '--silent', ...workspaces], { cwd: root, stdio: 'ignore' });

const cwd = mkdtempSync(join(tmpdir(), 'n8n-embed-bench-'));
execFileSync(process.execPath, [bin, 'keys', 'generate', '--out', '.', '--kid', 'bench'], { cwd });
const mint = [
  bin,
  'token',
  'mint',
  '--key',
  'bench.private.jwk',
  '--issuer',
  'https://portal.example.com',
  '--audience',
  'https://n8n.example.com',
  '--sub',
  'u1',
];
const commands: Record<string, string[]> = { floor: ['-e', '0'], version: [bin, '--version'], mint };

const samples: Record<string, number[]> = { floor: [], version: [], mint: [] };
for (let round = -1; round < 15; round++) {
  for (const [name, args] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited with ${result.status}`);
    if (round >= 0) samples[name]?.push(ms);
  }
}
const median = (values: number[] = []) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const [floor, version, minted] = [median(samples.floor), median(samples.version), median(samples.mint)];
console.log('\n# n8n-embed start-up (median of 15 runs each)');
printOps('node -e 0 (floor)', 1000 / floor, `${floor.toFixed(1)} ms`);
printOps('n8n-embed --version', 1000 / version, `${version.toFixed(1)} ms`);
printOps('n8n-embed token mint', 1000 / minted, `${minted.toFixed(1)} ms`);
reportRatio('n8n-embed --version / node -e 0 (wall time)', version / floor, { atMost: 2 });
reportRatio('n8n-embed token mint / node -e 0 (wall time)', minted / floor);
