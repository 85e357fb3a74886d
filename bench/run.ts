// `npm run bench [-- filter…]`: runs every packages/*/bench/*.bench.ts and examples/*/bench/*.bench.ts
// whose path contains one of the filters (all of them without a filter), one after another, each in its
// own process so one bench's heap, JIT state and timers never disturb the next. Output passes through;
// the target lines (ending in PASS or MISS) are repeated in a summary at the end. Exits non-zero when a
// bench crashes or a filter matches nothing; a MISS is a figure, not a failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function benchFiles(): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'examples']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const pkg of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, pkg, 'bench');
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        if (name.endsWith('.bench.ts')) files.push(join(group, pkg, 'bench', name));
      }
    }
  }
  return files;
}

interface Outcome {
  readonly file: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: number;
  readonly targets: string[];
}

function runOne(file: string): Promise<Outcome> {
  const args = ['--conditions=@n8n-embed/source', '--import', 'tsx', '--expose-gc', file];
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const targets: string[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    targets.push(...lines.filter((line) => / (PASS|MISS)$/.test(line)));
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (/ (PASS|MISS)$/.test(pending)) targets.push(pending);
      resolve({ file, code, signal, seconds: (Date.now() - started) / 1000, targets });
    });
  });
}

const filters = process.argv.slice(2);
const files = benchFiles().filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error(
    `no bench file matches ${filters.map((f) => JSON.stringify(f)).join(', ') || '(none found)'}`,
  );
  process.exit(1);
}

const outcomes: Outcome[] = [];
for (const file of files) {
  console.log(`\n=== ${file} (node ${process.version})`);
  outcomes.push(await runOne(file));
}

console.log('\n=== summary');
for (const { file, code, signal, seconds, targets } of outcomes) {
  const status = code === 0 ? 'ok' : `CRASHED (${signal ?? `exit ${code}`})`;
  console.log(`${file}: ${status} in ${seconds.toFixed(1)} s`);
  for (const line of targets) console.log(`  ${line.trim()}`);
}
if (outcomes.some((o) => o.code !== 0)) process.exitCode = 1;
