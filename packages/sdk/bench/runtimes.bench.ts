// Mint and verify in every runtime the suite runs (test/runtimes/), each against that runtime's own
// WebCrypto floor — a bare `crypto.subtle.sign`/`verify` of the same signing input with a prepared
// CryptoKey — timed inside the runtime by its own clock, in one run: this process asks for one 200 ms
// turn at a time, the candidates taking turns, and takes medians. Then the SDK's size in a Worker
// (examples/edge-portals/worker.ts bundled as wrangler would, minified, gzipped).
// Run: npm run bench -- runtimes
import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { printOps, reportRatio, reportValue } from '../../../bench/measure.js';
import { installUserProject, repoRoot } from '../../../test/runtimes/support/install.js';
import { makeTestKeys } from '../../../test/runtimes/support/keys.js';
import { bundleWorker, RUNTIMES, startRuntime } from '../../../test/runtimes/support/runtimes.js';

const ROUNDS = 7;
const TURN_MS = 200;
const ALGS = ['ES256', 'RS256'] as const;
const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const keys = makeTestKeys();
const project = await installUserProject({
  app: `${repoRoot}test/runtimes/app`,
  examples: `${repoRoot}examples/edge-portals`,
});
const config = JSON.stringify({
  issuer: ISSUER,
  audience: AUDIENCE,
  n8nUrl: `${AUDIENCE}/`,
  portalOrigin: ISSUER,
  keys: keys.map(({ alg, kid, privateJwk, privatePem }) => ({ alg, kid, privateJwk, privatePem })),
  publicJwks: keys.map((key) => key.publicJwk),
  trustedKeys: keys.map((key) => ({
    type: 'static',
    kid: key.kid,
    algorithms: [key.alg],
    key: key.publicPem,
    issuer: ISSUER,
    expectedAudience: AUDIENCE,
  })),
  // The app's JWKS verifier fetches only at a first login, which the bench never makes.
  jwksUrl: 'http://127.0.0.1:9/jwks.json',
  sessionId: 'bench-session-0000000000',
});
const entries = {
  node: 'app/serve-node.js',
  bun: 'app/serve-bun.js',
  deno: 'app/serve-deno.js',
  worker: 'app/worker.js',
};

// The project is removed however the run ends.
try {
  for (const runtime of RUNTIMES) {
    const running = await startRuntime(runtime, project, entries, { CONFORMANCE_CONFIG: config });
    try {
      const turn = async (candidate: string): Promise<number> => {
        const url = new URL(`/bench?candidate=${candidate}&ms=${TURN_MS}`, running.url);
        const result = (await (await fetch(url)).json()) as { opsPerSecond?: number; error?: string };
        if (result.opsPerSecond === undefined) throw new Error(`${runtime}: ${result.error}`);
        return result.opsPerSecond;
      };
      for (const alg of ALGS) {
        // Where node:crypto is the default, the WebCrypto path too (on workerd it is the default).
        const nodeDefault = !runtime.startsWith('workerd');
        const names = ['floor-sign', 'mint', 'floor-verify', 'verify'];
        if (nodeDefault) names.push('mint-webcrypto', 'verify-webcrypto');
        const samples = new Map<string, number[]>(names.map((name) => [name, []]));
        for (let round = -1; round < ROUNDS; round++) {
          for (const name of names) {
            const ops = await turn(`${name}-${alg}`);
            if (round >= 0) samples.get(name)?.push(ops);
          }
        }
        const ops = (name: string): number => median(samples.get(name) ?? []);
        const vs = (floor: string, name: string): string =>
          `${(ops(floor) / ops(name)).toFixed(2)}x the floor`;
        const path = nodeDefault ? 'node:crypto' : 'WebCrypto';
        console.log(
          `\n# ${runtime} ${alg} (median of ${ROUNDS} rounds x ${TURN_MS} ms, timed in the runtime)`,
        );
        printOps('WebCrypto sign (floor)', ops('floor-sign'));
        printOps(`sdk mint, default path (${path})`, ops('mint'), vs('floor-sign', 'mint'));
        if (nodeDefault)
          printOps('sdk mint, webcrypto path', ops('mint-webcrypto'), vs('floor-sign', 'mint-webcrypto'));
        printOps('WebCrypto verify (floor)', ops('floor-verify'));
        printOps(`verify, default path (${path})`, ops('verify'), vs('floor-verify', 'verify'));
        if (nodeDefault)
          printOps('verify, webcrypto path', ops('verify-webcrypto'), vs('floor-verify', 'verify-webcrypto'));
        reportRatio(`${runtime} ${alg} mint / WebCrypto sign floor`, ops('floor-sign') / ops('mint'));
        reportRatio(`${runtime} ${alg} verify / WebCrypto verify floor`, ops('floor-verify') / ops('verify'));
      }
    } finally {
      await running.stop();
    }
  }

  console.log('\n# bundle size for a Worker (esbuild, minified, gzip -9)');
  for (const [label, entry] of [
    ['SDK: examples/edge-portals/worker.ts', 'examples/worker.ts'],
    ['SDK + verifier: the conformance app', 'app/worker.js'],
  ] as const) {
    const code = await bundleWorker(project, entry, { minify: true });
    const gzipped = gzipSync(code, { level: 9 }).byteLength;
    reportValue(`${label}, min+gzip`, gzipped / 1024, 'KiB');
    console.log(`  (${(code.length / 1024).toFixed(1)} KiB minified)`);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
