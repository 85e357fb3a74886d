import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS, type VectorKey } from '@n8n-embed/protocol/vectors';
import { createLoginSigner, type LoginSigner, type LoginSignerOptions } from '../src/index.js';

export function vectorKey(kid: string): VectorKey {
  const key = VECTOR_KEYS.find((candidate) => candidate.kid === kid);
  if (!key) throw new Error(`no vector key ${kid}`);
  return key;
}

/** A signer over one of the shared vector keys, with the vectors' issuer and audience. */
export function vectorSigner(kid: string, overrides: Partial<LoginSignerOptions> = {}): Promise<LoginSigner> {
  const key = vectorKey(kid);
  return createLoginSigner({
    privateKey: key.privateJwk,
    kid,
    alg: key.alg,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
    ...overrides,
  });
}

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'));
}
