// The hostile tokens of security.md's case list, as data: each with the verdict of each profile.
// Shared by the security suite and the backend differential test.
import { VECTOR_AUDIENCE, VECTOR_KEYS } from '@n8n-embed/protocol/vectors';
import { b64, claims, craft, esHeader, hmac, json, NOW_S, signInput } from './tokens.js';

export interface HostileCase {
  readonly name: string;
  readonly token: () => string;
  readonly strict: string;
  readonly n8n: string;
}

const es = VECTOR_KEYS.find((key) => key.kid === 'vector-es256');
if (!es) throw new Error('no ES256 vector key');

function unsigned(alg: string): string {
  return `${json({ alg, kid: 'vector-es256', typ: 'n8n-embed+jwt' })}.${json(claims())}.`;
}

function hs256(secret: string): string {
  const input = `${json(esHeader({ alg: 'HS256' }))}.${json(claims())}`;
  return `${input}.${hmac(input, secret)}`;
}

function withSignature(signature: Uint8Array): string {
  return `${json(esHeader())}.${json(claims())}.${b64(signature)}`;
}

/** An ES256 signature re-encoded as DER (what OpenSSL emits by default), not JOSE's r||s. */
function derSignature(): Uint8Array {
  const input = `${json(esHeader())}.${json(claims())}`;
  const raw = Buffer.from(signInput(input, 'vector-es256'), 'base64url');
  const integer = (bytes: Buffer) => {
    let value = bytes;
    while (value.length > 1 && value[0] === 0 && (value[1] ?? 0) < 0x80) value = value.subarray(1);
    if ((value[0] ?? 0) >= 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, 32)), integer(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** Flips an unused low bit of the last base64url character: same bytes, non-canonical text. */
function strayBit(token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = token.at(-1) ?? 'A';
  return `${token.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
}

const rawPayload = (text: string) => craft(esHeader(), text);

export const HOSTILE_CASES: readonly HostileCase[] = [
  { name: 'alg none', token: () => unsigned('none'), strict: 'malformed', n8n: 'alg_rejected' },
  { name: 'alg None', token: () => unsigned('None'), strict: 'malformed', n8n: 'alg_rejected' },
  { name: 'alg NONE', token: () => unsigned('NONE'), strict: 'malformed', n8n: 'alg_rejected' },
  {
    name: 'HS256 keyed with the public PEM',
    token: () => hs256(es.publicPem),
    strict: 'alg_rejected',
    n8n: 'alg_rejected',
  },
  {
    name: 'HS256 keyed with " " + the PEM',
    token: () => hs256(` ${es.publicPem}`),
    strict: 'alg_rejected',
    n8n: 'alg_rejected',
  },
  {
    name: 'HS256 keyed with the PEM in CRLF',
    token: () => hs256(es.publicPem.replace(/\n/g, '\r\n')),
    strict: 'alg_rejected',
    n8n: 'alg_rejected',
  },
  {
    name: 'ES256 all-zero signature',
    token: () => withSignature(new Uint8Array(64)),
    strict: 'bad_signature',
    n8n: 'bad_signature',
  },
  {
    name: 'ES256 signature in DER form',
    token: () => withSignature(derSignature()),
    strict: 'bad_signature',
    n8n: 'bad_signature',
  },
  {
    name: "ES256 token under an EdDSA key's kid",
    token: () => craft(esHeader({ kid: 'vector-eddsa' }), claims()),
    strict: 'key_alg_mismatch',
    n8n: 'key_alg_mismatch',
  },
  {
    name: 'header with jwk (the attacker key)',
    token: () => craft(esHeader({ jwk: es.publicJwk }), claims()),
    strict: 'header_rejected',
    n8n: 'valid',
  },
  {
    name: 'header with jku at the metadata address',
    token: () => craft(esHeader({ jku: 'http://169.254.169.254/' }), claims()),
    strict: 'header_rejected',
    n8n: 'valid',
  },
  {
    name: 'header with crit',
    token: () => craft(esHeader({ crit: ['exp'] }), claims()),
    strict: 'header_rejected',
    n8n: 'valid',
  },
  {
    name: 'header with b64: false',
    token: () => craft(esHeader({ b64: false }), claims()),
    strict: 'header_rejected',
    n8n: 'valid',
  },
  {
    name: 'kid of 100 000 chars',
    token: () => craft(esHeader({ kid: 'k'.repeat(100_000) }), claims()),
    strict: 'too_large',
    n8n: 'too_large',
  },
  {
    name: 'kid ../../dev/null',
    token: () => craft(esHeader({ kid: '../../dev/null' }), claims()),
    strict: 'unknown_kid',
    n8n: 'unknown_kid',
  },
  {
    name: "kid x' OR 1=1 --",
    token: () => craft(esHeader({ kid: "x' OR 1=1 --" }), claims()),
    strict: 'unknown_kid',
    n8n: 'unknown_kid',
  },
  {
    name: 'kid __proto__',
    token: () => craft(esHeader({ kid: '__proto__' }), claims()),
    strict: 'unknown_kid',
    n8n: 'unknown_kid',
  },
  {
    name: 'kid constructor',
    token: () => craft(esHeader({ kid: 'constructor' }), claims()),
    strict: 'unknown_kid',
    n8n: 'unknown_kid',
  },
  {
    name: 'kid ["vector-es256"]',
    token: () => craft(esHeader({ kid: ['vector-es256'] }), claims()),
    strict: 'unknown_kid',
    n8n: 'unknown_kid',
  },
  { name: 'payload []', token: () => rawPayload('[]'), strict: 'malformed', n8n: 'claims_invalid' },
  { name: 'payload "str"', token: () => rawPayload('"str"'), strict: 'malformed', n8n: 'claims_invalid' },
  { name: 'payload null', token: () => rawPayload('null'), strict: 'malformed', n8n: 'claims_invalid' },
  {
    name: 'exp as a string',
    token: () => craft(esHeader(), claims({ exp: String(NOW_S + 25) })),
    strict: 'claims_invalid',
    n8n: 'claims_invalid',
  },
  {
    name: 'exp as a float',
    token: () => craft(esHeader(), claims({ exp: NOW_S + 25.5 })),
    strict: 'claims_invalid',
    n8n: 'claims_invalid',
  },
  {
    name: 'exp 1e400',
    token: () => rawPayload(JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e400')),
    strict: 'claims_invalid',
    n8n: 'claims_invalid',
  },
  {
    name: 'exp negative',
    token: () => craft(esHeader(), claims({ exp: -1 })),
    strict: 'claims_invalid',
    n8n: 'expired',
  },
  {
    name: 'iat an hour ahead',
    token: () => craft(esHeader(), claims({ iat: NOW_S + 3600, exp: NOW_S + 3630 })),
    strict: 'not_yet_valid',
    n8n: 'valid',
  },
  {
    name: 'exp = iat + 61',
    token: () => craft(esHeader(), claims({ iat: NOW_S - 5, exp: NOW_S + 56 })),
    strict: 'lifetime_exceeded',
    n8n: 'lifetime_exceeded',
  },
  {
    name: 'exp = iat + 60',
    token: () => craft(esHeader(), claims({ iat: NOW_S - 5, exp: NOW_S + 55 })),
    strict: 'valid',
    n8n: 'valid',
  },
  {
    name: 'missing jti',
    token: () => craft(esHeader(), claims({ jti: undefined })),
    strict: 'claims_invalid',
    n8n: 'claims_invalid',
  },
  {
    name: 'missing exp',
    token: () => craft(esHeader(), claims({ exp: undefined })),
    strict: 'claims_invalid',
    n8n: 'claims_invalid',
  },
  {
    name: 'iss as an array',
    token: () => craft(esHeader(), claims({ iss: [claims().iss] })),
    strict: 'claims_invalid',
    n8n: 'claims_invalid',
  },
  {
    name: 'aud with two entries',
    token: () => craft(esHeader(), claims({ aud: [VECTOR_AUDIENCE, 'https://other.example.com'] })),
    strict: 'claims_invalid',
    n8n: 'valid',
  },
  {
    name: 'a trailing newline',
    token: () => `${craft(esHeader(), claims())}\n`,
    strict: 'malformed',
    n8n: 'malformed',
  },
  {
    name: 'whitespace inside the signature',
    token: () => craft(esHeader(), claims()).replace(/(.{10})$/, ' $1'),
    strict: 'malformed',
    n8n: 'malformed',
  },
  {
    name: '== padding',
    token: () => `${craft(esHeader(), claims())}==`,
    strict: 'malformed',
    n8n: 'malformed',
  },
  {
    name: 'a changed unused bit in the last character',
    token: () => strayBit(craft(esHeader(), claims())),
    strict: 'malformed',
    n8n: 'malformed',
  },
  {
    name: 'longer than 4096 characters',
    token: () => craft(esHeader(), claims({ pad: 'x'.repeat(4000) })),
    strict: 'too_large',
    n8n: 'too_large',
  },
];
