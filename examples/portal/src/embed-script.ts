import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// The dashboard's JavaScript is @n8n-embed/sdk/browser as a portal's bundler would ship it. A real
// portal bundles it with the rest of its front end; this example bundles it once, on first request.
let bundled: Promise<string> | undefined;

export function embedScript(): Promise<string> {
  bundled ??= build({
    entryPoints: ['@n8n-embed/sdk/browser'],
    absWorkingDir: dirname(fileURLToPath(import.meta.url)),
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    // This repository runs from source; a portal using the published package gets dist/browser.js.
    conditions: ['@n8n-embed/source', 'browser'],
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundled;
}
