// Mint throughput: the SDK's full `mint` (claims built and schema-checked, signed) against the floor,
// a raw node:crypto sign of the same signing input with a prepared KeyObject, and against fast-jwt's
// signer (reference only). Run: npm run bench -- sdk
import { createPrivateKey, sign } from 'node:crypto';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS } from '@n8n-embed/protocol/vectors';
import { createSigner } from 'fast-jwt';
import { compare, printOps, reportRatio } from '../../../bench/measure.js';
import { createLoginSigner } from '../src/index.js';

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
  } = await compare(
    {
      floor: () => sign(hash, input, signOptions),
      sdk: () => node.mint(user),
      portable: () => web.mint(user),
      reference: () => fastJwt({ sub: user.sub, email: user.email, jti: 'x' }),
    },
    { rounds: 15 },
  ); // a signature is ~30 µs: more rounds steady the median
  console.log(`\n# ${key.alg} mint (median of 15 rounds x 200 ms)`);
  printOps('node:crypto sign (floor)', floor);
  printOps('sdk mint, node path', sdk, `${(floor / sdk).toFixed(2)}x the floor`);
  printOps('sdk mint, webcrypto path', portable, `${(floor / portable).toFixed(2)}x the floor`);
  printOps('fast-jwt sign (reference)', reference, `${(floor / reference).toFixed(2)}x the floor`);
  const target = TARGETS[key.alg];
  reportRatio(
    `${key.alg} mint / node:crypto floor`,
    floor / sdk,
    target === undefined ? undefined : { atMost: target },
  );
}
