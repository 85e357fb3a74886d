/**
 * Every way an embed login can fail, with the HTTP answer n8n 2.41 gives for it (contract §1) and the
 * closest reason code of n8n's own `embed-login-failed` event (`null`: n8n has no such check).
 * This table is the one place statuses and messages are decided.
 */
export const REASONS = {
  malformed: { status: 400, message: 'Invalid token format', n8nReason: 'invalid_format' },
  too_large: { status: 400, message: 'Invalid token format', n8nReason: 'invalid_format' },
  header_rejected: { status: 400, message: 'Invalid token format', n8nReason: 'invalid_format' },
  missing_kid: { status: 400, message: 'Token header missing kid', n8nReason: 'missing_kid' },
  unknown_kid: { status: 401, message: 'Unknown key id', n8nReason: 'unknown_key' },
  alg_rejected: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  key_alg_mismatch: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  bad_signature: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  issuer_mismatch: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  audience_mismatch: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  expired: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  not_yet_valid: { status: 401, message: 'Token verification failed', n8nReason: 'invalid_signature' },
  claims_invalid: { status: 401, message: 'Token claims are invalid', n8nReason: 'invalid_claims' },
  lifetime_exceeded: {
    status: 401,
    message: 'Token lifetime exceeds maximum allowed',
    n8nReason: 'token_too_long',
  },
  replayed: { status: 401, message: 'Token has already been used', n8nReason: 'token_replay' },
  store_unavailable: {
    status: 503,
    message: 'Embed login is temporarily unavailable',
    n8nReason: 'internal_error',
  },
  user_rejected: { status: 401, message: 'User is not allowed to log in', n8nReason: 'role_not_allowed' },
  origin_rejected: { status: 403, message: 'Request origin is not allowed', n8nReason: null },
  rate_limited: { status: 429, message: 'Too many requests', n8nReason: null },
  config_invalid: {
    status: 500,
    message: 'Embed login is not configured correctly',
    n8nReason: 'internal_error',
  },
} as const satisfies Record<string, { status: number; message: string; n8nReason: N8nReason | null }>;

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

export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && Object.hasOwn(REASONS, value);
}
