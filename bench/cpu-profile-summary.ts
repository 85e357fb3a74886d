// `node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [count]`: the functions a V8 CPU
// profile (node --cpu-prof) spent the most time in, by self time and by total time (the function and
// everything it called), as percentages of the profile. For reading a bench's profile in a terminal.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, countArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [count]');
  process.exit(2);
}
const count = Number(countArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

// Self time per function, and total time per function counted once per stack (recursion is not
// counted twice).
const selfByName = new Map<string, number>();
const totalByName = new Map<string, number>();
function walk(id: number, onStack: Set<string>): number {
  const node = byId.get(id);
  if (node === undefined) return 0;
  const name = nameOf(node);
  const own = self.get(id) ?? 0;
  selfByName.set(name, (selfByName.get(name) ?? 0) + own);
  const entered = !onStack.has(name);
  if (entered) onStack.add(name);
  let sum = own;
  for (const child of node.children ?? []) sum += walk(child, onStack);
  if (entered) {
    onStack.delete(name);
    totalByName.set(name, (totalByName.get(name) ?? 0) + sum);
  }
  return sum;
}
const root = profile.nodes[0];
if (root) walk(root.id, new Set());

function print(title: string, table: Map<string, number>): void {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [name, time] of [...table].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`  ${((100 * time) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
}
print('self time', selfByName);
print('total time', totalByName);
