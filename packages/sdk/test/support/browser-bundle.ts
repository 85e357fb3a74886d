// The browser entry as a portal's bundler sees it: minified, for the browser, with esbuild's metafile
// (which modules it reached) and its min+gzip size. Used by the bundle test and `npm run bench`.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface BrowserBundle {
  readonly inputs: readonly string[];
  readonly minBytes: number;
  readonly gzipBytes: number;
}

/** The size target for `@n8n-embed/sdk/browser` (issue 11): 3 KB, minified and gzipped. */
export const BROWSER_BUNDLE_LIMIT_BYTES = 3 * 1024;

/** Packages the browser entry must never reach. */
export const FORBIDDEN_IN_BROWSER = ['jose', 'zod', 'nanoid'] as const;

export async function bundleBrowserEntry(): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../../src/browser/index.ts', import.meta.url))],
    bundle: true,
    minify: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['@n8n-embed/source', 'browser'],
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    inputs: Object.keys(result.metafile.inputs),
    minBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
  };
}

/** The inputs that come from a forbidden package (by its node_modules directory). */
export function forbiddenInputs(inputs: readonly string[]): string[] {
  return inputs.filter((path) => FORBIDDEN_IN_BROWSER.some((name) => path.includes(`node_modules/${name}/`)));
}
