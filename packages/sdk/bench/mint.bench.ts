// Mint throughput: the SDK's full `mint` (claims built and schema-checked, signed) against the floor,
// a raw node:crypto sign of the same signing input with a prepared KeyObject, and against fast-jwt's
// signer (reference only). Run: npm run bench -- sdk
import { createPrivateKey, sign } from 'node:crypto';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS } from '@n8n-embed/protocol/vectors';
import { createSigner } from 'fast-jwt';
import { createLoginSigner } from '../src/index.js';

const ROUNDS = 7;
const DURATION_MS = 200;

/**
 * Median operations per second of each candidate over ROUNDS rounds. The candidates take turns within
 * every round, so a slower or busier stretch of the machine weighs on all of them alike.
 */
async function compare(candidates: Record<string, () => unknown>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(candidates)) {
      let count = 0;
      const start = performance.now();
      while (performance.now() - start < DURATION_MS) {
        for (let i = 0; i < 50; i++) await run();
        count += 50;
      }
      if (round < 0) continue;
      const list = samples[name] ?? [];
      list.push((count * 1000) / (performance.now() - start));
      samples[name] = list;
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

const TARGETS: Record<string, number> = { ES256: 1.3 };
const user = { sub: 'user-42', email: 'ada@example.com', emailVerified: true, givenName: 'Ada' };

for (const key of VECTOR_KEYS.filter((candidate) => candidate.alg !== 'PS256')) {
  const options = {
    privateKey: key.privateJwk,
    kid: key.kid,
    alg: key.alg,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  };
  const node = await createLoginSigner(options);
  const web = await createLoginSigner({ ...options, crypto: 'webcrypto' });
  const token = await node.mint(user);
  const input = Buffer.from(token.slice(0, token.lastIndexOf('.')));
  const keyObject = createPrivateKey({ key: key.privateJwk, format: 'jwk' });
  const hash = key.alg === 'EdDSA' ? null : 'sha256';
  const signOptions =
    key.alg === 'ES256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject;
  const fastJwt = createSigner({
    key: keyObject.export({ format: 'pem', type: 'pkcs8' }).toString(),
    algorithm: key.alg,
    kid: key.kid,
    iss: VECTOR_ISSUER,
    aud: VECTOR_AUDIENCE,
    expiresIn: 30_000,
  });

  const {
    floor = 0,
    sdk = 0,
    portable = 0,
    reference = 0,
  } = await compare({
    floor: () => sign(hash, input, signOptions),
    sdk: () => node.mint(user),
    portable: () => web.mint(user),
    reference: () => fastJwt({ sub: user.sub, email: user.email, jti: 'x' }),
  });
  const ratio = floor / sdk;
  const target = TARGETS[key.alg];
  const verdict = target === undefined ? '' : ` (target <= ${target}x: ${ratio <= target ? 'PASS' : 'MISS'})`;
  console.log(`${key.alg} mint`);
  console.log(`  node:crypto sign floor   ${floor.toFixed(0).padStart(8)} ops/s`);
  console.log(
    `  sdk mint (node path)     ${sdk.toFixed(0).padStart(8)} ops/s   ${ratio.toFixed(2)}x the floor${verdict}`,
  );
  console.log(
    `  sdk mint (webcrypto)     ${portable.toFixed(0).padStart(8)} ops/s   ${(floor / portable).toFixed(2)}x the floor`,
  );
  console.log(
    `  fast-jwt sign            ${reference.toFixed(0).padStart(8)} ops/s   ${(floor / reference).toFixed(2)}x the floor`,
  );
}
