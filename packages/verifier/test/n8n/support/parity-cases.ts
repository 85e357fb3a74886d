// The security.md cases (and a few identity cases) as tokens, at the vectors' clock, signed with the
// vector keys. Plain data: the parity test runs each through n8n's code and ours.
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { b64, craft, esHeader, hmac, json, NOW_S, signInput } from '../../support/tokens.js';

export const OTHER_ISSUER = 'https://second-portal.example.com';

/** The vector keys, plus policy variants and a second issuer, for identity and replay cases. */
export const PARITY_TRUSTED_KEYS = [
  ...VECTOR_TRUSTED_KEYS.map((key) =>
    key.kid === 'vector-ps256'
      ? { ...key, allowedRoles: ['global:member'] }
      : key.kid === 'vector-rs256'
        ? { ...key, requireVerifiedEmail: false }
        : key,
  ),
  {
    ...(VECTOR_TRUSTED_KEYS[0] as (typeof VECTOR_TRUSTED_KEYS)[number]),
    kid: 'second-es256',
    issuer: OTHER_ISSUER,
  },
];

export interface ParityCase {
  readonly name: string;
  /** One token, or several redeemed in order (the last one's outcome is compared). */
  readonly tokens: readonly string[];
  /** Redeem all tokens at once; compare how many succeed. */
  readonly parallel?: boolean;
}

let counter = 0;
const payload = (extra: Record<string, unknown> = {}) => ({
  iss: VECTOR_ISSUER,
  sub: 'user-1',
  aud: VECTOR_AUDIENCE,
  iat: NOW_S - 5,
  exp: NOW_S + 25,
  jti: `parity-${++counter}`,
  email: 'user-1@portal.test',
  email_verified: true,
  ...extra,
});
const es = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  craft(esHeader(header), payload(extra));
const pem = (VECTOR_KEYS[0] as (typeof VECTOR_KEYS)[number]).publicPem;
const unsigned = (alg: string) => `${json({ alg, kid: 'vector-es256' })}.${json(payload())}.`;
const hs256 = (secret: string) => {
  const input = `${json({ alg: 'HS256', kid: 'vector-es256', typ: 'n8n-embed+jwt' })}.${json(payload())}`;
  return `${input}.${hmac(input, secret)}`;
};
const derSignature = () => {
  const input = `${json(esHeader())}.${json(payload())}`;
  const raw = Buffer.from(signInput(input, 'vector-es256'), 'base64url');
  const int = (bytes: Buffer) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.subarray(start);
    const body = (trimmed[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return Buffer.concat([Buffer.from([2, body.length]), body]);
  };
  const seq = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return `${input}.${b64(Buffer.concat([Buffer.from([0x30, seq.length]), seq]))}`;
};
const withKid = (kid: string) => craft({ alg: 'ES256', kid, typ: 'n8n-embed+jwt' }, payload());
const rawPayload = (text: string) => craft(esHeader(), text);

export function securityCases(): ParityCase[] {
  const sameJti = `shared-${++counter}`;
  const twice = es();
  const racing = es();
  return [
    { name: 'alg none', tokens: [unsigned('none')] },
    { name: 'alg None', tokens: [unsigned('None')] },
    { name: 'alg NONE', tokens: [unsigned('NONE')] },
    { name: 'HS256 keyed with the public PEM', tokens: [hs256(pem)] },
    { name: 'HS256 keyed with the PEM and a leading space', tokens: [hs256(` ${pem}`)] },
    { name: 'HS256 keyed with the PEM with CRLF line ends', tokens: [hs256(pem.replace(/\n/g, '\r\n'))] },
    {
      name: 'ES256 all-zero signature',
      tokens: [`${es().split('.').slice(0, 2).join('.')}.${b64(new Uint8Array(64))}`],
    },
    { name: 'ES256 signature in DER form', tokens: [derSignature()] },
    {
      name: 'ES256 token under an EdDSA kid',
      tokens: [craft({ alg: 'ES256', kid: 'vector-eddsa', typ: 'n8n-embed+jwt' }, payload(), 'vector-es256')],
    },
    { name: 'header with jwk', tokens: [es({}, { jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } })] },
    { name: 'header with jku to the metadata address', tokens: [es({}, { jku: 'http://169.254.169.254/' })] },
    { name: 'header with crit', tokens: [es({}, { crit: ['exp'] })] },
    { name: 'header with b64 false', tokens: [es({}, { b64: false })] },
    { name: 'kid of 100 000 chars', tokens: [withKid('k'.repeat(100_000))] },
    { name: 'kid ../../dev/null', tokens: [withKid('../../dev/null')] },
    { name: "kid x' OR 1=1 --", tokens: [withKid("x' OR 1=1 --")] },
    { name: 'payload []', tokens: [rawPayload('[]')] },
    { name: 'payload "str"', tokens: [rawPayload('"str"')] },
    { name: 'payload null', tokens: [rawPayload('null')] },
    { name: 'exp as a string', tokens: [es({ exp: String(NOW_S + 25) })] },
    { name: 'exp as a float', tokens: [es({ exp: NOW_S + 25.5 })] },
    {
      name: 'exp 1e400',
      tokens: [craft(esHeader(), JSON.stringify(payload()).replace(/"exp":\d+/, '"exp":1e400'))],
    },
    { name: 'exp negative', tokens: [es({ exp: -1 })] },
    { name: 'iat an hour ahead', tokens: [es({ iat: NOW_S + 3600, exp: NOW_S + 3620 })] },
    { name: 'exp = iat + 61', tokens: [es({ iat: NOW_S - 1, exp: NOW_S + 60 })] },
    { name: 'exp = iat + 60 (accepted)', tokens: [es({ iat: NOW_S - 1, exp: NOW_S + 59 })] },
    { name: 'missing jti', tokens: [es({ jti: undefined })] },
    { name: 'iss as an array', tokens: [es({ iss: [VECTOR_ISSUER] })] },
    { name: 'aud with two entries', tokens: [es({ aud: [VECTOR_AUDIENCE, 'https://other.example.com'] })] },
    { name: 'the same token twice', tokens: [twice, twice] },
    {
      name: '50 parallel redemptions of one token',
      tokens: Array.from({ length: 50 }, () => racing),
      parallel: true,
    },
    {
      name: 'two issuers using the same jti (second issuer redeems after the first)',
      tokens: [
        es({ jti: sameJti }),
        craft({ ...esHeader(), kid: 'second-es256' }, payload({ iss: OTHER_ISSUER, jti: sameJti })),
      ],
    },
  ];
}

/** Identity policy cases; each runs against a fresh user table holding the owner and two members. */
export function identityCases(): ParityCase[] {
  const sub = (extra: Record<string, unknown>, kid = 'vector-es256') =>
    craft(
      { alg: VECTOR_KEYS.find((k) => k.kid === kid)?.alg, kid, typ: 'n8n-embed+jwt' },
      payload(extra),
      kid,
    );
  return [
    {
      name: 'a new verified user is provisioned',
      tokens: [sub({ sub: 'new-1', email: 'New.User@Portal.test' })],
    },
    {
      name: 'the second login of a sub reuses its user (even with another email)',
      tokens: [
        sub({ sub: 'new-2', email: 'second@portal.test' }),
        sub({ sub: 'new-2', email: 'changed@portal.test' }),
      ],
    },
    {
      name: 'an existing member is linked by email',
      tokens: [sub({ sub: 'm-1', email: 'member@n8n.test' })],
    },
    {
      name: 'an existing member with an unverified email',
      tokens: [sub({ sub: 'm-2', email: 'member@n8n.test', email_verified: false })],
    },
    { name: 'the owner by email', tokens: [sub({ sub: 'o-1', email: 'owner@n8n.test' })] },
    { name: 'a new user with an unverified email', tokens: [sub({ sub: 'u-1', email_verified: false })] },
    {
      name: 'a new user with email_verified absent',
      tokens: [sub({ sub: 'u-2', email_verified: undefined })],
    },
    {
      name: 'a new unverified user under a key with requireVerifiedEmail false',
      tokens: [sub({ sub: 'u-3', email_verified: false }, 'vector-rs256')],
    },
    { name: 'a new user without email', tokens: [sub({ sub: 'u-4', email: undefined })] },
    { name: 'a new user asking for global:owner', tokens: [sub({ sub: 'u-5', role: 'global:owner' })] },
    { name: 'a new user asking for global:admin', tokens: [sub({ sub: 'u-6', role: 'global:admin' })] },
    { name: 'a new user asking for an unknown role', tokens: [sub({ sub: 'u-7', role: 'global:wizard' })] },
    {
      name: 'a new user asking for global:admin under a key capped to members',
      tokens: [sub({ sub: 'u-8', role: 'global:admin' }, 'vector-ps256')],
    },
    {
      name: 'an admin linked under a key capped to members',
      tokens: [sub({ sub: 'a-1', email: 'admin@n8n.test' }, 'vector-ps256')],
    },
    {
      name: 'an existing member whose token asks for global:admin',
      tokens: [sub({ sub: 'm-3', email: 'member@n8n.test', role: 'global:admin' })],
    },
  ];
}

export const SEED_USERS = [
  { email: 'owner@n8n.test', role: { slug: 'global:owner' } },
  { email: 'member@n8n.test', role: { slug: 'global:member' } },
  { email: 'admin@n8n.test', role: { slug: 'global:admin' } },
];
