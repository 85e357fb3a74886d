import type { Profile, VerifiedLoginClaims } from '@n8n-embed/protocol';
import { type Known, reject } from './reject.js';

export interface TimeRules {
  readonly nowSeconds: number;
  readonly toleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly profile: Profile;
}

/**
 * Stage: the clock, as jsonwebtoken counts it (whole seconds, `exp` exclusive): expired once
 * `now >= exp + tolerance`; not yet valid while `nbf > now + tolerance`. The strict profile also
 * refuses an `iat` in the future, which n8n does not check.
 */
export function checkTimes(claims: VerifiedLoginClaims, rules: TimeRules, known: Known): void {
  const { nowSeconds: now, toleranceSeconds: tolerance } = rules;
  if (now >= claims.exp + tolerance)
    throw reject('expired', known, { detail: `expired ${now - claims.exp} s ago` });
  if (claims.nbf !== undefined && claims.nbf > now + tolerance)
    throw reject('not_yet_valid', known, { claim: 'nbf' });
  if (rules.profile === 'strict' && claims.iat > now + tolerance) {
    throw reject('not_yet_valid', known, { claim: 'iat', detail: 'issued in the future' });
  }
}

/** Stage: `exp - iat` at most the maximum lifetime (60 passes, 61 fails); strict also needs `exp > iat`. */
export function checkLifetime(claims: VerifiedLoginClaims, rules: TimeRules, known: Known): void {
  const lifetime = claims.exp - claims.iat;
  if (lifetime > rules.maxLifetimeSeconds) {
    throw reject('lifetime_exceeded', known, {
      detail: `lifetime ${lifetime} s over ${rules.maxLifetimeSeconds} s`,
    });
  }
  if (rules.profile === 'strict' && lifetime <= 0)
    throw reject('claims_invalid', known, { claim: 'exp', detail: 'exp must be after iat' });
}
