import type { StaticTrustedKey } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_ISSUER, VECTOR_KEYS } from '@n8n-embed/protocol/vectors';

/** A second portal, trusted for its own issuer only. */
export const OTHER_ISSUER = 'https://other-portal.example.com';

const keyOf = (kid: string) => {
  const key = VECTOR_KEYS.find((candidate) => candidate.kid === kid);
  if (!key) throw new Error(`no vector key ${kid}`);
  return key;
};

/** The trusted keys the test n8n is started with (n8n's N8N_TOKEN_EXCHANGE_TRUSTED_KEYS format). */
export const PEER_TRUSTED_KEYS: readonly StaticTrustedKey[] = [
  {
    type: 'static',
    kid: 'portal-es256',
    algorithms: ['ES256'],
    key: keyOf('vector-es256').publicPem,
    issuer: VECTOR_ISSUER,
    expectedAudience: VECTOR_AUDIENCE,
  },
  {
    type: 'static',
    kid: 'other-rs256',
    algorithms: ['RS256'],
    key: keyOf('vector-rs256').publicPem,
    issuer: OTHER_ISSUER,
    expectedAudience: VECTOR_AUDIENCE,
  },
];

/** The private key (JWK) that signs for `portal-es256`. */
export const PORTAL_PRIVATE_JWK = keyOf('vector-es256').privateJwk;
export const OTHER_PRIVATE_JWK = keyOf('vector-rs256').privateJwk;
