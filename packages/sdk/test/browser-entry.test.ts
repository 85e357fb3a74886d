// `@n8n-embed/sdk/browser` has no runtime dependency: esbuild's metafile for the bundled entry holds
// only the entry's own modules (nothing from jose, zod, nanoid, the protocol package or node:).
import { expect, it } from 'vitest';
import { bundleBrowserEntry, forbiddenInputs } from './support/browser-bundle.js';

it('bundles from its own modules only: nothing from jose, zod, nanoid, the protocol or node:', async () => {
  const { inputs } = await bundleBrowserEntry();
  expect(inputs.length).toBeGreaterThan(0);
  expect(forbiddenInputs(inputs)).toEqual([]);
  expect(inputs.filter((path) => !path.startsWith('packages/sdk/src/browser/'))).toEqual([]);
});

it('the forbidden-package check sees a forbidden module', () => {
  expect(
    forbiddenInputs(['node_modules/jose/dist/browser/index.js', 'node_modules/zod/v4/core.js', 'x.ts']),
  ).toEqual(['node_modules/jose/dist/browser/index.js', 'node_modules/zod/v4/core.js']);
});
