import { createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS, VECTOR_NOW_MS } from '@n8n-embed/protocol/vectors';
import { createLoginSigner, type LoginSigner } from '@n8n-embed/sdk';

export const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');
export const json = (value: unknown): string => b64(JSON.stringify(value));

export const NOW_S = Math.floor(VECTOR_NOW_MS / 1000);
export const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: VECTOR_ISSUER,
  sub: 'user-1',
  aud: VECTOR_AUDIENCE,
  iat: NOW_S - 5,
  exp: NOW_S + 25,
  jti: `jti-${Math.random().toString(36).slice(2)}`,
  ...extra,
});

export function privateKeyOf(kid: string): KeyObject {
  const key = VECTOR_KEYS.find((candidate) => candidate.kid === kid);
  if (!key) throw new Error(`no vector key ${kid}`);
  return createPrivateKey({ key: key.privateJwk as never, format: 'jwk' });
}

/** Signs `headerB64.payloadB64` with a vector key, as that key's algorithm requires. */
export function signInput(
  input: string,
  kid: string,
  alg = VECTOR_KEYS.find((k) => k.kid === kid)?.alg,
): string {
  const key = privateKeyOf(kid);
  const data = Buffer.from(input);
  if (alg === 'EdDSA') return b64(sign(null, data, key));
  if (alg === 'ES256') return b64(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
  if (alg === 'PS256') return b64(sign('sha256', data, { key, padding: 6, saltLength: 32 }));
  return b64(sign('sha256', data, key));
}

/** A token with any header and payload (objects are JSON-encoded, strings used as the raw text). */
export function craft(header: unknown, payload: unknown, kid = 'vector-es256'): string {
  const enc = (part: unknown) => (typeof part === 'string' ? b64(part) : json(part));
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${signInput(input, kid)}`;
}

export const esHeader = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  alg: 'ES256',
  kid: 'vector-es256',
  typ: 'n8n-embed+jwt',
  ...extra,
});

export const hmac = (input: string, secret: string): string =>
  b64(createHmac('sha256', secret).update(input).digest());

/** The portal of the endpoint tests: the first vector key, issuer https://portal.example.com. */
export const PORTAL_KEY =
  VECTOR_KEYS[0] ??
  (() => {
    throw new Error('no vector key');
  })();

/** The SDK's signer for that portal, as a portal backend makes it. */
export function portalSigner(): Promise<LoginSigner> {
  return createLoginSigner({
    privateKey: PORTAL_KEY.privateJwk,
    kid: PORTAL_KEY.kid,
    issuer: 'https://portal.example.com',
    audience: VECTOR_AUDIENCE,
  });
}
