// Verify throughput against the floor and references measured in the same run (issues 2 and 16).
// Run: npm run bench -- verify (or directly: node --conditions=@n8n-embed/source --import tsx --expose-gc <this file>)
// Where the time goes: the same command with --cpu-prof, then node --import tsx bench/cpu-profile-summary.ts <profile>.
//
// First the verifier as production runs it (issue 16): distinct fresh tokens, the real memory replay
// store, each token consumed once, against the node:crypto floor on the same tokens and a fast-jwt
// pipeline with the smallest correct replay check. Then the verifier alone: `acceptAll`, a replay store
// that accepts every id, so one token can be verified again and again and every candidate sees the very
// same bytes; the real stores are measured on their own (memory below, Redis in redis.bench.ts).
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isEmbedLoginError, type Reason } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS, VECTOR_NOW_MS } from '@n8n-embed/protocol/vectors';
import {
  createMemoryReplayStore,
  createVerifier,
  type ReplayStore,
  type Verifier,
} from '@n8n-embed/verifier';
import { createVerifier as createFastJwtVerifier } from 'fast-jwt';
import { compare, printOps, reportRatio, reportValue } from '../../../bench/measure.js';
import { claims, craft } from '../test/support/tokens.js';

const acceptAll: ReplayStore = { consume: async () => true };
const now = (): number => VECTOR_NOW_MS;
const keyOf = (alg: string) => {
  const key = VECTOR_KEYS.find((k) => k.alg === alg);
  if (key === undefined) throw new Error(`no vector key for ${alg}`);
  return key;
};
const staticEntry = (kid: string, pem: string, alg: 'ES256' | 'EdDSA' | 'RS256') => ({
  type: 'static' as const,
  kid,
  algorithms: [alg],
  key: pem,
  issuer: VECTOR_ISSUER,
  expectedAudience: VECTOR_AUDIENCE,
});
const THREE_KEYS = (['ES256', 'EdDSA', 'RS256'] as const).map((alg) =>
  staticEntry(keyOf(alg).kid, keyOf(alg).publicPem, alg),
);

function tokenFor(alg: 'ES256' | 'EdDSA' | 'RS256', kid = keyOf(alg).kid): string {
  return craft({ alg, kid, typ: 'n8n-embed+jwt' }, claims({ jti: 'bench-jti' }), keyOf(alg).kid);
}

async function makeVerifier(crypto: 'node' | 'webcrypto', trustedKeys = THREE_KEYS): Promise<Verifier> {
  return createVerifier({ trustedKeys, audience: VECTOR_AUDIENCE, crypto, now, replayStore: acceptAll });
}

/** Each candidate is run once before it is measured: a bench must never time a rejection by accident. */
async function accepted(name: string, result: unknown): Promise<void> {
  if ((await result) === false) throw new Error(`${name} rejected the bench token`);
}

async function rejectedWith(verifier: Verifier, token: string, reason: Reason): Promise<void> {
  const outcome = await verifier.verify(token).then(
    () => 'accepted',
    (error: unknown) => (isEmbedLoginError(error) ? error.reason : String(error)),
  );
  if (outcome !== reason) throw new Error(`expected ${reason}, got ${outcome}`);
}

const SUBTLE_PARAMS = {
  ES256: { importAs: { name: 'ECDSA', namedCurve: 'P-256' }, verifyAs: { name: 'ECDSA', hash: 'SHA-256' } },
  EdDSA: { importAs: { name: 'Ed25519' }, verifyAs: { name: 'Ed25519' } },
  RS256: {
    importAs: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verifyAs: { name: 'RSASSA-PKCS1-v1_5' },
  },
} as const;

function floorFor(alg: 'ES256' | 'EdDSA' | 'RS256', key: KeyObject, input: Buffer, signature: Buffer) {
  if (alg === 'ES256') {
    const options = { key, dsaEncoding: 'ieee-p1363' as const };
    return () => verify('sha256', input, options, signature);
  }
  return () => verify(alg === 'EdDSA' ? null : 'sha256', input, key, signature);
}

async function verifyVsFloor(node: Verifier, web: Verifier): Promise<number> {
  let es256Ops = 0;
  for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) {
    const key = keyOf(alg);
    const token = tokenFor(alg);
    const input = Buffer.from(token.slice(0, token.lastIndexOf('.')));
    const signature = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
    const floor = floorFor(alg, createPublicKey(key.publicPem), input, signature);
    const { importAs, verifyAs } = SUBTLE_PARAMS[alg];
    const cryptoKey = await crypto.subtle.importKey('jwk', key.publicJwk, importAs, false, ['verify']);
    const subtleFloor = () => crypto.subtle.verify(verifyAs, cryptoKey, signature, input);
    // fast-jwt: the same checks it can express (alg, iss, aud, time); no cache, so it really verifies.
    const fastJwt = createFastJwtVerifier({
      key: key.publicPem,
      algorithms: [alg],
      allowedIss: VECTOR_ISSUER,
      allowedAud: VECTOR_AUDIENCE,
      clockTimestamp: VECTOR_NOW_MS,
      cache: false,
    });
    const candidates = {
      floor,
      node: () => node.verify(token),
      web: () => web.verify(token),
      subtleFloor,
      fastJwt: () => fastJwt(token),
    };
    for (const [name, run] of Object.entries(candidates)) await accepted(name, run());
    const ops = await compare(candidates);
    console.log(`\n# ${alg} verify, one token (median of 7 rounds x 200 ms)`);
    printOps('node:crypto verify (floor)', ops.floor);
    printOps("verifier, crypto 'node'", ops.node, `${(ops.floor / ops.node).toFixed(2)}x the floor`);
    printOps("verifier, crypto 'webcrypto'", ops.web, `${(ops.floor / ops.web).toFixed(2)}x the floor`);
    printOps('crypto.subtle.verify (webcrypto floor)', ops.subtleFloor);
    printOps(
      'fast-jwt createVerifier (reference)',
      ops.fastJwt,
      `${(ops.floor / ops.fastJwt).toFixed(2)}x the floor`,
    );
    // ES256's targets belong to the production figure (productionPipeline); this is the verifier alone.
    const target = alg === 'RS256' ? { atMost: 1.5 } : undefined;
    reportRatio(`${alg} verify, accept-all store / node:crypto floor`, ops.floor / ops.node, target);
    reportRatio(`${alg} verify (webcrypto) / crypto.subtle floor`, ops.subtleFloor / ops.web);
    reportRatio(`${alg} verify, accept-all store / fast-jwt verify (cost)`, ops.fastJwt / ops.node);
    if (alg === 'ES256') es256Ops = ops.node;
  }
  return es256Ops;
}

/**
 * `count` distinct ES256 tokens (each its own jti), signed with a prepared key: a portal's logins as
 * the verifier meets them.
 */
function distinctTokens(count: number): string[] {
  const key = keyOf('ES256');
  const privateKey = createPrivateKey({ key: key.privateJwk as never, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: key.kid, typ: 'n8n-embed+jwt' })).toString(
    'base64url',
  );
  return Array.from({ length: count }, (_, i) => {
    const payload = Buffer.from(JSON.stringify(claims({ sub: `user-${i % 1000}`, jti: `prod-${i}` })));
    const input = `${header}.${payload.toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  });
}

/** Each call takes the next token of `tokens`; running out is a bench bug (a token would be replayed). */
function eachOnce(tokens: readonly string[], use: (token: string) => unknown): () => unknown {
  let next = 0;
  return () => {
    const token = tokens[next++];
    if (token === undefined) throw new Error(`more than ${tokens.length} calls: size the token pool up`);
    return use(token);
  };
}

/**
 * Issue 16's figure: the verifier as production runs it. Every candidate walks the same pool of
 * distinct tokens, each token once: ours with the real memory replay store; the floor, node:crypto's
 * verify of each token's signing input (prepared in advance, as the accept-all floor is); and the
 * pipeline a fast-jwt user would build: fast-jwt's verifier (alg, iss, aud, time) and the smallest
 * correct replay check, a Map of jti to expiry.
 */
async function productionPipeline(): Promise<void> {
  const key = createPublicKey(keyOf('ES256').publicPem);
  const floorOnce = (token: string): boolean => {
    const dot = token.lastIndexOf('.');
    const ok = verify(
      'sha256',
      Buffer.from(token.slice(0, dot), 'latin1'),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
    if (!ok) throw new Error('the floor rejected a bench token');
    return ok;
  };
  // The pool's size: the floor's rate (the fastest candidate) over warm-up and 7 rounds, and a wide
  // margin (the machine may be quieter during the rounds than during this probe).
  const probe = distinctTokens(2_000);
  const started = process.hrtime.bigint();
  for (const token of probe) floorOnce(token);
  const floorRate = probe.length / (Number(process.hrtime.bigint() - started) / 1e9);
  const tokens = distinctTokens(Math.ceil(floorRate * 0.2 * 8 * 2.5));
  const prepared = tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return {
      input: Buffer.from(token.slice(0, dot)),
      signature: Buffer.from(token.slice(dot + 1), 'base64url'),
    };
  });

  const ours = await createVerifier({
    trustedKeys: THREE_KEYS,
    audience: VECTOR_AUDIENCE,
    crypto: 'node',
    now,
    replayStore: createMemoryReplayStore(), // as configured by default: up to 100 000 entries
  });
  const fastJwt = createFastJwtVerifier({
    key: keyOf('ES256').publicPem,
    algorithms: ['ES256'],
    allowedIss: VECTOR_ISSUER,
    allowedAud: VECTOR_AUDIENCE,
    clockTimestamp: VECTOR_NOW_MS,
    cache: false,
  });
  const seen = new Map<string, number>(); // jti -> exp in ms
  const fastJwtPipeline = (token: string): unknown => {
    const payload = fastJwt(token) as { jti: string; exp: number };
    const until = seen.get(payload.jti);
    if (until !== undefined && until > VECTOR_NOW_MS) throw new Error('replayed');
    seen.set(payload.jti, payload.exp * 1000);
    return payload;
  };
  let floorIndex = 0;
  const floor = () => {
    const token = prepared[floorIndex++];
    if (token === undefined) throw new Error('the floor ran out of tokens');
    return verify('sha256', token.input, { key, dsaEncoding: 'ieee-p1363' }, token.signature);
  };
  const ops = await compare({
    floor,
    ours: eachOnce(tokens, (token) => ours.verify(token)),
    fastJwt: eachOnce(tokens, fastJwtPipeline),
  });
  console.log(
    `\n# ES256, production: ${tokens.length} distinct tokens, each consumed once (median of 7 rounds x 200 ms)`,
  );
  printOps('node:crypto verify (floor)', ops.floor);
  printOps('verifier + memory replay store', ops.ours, `${(ops.floor / ops.ours).toFixed(2)}x the floor`);
  printOps(
    'fast-jwt + Map of jti (reference)',
    ops.fastJwt,
    `${(ops.floor / ops.fastJwt).toFixed(2)}x the floor`,
  );
  reportRatio('ES256 verify + memory store, distinct tokens / node:crypto floor', ops.floor / ops.ours, {
    atMost: 1.15,
  });
  reportRatio('ES256 verify + memory store / fast-jwt + Map of jti (cost)', ops.fastJwt / ops.ours, {
    atMost: 1,
  });
}

async function rejections(node: Verifier): Promise<void> {
  const valid = tokenFor('ES256');
  const malformed = valid.slice(0, valid.lastIndexOf('.')); // no signature segment
  const unknownKid = tokenFor('ES256', 'no-such-kid');
  await rejectedWith(node, malformed, 'malformed');
  await rejectedWith(node, unknownKid, 'unknown_kid');
  const expected = (): void => {};
  const unexpected = (): never => {
    throw new Error('accepted a token it must reject');
  };
  const ops = await compare({
    valid: () => node.verify(valid),
    malformed: () => node.verify(malformed).then(unexpected, expected),
    unknownKid: () => node.verify(unknownKid).then(unexpected, expected),
  });
  // No target here (issue 16): what protects a server is its rate under a flood of such tokens,
  // measured over HTTP against a bare server in http.bench.ts.
  console.log('\n# rejections vs a valid ES256 verify');
  printOps('valid ES256 verify', ops.valid);
  printOps('malformed (no signature segment)', ops.malformed);
  printOps('unknown kid (well-formed, signed)', ops.unknownKid);
  reportRatio('malformed rejection, times cheaper than a valid verify', ops.malformed / ops.valid);
  reportRatio('unknown-kid rejection, times cheaper than a valid verify', ops.unknownKid / ops.valid);
}

async function manyKids(three: Verifier): Promise<void> {
  const es = keyOf('ES256');
  // One P-256 public key under 9,999 more kids: the ring's size is what is measured, not key variety.
  const entries = [...THREE_KEYS];
  for (let i = entries.length; i < 10_000; i++)
    entries.push(staticEntry(`bench-kid-${i}`, es.publicPem, 'ES256'));
  const started = process.hrtime.bigint();
  const large = await makeVerifier('node', entries);
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const token = tokenFor('ES256');
  await accepted('10k-kid verifier', large.verify(token));
  const ops = await compare({ three: () => three.verify(token), large: () => large.verify(token) });
  console.log('\n# key ring size (ES256, node crypto)');
  printOps('3 kids in trustedKeys', ops.three);
  printOps('10,000 kids in trustedKeys', ops.large, `(createVerifier took ${loadMs.toFixed(0)} ms)`);
  reportRatio('ES256 verify, 10,000 kids / 3 kids (cost)', ops.three / ops.large, { atMost: 1.1 });
}

function loadGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc'); // started without --expose-gc (npm run bench passes it)
  return runInNewContext('gc') as () => void;
}

async function memoryStoreBytes(): Promise<void> {
  const count = 100_000;
  const gc = loadGc();
  // The store's table is a typed array, whose memory lives outside the JS heap: count both.
  const collect = (): number => {
    for (let i = 0; i < 3; i++) gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const store = createMemoryReplayStore({ maxEntries: count });
  const at = VECTOR_NOW_MS;
  const before = collect();
  // Keys made as the verifier makes them (SHA-256 hex of the issuer and jti), then left to the store.
  for (let i = 0; i < count; i++) {
    const key = createHash('sha256')
      .update(JSON.stringify([VECTOR_ISSUER, `jti-${i}`]))
      .digest('hex');
    if (!(await store.consume({ key, expiresAt: at + 85_000, now: at }))) throw new Error('replayed');
  }
  const after = collect();
  console.log('\n# memory replay store');
  reportValue(`memory store, bytes per entry at ${store.size} entries`, (after - before) / count, 'bytes', {
    atMost: 100,
  });
}

const node = await makeVerifier('node');
const web = await makeVerifier('webcrypto');
console.log(`verifier verify bench: node ${process.version}, ${process.arch}, fixed clock`);
await productionPipeline();
await verifyVsFloor(node, web);
await rejections(node);
await manyKids(node);
await memoryStoreBytes();
