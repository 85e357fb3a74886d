// Benchmark candidates for packages/sdk/bench/runtimes.bench.ts, timed inside the runtime by its own
// clock: the SDK's mint and the verifier's verify against this runtime's WebCrypto floor (a bare
// `crypto.subtle.sign`/`verify` of the same signing input with a prepared CryptoKey). The bench on
// Node asks for one turn at a time, alternating candidates, and takes medians (bench/measure.ts).
import { createLoginSigner } from '@n8n-embed/sdk';
import { createVerifier } from '@n8n-embed/verifier';

const WEB = {
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
};
const BATCH = 16;
const user = { sub: 'ada-1', email: 'ada@example.com', emailVerified: true, givenName: 'Ada' };
// Every verification passes replay: the bench measures the pipeline, not a growing store.
const alwaysFresh = { consume: async () => true };

function fromBase64url(text) {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}

async function prepare(config, alg) {
  const key = config.keys.find((candidate) => candidate.alg === alg);
  const publicJwk = config.publicJwks.find((candidate) => candidate.kid === key.kid);
  const mintedAt = Date.now();
  // The default path (node:crypto where it is usable) and the WebCrypto path, on the same key.
  const signerOn = (crypto) =>
    createLoginSigner({
      privateKey: key.privateJwk,
      alg,
      issuer: config.issuer,
      audience: config.audience,
      now: () => mintedAt,
      ...(crypto ? { crypto } : {}),
    });
  const verifierOn = (crypto) =>
    createVerifier({
      trustedKeys: [
        { jwk: publicJwk, algorithms: [alg], issuer: config.issuer, expectedAudience: config.audience },
      ],
      replayStore: alwaysFresh,
      now: () => mintedAt,
      ...(crypto ? { crypto } : {}),
    });
  const [signer, webSigner, verifier, webVerifier] = await Promise.all([
    signerOn(undefined),
    signerOn('webcrypto'),
    verifierOn(undefined),
    verifierOn('webcrypto'),
  ]);
  const token = await signer.mint(user);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicMembers } = key.privateJwk;
  const web = WEB[alg];
  const privateKey = await crypto.subtle.importKey('jwk', key.privateJwk, web.import, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('jwk', publicMembers, web.import, false, ['verify']);
  const dot = token.lastIndexOf('.');
  const input = new TextEncoder().encode(token.slice(0, dot));
  const signature = fromBase64url(token.slice(dot + 1));
  return {
    [`floor-sign-${alg}`]: () => crypto.subtle.sign(web.sign, privateKey, input),
    [`mint-${alg}`]: () => signer.mint(user),
    [`mint-webcrypto-${alg}`]: () => webSigner.mint(user),
    [`floor-verify-${alg}`]: () => crypto.subtle.verify(web.sign, publicKey, signature, input),
    [`verify-${alg}`]: () => verifier.verify(token),
    [`verify-webcrypto-${alg}`]: () => webVerifier.verify(token),
  };
}

/** `(candidate, ms) → { opsPerSecond }`: runs one candidate for about `ms` milliseconds. */
export function createBench(config) {
  let candidates;
  return async (name, ms) => {
    candidates ??= Promise.all(Object.keys(WEB).map((alg) => prepare(config, alg))).then((all) =>
      Object.assign({}, ...all),
    );
    const run = (await candidates)[name];
    if (run === undefined || !(ms > 0 && ms <= 5000)) return { error: `unknown candidate ${name}` };
    const start = performance.now();
    let count = 0;
    let elapsed = 0;
    do {
      for (let i = 0; i < BATCH; i++) await run();
      count += BATCH;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return { opsPerSecond: (count * 1000) / elapsed };
  };
}
