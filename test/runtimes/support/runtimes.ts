// Starts one entry of a user project in a real runtime and hands back its 127.0.0.1 URL: Node, Bun
// and Deno as child processes (the binaries npm installed from the registry's platform packages),
// workerd through miniflare with the entry bundled the way wrangler bundles a Worker (esbuild,
// `workerd`/`worker`/`browser` conditions). Each is stopped by its own handle, never by name.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { repoRoot } from './install.js';

export const RUNTIMES = ['node', 'bun', 'deno', 'workerd', 'workerd+nodejs_compat'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface Running {
  readonly runtime: Runtime;
  readonly url: string;
  stop(): Promise<void>;
}

/** The entry file of each kind of runtime, relative to the project. */
export interface Entries {
  readonly node?: string;
  readonly bun?: string;
  readonly deno?: string;
  readonly worker?: string;
}

// A date this workerd supports; flags change behaviour only from their own dates on.
const COMPATIBILITY_DATE = '2026-07-01';

/** The real binary, not npm's Node wrapper (a wrapper would outlive a kill as an orphaned child). */
function binary(runtime: 'bun' | 'deno'): string {
  const candidates =
    runtime === 'bun'
      ? [join(repoRoot, 'node_modules/bun/bin/bun.exe'), join(repoRoot, 'node_modules/.bin/bun')]
      : [join(repoRoot, 'node_modules/deno/deno'), join(repoRoot, 'node_modules/@deno/linux-x64-glibc/deno')];
  // Before its install script runs, bun's bin/bun.exe is a text placeholder of a few hundred bytes.
  const found = candidates.find((path) => existsSync(path) && statSync(path).size > 1_000_000);
  if (found === undefined)
    throw new Error(
      `${runtime} is not installed: run npm ci (its install script must run: npm rebuild ${runtime})`,
    );
  return found;
}

function command(runtime: 'node' | 'bun' | 'deno', entry: string): [string, string[]] {
  if (runtime === 'node') return [process.execPath, [entry]];
  if (runtime === 'bun') return [binary('bun'), ['run', entry]];
  // Only what the app needs: loopback sockets and its configuration variable.
  return [binary('deno'), ['run', '--allow-net=127.0.0.1', '--allow-env', '--no-prompt', entry]];
}

async function startProcess(
  runtime: 'node' | 'bun' | 'deno',
  project: string,
  entry: string,
  env: Readonly<Record<string, string>>,
): Promise<Running> {
  const [file, args] = command(runtime, entry);
  const child: ChildProcess = spawn(file, args, {
    cwd: project,
    // Nothing from the network: no update check (Deno), nothing but the project's node_modules.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? project,
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /listening (?:on )?(http:\/\/127\.0\.0\.1:\d+\/)/i.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} exited with ${code}:\n${output}`));
    });
  });
  return {
    runtime,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The Worker as wrangler would upload it: one ES module bundled by esbuild. */
export async function bundleWorker(
  project: string,
  entry: string,
  options: { readonly minify?: boolean } = {},
): Promise<string> {
  const result = await build({
    entryPoints: [join(project, entry)],
    absWorkingDir: project,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    minify: options.minify ?? false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

async function startWorker(
  runtime: 'workerd' | 'workerd+nodejs_compat',
  project: string,
  entry: string,
  env: Readonly<Record<string, string>>,
): Promise<Running> {
  const miniflare = new Miniflare({
    modules: true,
    script: await bundleWorker(project, entry),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: runtime === 'workerd' ? [] : ['nodejs_compat'],
    bindings: env,
    // Miniflare's default fetches request.cf data from Cloudflare: fixed placeholder values instead.
    cf: false,
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await miniflare.ready).href;
  return { runtime, url, stop: () => miniflare.dispose() };
}

/** Starts `entries` in `runtime`, with `env` as environment variables (bindings for a Worker). */
export function startRuntime(
  runtime: Runtime,
  project: string,
  entries: Entries,
  env: Readonly<Record<string, string>>,
): Promise<Running> {
  const entry = runtime.startsWith('workerd') ? entries.worker : entries[runtime as 'node' | 'bun' | 'deno'];
  if (entry === undefined) throw new Error(`no entry for ${runtime}`);
  if (runtime === 'workerd' || runtime === 'workerd+nodejs_compat')
    return startWorker(runtime, project, entry, env);
  return startProcess(runtime, project, entry, env);
}
