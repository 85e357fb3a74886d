// The packages as a user installs them, built once for every runtime: each package's own tsup build
// (its published `dist`, type declarations left out) written into `node_modules/@n8n-embed/<name>` of
// an empty project in the temp directory, next to its package.json and its third-party dependencies
// (copied from this repository's node_modules: nothing is downloaded). Building into the project
// rather than packages/*/dist keeps this suite out of the way of other builds running at the time.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
// What a user installs; the workspace packages they depend on come along (see workspaceClosure).
const ENTRY_PACKAGES = ['@n8n-embed/sdk', '@n8n-embed/verifier'];

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** The directory of `name` as Node would resolve it from `fromDir` (walking up node_modules). */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (looked from ${fromDir})`);
  }
}

/** The workspace packages `names` need, themselves included: name → source directory. */
function workspaceClosure(names: readonly string[]): Map<string, string> {
  const workspace = new Map<string, string>();
  for (const dir of readdirSync(join(repoRoot, 'packages'))) {
    const source = join(repoRoot, 'packages', dir);
    if (existsSync(join(source, 'package.json'))) workspace.set(readManifest(source).name, source);
  }
  const needed = new Map<string, string>();
  const visit = (name: string): void => {
    const source = workspace.get(name);
    if (source === undefined || needed.has(name)) return;
    needed.set(name, source);
    for (const dependency of Object.keys(readManifest(source).dependencies ?? {})) visit(dependency);
  };
  for (const name of names) visit(name);
  return needed;
}

/**
 * Copies the third-party dependencies of the package at `sourceDir` (installed as `targetDir`):
 * hoisted to the project's node_modules, or nested under `targetDir` when another version is there.
 */
function copyDependencies(sourceDir: string, targetDir: string, project: string): void {
  for (const name of Object.keys(readManifest(sourceDir).dependencies ?? {})) {
    if (name.startsWith('@n8n-embed/')) continue;
    const from = packageDir(name, sourceDir);
    const hoisted = join(project, 'node_modules', name);
    if (existsSync(hoisted) && readManifest(hoisted).version === readManifest(from).version) continue;
    const to = existsSync(hoisted) ? join(targetDir, 'node_modules', name) : hoisted;
    cpSync(from, to, { recursive: true, dereference: true });
    copyDependencies(from, to, project);
  }
}

/**
 * Builds the packages into a new project and copies in the given directories (the conformance app,
 * the examples) under their names. Returns the project directory.
 */
export async function installUserProject(extra: Readonly<Record<string, string>> = {}): Promise<string> {
  const project = mkdtempSync(join(tmpdir(), 'n8n-embed-runtimes-'));
  const tsup = join(repoRoot, 'node_modules', '.bin', 'tsup');
  const packages = [...workspaceClosure(ENTRY_PACKAGES)];
  await Promise.all(
    packages.map(async ([name, source]) => {
      const target = join(project, 'node_modules', name);
      mkdirSync(target, { recursive: true });
      cpSync(join(source, 'package.json'), join(target, 'package.json'));
      await exec(tsup, ['--out-dir', join(target, 'dist'), '--no-dts', '--silent'], { cwd: source });
    }),
  );
  for (const [name, source] of packages)
    copyDependencies(source, join(project, 'node_modules', name), project);
  const dependencies = Object.fromEntries(
    ENTRY_PACKAGES.map((name) => [name, readManifest(join(project, 'node_modules', name)).version]),
  );
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'runtime-user', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  for (const [as, from] of Object.entries(extra)) cpSync(from, join(project, as), { recursive: true });
  return project;
}
