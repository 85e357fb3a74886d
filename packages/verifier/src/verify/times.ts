import type { Profile, VerifiedLoginClaims } from '@n8n-embed/protocol';
import { type Known, reject } from './reject.js';

export interface TimeRules {
  readonly nowSeconds: number;
  readonly toleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly profile: Profile;
}

// The clock, as jsonwebtoken counts it (whole seconds, `exp` exclusive), one stage per rule. Each
// check returns nothing; what it found is described apart (`describe…`), for an inspection only, so
// a verification builds no text.

/** Stage `expiry`: expired once `now >= exp + tolerance`. */
export function checkExpiry(claims: VerifiedLoginClaims, rules: TimeRules, known: Known): void {
  const { nowSeconds: now, toleranceSeconds: tolerance } = rules;
  if (now >= claims.exp + tolerance)
    throw reject('expired', known, { detail: `expired ${now - claims.exp} s ago` });
}

export function describeExpiry(claims: VerifiedLoginClaims, rules: TimeRules): string {
  return `expires in ${claims.exp - rules.nowSeconds} s`;
}

/** Stage `nbf`: not yet valid while `nbf > now + tolerance`. */
export function checkNotBefore(claims: VerifiedLoginClaims, rules: TimeRules, known: Known): void {
  const { nowSeconds: now, toleranceSeconds: tolerance } = rules;
  if (claims.nbf === undefined) return;
  if (claims.nbf > now + tolerance)
    throw reject('not_yet_valid', known, {
      claim: 'nbf',
      detail: `not valid for another ${claims.nbf - now} s`,
    });
}

export function describeNotBefore(claims: VerifiedLoginClaims, rules: TimeRules): string | undefined {
  return claims.nbf === undefined ? undefined : `valid since ${rules.nowSeconds - claims.nbf} s`;
}

/** Stage `iat` (strict only; n8n does not check it): not issued in the future. */
export function checkIssuedAt(claims: VerifiedLoginClaims, rules: TimeRules, known: Known): void {
  const { nowSeconds: now, toleranceSeconds: tolerance } = rules;
  if (claims.iat > now + tolerance) {
    throw reject('not_yet_valid', known, {
      claim: 'iat',
      detail: `issued ${claims.iat - now} s in the future (check the portal's clock)`,
    });
  }
}

export function describeIssuedAt(claims: VerifiedLoginClaims, rules: TimeRules): string {
  return `issued ${rules.nowSeconds - claims.iat} s ago`;
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

export function describeLifetime(claims: VerifiedLoginClaims): string {
  return `${claims.exp - claims.iat} s`;
}

/**
 * The n8n profile, right after the signature: jsonwebtoken's checks, in its order, on the raw payload
 * (`nbf`, `exp`, audience, issuer), as n8n runs them before its claim schema. A token failing both
 * gets n8n's verdict: `exp: "soon"` or `exp: -1` is `Token verification failed`, not a claim error.
 */
export function checkAsJsonwebtoken(
  payload: Readonly<Record<string, unknown>>,
  rules: TimeRules,
  expected: { readonly issuer: string; readonly audience: string | undefined },
  known: Known,
): void {
  const { nowSeconds: now, toleranceSeconds: tolerance } = rules;
  const { nbf, exp, aud, iss } = payload;
  const notANumber = (claim: string) =>
    reject('claims_invalid', known, {
      claim,
      message: 'Token verification failed',
      n8nReason: 'invalid_signature',
      detail: `invalid ${claim} value`,
    });
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') throw notANumber('nbf');
    if (nbf > now + tolerance) throw reject('not_yet_valid', known, { claim: 'nbf' });
  }
  if (exp !== undefined) {
    if (typeof exp !== 'number') throw notANumber('exp');
    if (now >= exp + tolerance) throw reject('expired', known, { detail: `expired ${now - exp} s ago` });
  }
  if (expected.audience !== undefined && !(Array.isArray(aud) ? aud : [aud]).includes(expected.audience)) {
    throw reject('audience_mismatch', known);
  }
  if (iss !== expected.issuer) throw reject('issuer_mismatch', known);
}
