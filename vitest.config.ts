import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources: the `@n8n-embed/source` export condition points each
// workspace package at its `src/`, so `npm test` needs no build first.
const conditions = ['@n8n-embed/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@n8n-embed/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'packages/*/test/n8n/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    setupFiles: ['test/console-guard.ts'],
  },
});
