// Regenerates packages/protocol/src/vectors.json (the private keys go to test/vector-private-keys.json):
// fixed keys, claims, `now` and `jti`, the expected token (byte-exact for EdDSA, whose signatures are
// deterministic) or the expected rejection reason for each profile. Run: npx tsx scripts/generate-vectors.ts (then commit the result).
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com';
const IAT = 1_790_000_000;
const NOW_MS = (IAT + 10) * 1000;

type Jwk = Record<string, string>;
const keys: Record<string, { alg: string; privateJwk: Jwk; publicJwk: Jwk; publicPem: string }> = {};
function addKey(kid: string, alg: string, pair: { privateKey: import('node:crypto').KeyObject }) {
  const publicKey = createPublicKey(pair.privateKey);
  keys[kid] = {
    alg,
    privateJwk: pair.privateKey.export({ format: 'jwk' }) as Jwk,
    publicJwk: publicKey.export({ format: 'jwk' }) as Jwk,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
addKey('vector-es256', 'ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' }));
addKey('vector-eddsa', 'EdDSA', generateKeyPairSync('ed25519'));
addKey('vector-rs256', 'RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }));
addKey('vector-ps256', 'PS256', generateKeyPairSync('rsa', { modulusLength: 2048 }));

function keyOf(kid: string): (typeof keys)[string] {
  const key = keys[kid];
  if (!key) throw new Error(`no vector key ${kid}`);
  return key;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const json = (value: unknown) => b64(JSON.stringify(value));

function signInput(kid: string, input: string): string {
  const { alg, privateJwk } = keyOf(kid);
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  if (alg === 'EdDSA') return b64(sign(null, Buffer.from(input), key));
  if (alg === 'ES256') return b64(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }));
  if (alg === 'PS256') return b64(sign('sha256', Buffer.from(input), { key, padding: 6, saltLength: 32 }));
  return b64(sign('sha256', Buffer.from(input), key));
}

function token(kid: string, claims: unknown, header: Record<string, unknown> = {}): string {
  const input = `${json({ alg: keyOf(kid).alg, kid, typ: 'n8n-embed+jwt', ...header })}.${json(claims)}`;
  return `${input}.${signInput(kid, input)}`;
}

// Claim order is canonical (a signer that wants byte-equal EdDSA output must use it):
// iss, sub, aud, iat, exp, jti, then email, email_verified, given_name, family_name, role.
const base = { iss: ISSUER, sub: 'user-42', aud: AUDIENCE, iat: IAT, exp: IAT + 30, jti: 'vector-jti-0001' };
const full = {
  ...base,
  email: 'ada@example.com',
  email_verified: true,
  given_name: 'Ada',
  family_name: 'Lovelace',
  role: 'global:member',
};

type Expected = 'valid' | string;
interface Vector {
  name: string;
  token: string;
  expected: { strict: Expected; n8n: Expected };
  claims?: unknown;
  kid?: string;
  deterministic?: boolean;
}
const vectors: Vector[] = [];
const valid = (name: string, kid: string, claims: object) =>
  vectors.push({
    name,
    kid,
    claims,
    token: token(kid, claims),
    deterministic: keyOf(kid).alg === 'EdDSA',
    expected: { strict: 'valid', n8n: 'valid' },
  });
const invalid = (name: string, tokenValue: string, strict: Expected, n8n: Expected = strict) =>
  vectors.push({ name, token: tokenValue, expected: { strict, n8n } });

valid('ES256 minimal claims', 'vector-es256', base);
valid('ES256 every claim', 'vector-es256', full);
valid('EdDSA minimal claims', 'vector-eddsa', base);
valid('EdDSA every claim', 'vector-eddsa', full);
valid('RS256 every claim', 'vector-rs256', full);
valid('PS256 every claim', 'vector-ps256', full);
valid('lifetime of exactly 60 s', 'vector-es256', { ...base, exp: IAT + 60 });
valid('nbf in the past', 'vector-es256', { ...base, nbf: IAT });
valid('unknown claims are ignored', 'vector-es256', { ...base, org: 'acme' });

const es = 'vector-es256';
invalid('expired', token(es, { ...base, iat: IAT - 60, exp: IAT - 1 }), 'expired');
invalid('not yet valid (nbf)', token(es, { ...base, nbf: IAT + 20 }), 'not_yet_valid');
invalid('lifetime of 61 s', token(es, { ...base, exp: IAT + 61 }), 'lifetime_exceeded');
invalid('wrong audience', token(es, { ...base, aud: 'https://other.example.com' }), 'audience_mismatch');
invalid(
  'aud array containing the audience',
  token(es, { ...base, aud: [AUDIENCE, 'x'] }),
  'claims_invalid',
  'valid',
);
invalid(
  'email_verified as a string',
  token(es, { ...full, email_verified: 'true' }),
  'claims_invalid',
  'valid',
);
invalid(
  'given_name of 40 chars',
  token(es, { ...full, given_name: 'g'.repeat(40) }),
  'claims_invalid',
  'valid',
);
invalid('sub with a newline', token(es, { ...base, sub: 'a\nb' }), 'claims_invalid', 'valid');
invalid('role global:owner', token(es, { ...base, role: 'global:owner' }), 'claims_invalid', 'valid');
invalid('missing jti', token(es, { ...base, jti: undefined }), 'claims_invalid');
invalid('float exp', token(es, { ...base, exp: IAT + 30.5 }), 'claims_invalid');
invalid('exp as a string', token(es, { ...base, exp: String(IAT + 30) }), 'claims_invalid');
invalid('iss as an array', token(es, { ...base, iss: [ISSUER] }), 'claims_invalid');
invalid('payload without iss', token(es, { ...base, iss: undefined }), 'claims_invalid');
invalid(
  'iat an hour ahead',
  token(es, { ...base, iat: IAT + 3600, exp: IAT + 3630 }),
  'not_yet_valid',
  'valid',
);
invalid(
  'issuer without a key (same kid)',
  token(es, { ...base, iss: 'https://evil.example.com' }),
  'unknown_kid',
);
invalid(
  'unknown kid',
  token(es, base).replace(/^[^.]+/, json({ alg: 'ES256', kid: 'nope', typ: 'n8n-embed+jwt' })),
  'unknown_kid',
);
invalid(
  'missing kid',
  (() => {
    const input = `${json({ alg: 'ES256', typ: 'n8n-embed+jwt' })}.${json(base)}`;
    return `${input}.${signInput(es, input)}`;
  })(),
  'missing_kid',
);
invalid('typ missing', token(es, base, { typ: undefined }), 'header_rejected', 'valid');
invalid('header with jku', token(es, base, { jku: 'http://169.254.169.254/' }), 'header_rejected', 'valid');
invalid(
  'alg none',
  `${json({ alg: 'none', kid: es, typ: 'n8n-embed+jwt' })}.${json(base)}.`,
  'malformed',
  'alg_rejected',
);
invalid(
  'alg HS256 keyed with the public PEM',
  (() => {
    const input = `${json({ alg: 'HS256', kid: es, typ: 'n8n-embed+jwt' })}.${json(base)}`;
    return `${input}.${b64(createHmac('sha256', keyOf(es).publicPem).update(input).digest())}`;
  })(),
  'alg_rejected',
);
invalid(
  'ES256 token under an EdDSA kid',
  (() => {
    const input = `${json({ alg: 'ES256', kid: 'vector-eddsa', typ: 'n8n-embed+jwt' })}.${json(base)}`;
    return `${input}.${signInput(es, input)}`;
  })(),
  'key_alg_mismatch',
);
invalid(
  'tampered payload',
  (() => {
    const [h, , s] = token(es, base).split('.');
    return `${h}.${json({ ...base, sub: 'admin' })}.${s}`;
  })(),
  'bad_signature',
);
invalid(
  'all-zero ES256 signature',
  token(es, base).replace(/[^.]+$/, b64(Buffer.alloc(64))),
  'bad_signature',
);
invalid('trailing newline', `${token(es, base)}\n`, 'malformed');
invalid('padding', `${token(es, base)}==`, 'malformed');
invalid('oversize', token(es, { ...base, pad: 'x'.repeat(5000) }), 'too_large');
invalid(
  'duplicate claim names',
  (() => {
    const input = `${json({ alg: 'ES256', kid: es, typ: 'n8n-embed+jwt' })}.${b64(`{"iss":"${ISSUER}","sub":"user-42","sub":"admin","aud":"${AUDIENCE}","iat":${IAT},"exp":${IAT + 30},"jti":"d"}`)}`;
    return `${input}.${signInput(es, input)}`;
  })(),
  'malformed',
);

// Data, not code: the public half ships with @n8n-embed/protocol (src/vectors.json, typed by
// src/vectors.ts); the private keys stay in the repository (test/vector-private-keys.json).
const publicData = {
  issuer: ISSUER,
  audience: AUDIENCE,
  nowMs: NOW_MS,
  keys: Object.entries(keys).map(([kid, { alg, publicJwk, publicPem }]) => ({
    kid,
    alg,
    publicJwk,
    publicPem,
  })),
  vectors,
};
const privateKeys = Object.fromEntries(
  Object.entries(keys).map(([kid, { privateJwk }]) => [kid, privateJwk]),
);
const dataFile = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(new URL('../packages/protocol/src/vectors.json', import.meta.url), dataFile(publicData));
writeFileSync(
  new URL('../packages/protocol/test/vector-private-keys.json', import.meta.url),
  dataFile(privateKeys),
);
console.log(`wrote ${vectors.length} vectors`);
