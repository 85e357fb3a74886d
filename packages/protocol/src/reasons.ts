/**
 * Every way an embed login can fail, with the HTTP answer n8n 2.41 gives for it (contract §1) and the
 * closest reason code of n8n's own `embed-login-failed` event (`null`: n8n has no such check), and a
 * hint for people: what to change (shown by `token inspect`, never sent to a browser).
 * This table is the one place statuses, messages and hints are decided.
 */
export const REASONS = {
  malformed: {
    status: 400,
    message: 'Invalid token format',
    n8nReason: 'invalid_format',
    hint: 'send exactly one compact JWS: three base64url parts, no whitespace or padding',
  },
  too_large: {
    status: 400,
    message: 'Invalid token format',
    n8nReason: 'invalid_format',
    hint: 'keep the token under 4096 characters (fewer or shorter claims)',
  },
  header_rejected: {
    status: 400,
    message: 'Invalid token format',
    n8nReason: 'invalid_format',
    hint: 'send only alg, kid and typ "n8n-embed+jwt" in the header',
  },
  missing_kid: {
    status: 400,
    message: 'Token header missing kid',
    n8nReason: 'missing_kid',
    hint: 'put the key id in the header (kid)',
  },
  unknown_kid: {
    status: 401,
    message: 'Unknown key id',
    n8nReason: 'unknown_key',
    hint: "add the key to n8n's trusted keys for this issuer, or sign with a kid that is there",
  },
  alg_rejected: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: 'sign with an asymmetric algorithm the key allows (ES256 by default); never none or HS*',
  },
  key_alg_mismatch: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: "sign with one of the key's algorithms (see its algorithms in the trusted keys)",
  },
  bad_signature: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: 'sign with the private key that belongs to this kid',
  },
  issuer_mismatch: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: "set iss byte for byte to the key's issuer",
  },
  audience_mismatch: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: "set aud to the n8n URL in the key's expectedAudience",
  },
  expired: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: "mint the token right before the redirect, and check the portal's clock (n8n allows no leeway)",
  },
  not_yet_valid: {
    status: 401,
    message: 'Token verification failed',
    n8nReason: 'invalid_signature',
    hint: "the portal's clock runs ahead of n8n's: sync it, or use measureClockOffset",
  },
  claims_invalid: {
    status: 401,
    message: 'Token claims are invalid',
    n8nReason: 'invalid_claims',
    hint: 'fix the claim named above (n8n token claims: iss, sub, aud, iat, exp, jti, …)',
  },
  lifetime_exceeded: {
    status: 401,
    message: 'Token lifetime exceeds maximum allowed',
    n8nReason: 'token_too_long',
    hint: 'keep exp - iat at 60 s or less (30 s is the default)',
  },
  replayed: {
    status: 401,
    message: 'Token has already been used',
    n8nReason: 'token_replay',
    hint: 'mint a new token for every login: each jti works once',
  },
  store_unavailable: {
    status: 503,
    message: 'Embed login is temporarily unavailable',
    n8nReason: 'internal_error',
    hint: "the verifier's replay store is down: check its database or Redis",
  },
  // The host failed while finding or signing in the user (e.g. its database): not the user's fault.
  host_unavailable: {
    status: 503,
    message: 'Embed login is temporarily unavailable',
    n8nReason: 'internal_error',
    hint: "the host could not find or sign in the user (its database failed): check n8n's log",
  },
  user_rejected: {
    status: 401,
    message: 'User is not allowed to log in',
    n8nReason: 'role_not_allowed',
    hint: "check the user's email_verified, role and the key's allowedRoles",
  },
  origin_rejected: {
    status: 403,
    message: 'Request origin is not allowed',
    n8nReason: null,
    hint: 'open n8n from a page of a configured portal origin (portalOrigins, N8N_EMBED_PORTAL_ORIGINS)',
  },
  rate_limited: {
    status: 429,
    message: 'Too many requests',
    n8nReason: null,
    hint: 'wait a minute: the limit counts logins per client address',
  },
  config_invalid: {
    status: 500,
    message: 'Embed login is not configured correctly',
    n8nReason: 'internal_error',
    hint: 'fix the setting the error message names, then restart',
  },
} as const satisfies Record<
  string,
  { status: number; message: string; n8nReason: N8nReason | null; hint: string }
>;

export type Reason = keyof typeof REASONS;

/** n8n's public reason codes for its `embed-login-failed` event. */
export type N8nReason =
  | 'invalid_signature'
  | 'unknown_key'
  | 'token_replay'
  | 'token_too_long'
  | 'invalid_format'
  | 'missing_kid'
  | 'missing_iss'
  | 'invalid_claims'
  | 'role_not_allowed'
  | 'email_not_verified'
  | 'internal_error';
