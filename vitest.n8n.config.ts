import { defineConfig } from 'vitest/config';

// `npm run test:n8n`: the suites that need the real n8n 2.41.1 peer, run under its Node 24
// (scripts/test-n8n.sh installs both and builds the hooks file first). One file at a time: each starts
// its own n8n, and the machine has room for one.
// Only our source condition: vitest hands these to Node as --conditions for code it does not
// transform, and an `import` condition there would make n8n's own require() calls pick ESM builds.
const conditions = ['@n8n-embed/source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@n8n-embed/source'] } },
  test: {
    include: ['packages/verifier/test/n8n/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    setupFiles: ['test/console-guard.ts'],
    // Holds 5678 and 5679 for the whole run, as a user's own n8n does: every n8n here takes free ports.
    globalSetup: ['packages/verifier/test/n8n/support/hold-default-ports.global.ts'],
  },
});
