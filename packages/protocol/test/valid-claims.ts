/** One set of claims the strict schema accepts, for the claim-schema tests to vary. */
export const VALID_CLAIMS = {
  iss: 'https://portal.example.com',
  sub: 'user-1',
  aud: 'https://n8n.example.com',
  iat: 1_790_000_000,
  exp: 1_790_000_030,
  jti: 'jti-1',
};
