// The SDK's main entry must run on browsers and edge runtimes: bundled for the browser, it pulls in
// no `node:` module (the Node fast path is reached through process.getBuiltinModule at run time).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('bundles for the browser without a node: import', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['@n8n-embed/source', 'browser'],
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((path) => path.includes('packages/protocol/src'))).toBe(true);
  expect(
    inputs.filter((path) => path.startsWith('node:') || path.includes('node_modules/nanoid/index.js')),
  ).toEqual([]);
  const code = result.outputFiles[0]?.text ?? '';
  expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:)?crypto["']\)/);
});
