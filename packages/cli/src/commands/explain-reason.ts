import type { Reason } from '@n8n-embed/protocol';

/** What to change when a verifier gives this reason: advice for people, not a rule. */
export const WHAT_TO_CHANGE: Readonly<Partial<Record<Reason, string>>> = {
  malformed: 'send exactly one compact JWS: three base64url parts, no whitespace or padding',
  too_large: 'keep the token under 4096 characters (fewer or shorter claims)',
  header_rejected: 'send only alg, kid and typ "n8n-embed+jwt" in the header',
  alg_rejected: 'sign with an asymmetric algorithm the key allows (ES256 by default); never none or HS*',
  missing_kid: 'put the key id in the header (kid)',
  unknown_kid: "add the key to n8n's trusted keys for this issuer, or sign with a kid that is there",
  key_alg_mismatch: "sign with one of the key's algorithms (see its algorithms in the trusted keys)",
  bad_signature: 'sign with the private key that belongs to this kid',
  claims_invalid: 'fix the claim named above (n8n token claims: iss, sub, aud, iat, exp, jti, …)',
  issuer_mismatch: "set iss byte for byte to the key's issuer",
  audience_mismatch: "set aud to the n8n URL in the key's expectedAudience",
  expired: "mint the token right before the redirect, and check the portal's clock (n8n allows no leeway)",
  not_yet_valid: "the portal's clock runs ahead of n8n's: sync it, or use measureClockOffset",
  lifetime_exceeded: 'keep exp - iat at 60 s or less (30 s is the default)',
  replayed: 'mint a new token for every login: each jti works once',
  store_unavailable: "the verifier's replay store is down: check Redis",
  user_rejected: "check the user's email_verified, role and the key's allowedRoles",
};
