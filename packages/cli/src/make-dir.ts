import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './io.js';

/**
 * `mkdir -p` that always ends: Node's recursive mkdir loops forever under /proc (ENOENT on a parent
 * it cannot create, retried without end). This walks up to the nearest existing directory (at most
 * one step per path segment), then creates each missing one on its own, so every failure is one
 * system call and becomes one line naming the flag.
 */
export async function makeDirectory(dir: string, flag: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const found = await stat(at).catch((error: NodeJS.ErrnoException) => error);
    if (!(found instanceof Error)) {
      if (!found.isDirectory()) throw new CliError(`${flag}: ${at} is a file, not a directory`);
      break;
    }
    if (found.code === 'ENOTDIR') {
      // Some parent is a file: keep walking up to name it.
    } else if (found.code !== 'ENOENT') {
      throw new CliError(`${flag}: cannot use ${at} (${found.code ?? found.message})`);
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`${flag}: cannot create ${path} (${error.code ?? error.message})`);
    });
  }
}
