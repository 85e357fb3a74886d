import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** n8n's own `require`, rooted at its package, and its version. */
export interface LocatedN8n {
  readonly root: string;
  readonly version: string;
  require(id: string): unknown;
}

const N8N_PACKAGE_PATH = /^(.*[\\/]node_modules[\\/]n8n)[\\/]/;

function packageVersion(root: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    return manifest.name === 'n8n' && typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/** The n8n package at `root` (the folder holding n8n's package.json). */
export function n8nAt(root: string): LocatedN8n {
  const version = packageVersion(root);
  if (version === undefined) throw new Error(`n8n-embed: no n8n package at ${root}`);
  const require = createRequire(join(root, 'package.json'));
  return { root, version, require: (id) => require(id) };
}

/**
 * Finds the n8n that loaded this hooks file: its modules must come from n8n's own copies (one
 * dependency container, one database connection), never from copies next to this package. n8n starts
 * from `n8n/bin/n8n`, so the main module tells; n8n's already loaded modules are the fallback.
 */
export function locateRunningN8n(): LocatedN8n {
  const local = createRequire(import.meta.url);
  const candidates = [local.main?.filename, ...Object.keys(local.cache)];
  for (const file of candidates) {
    const root = file ? N8N_PACKAGE_PATH.exec(file)?.[1] : undefined;
    if (root !== undefined && packageVersion(root) !== undefined) return n8nAt(root);
  }
  throw new Error(
    'n8n-embed: this hooks file must be loaded by n8n (EXTERNAL_HOOK_FILES); no running n8n package found',
  );
}
