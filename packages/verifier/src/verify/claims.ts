import {
  acceptLoginClaims,
  claimsSchemaFor,
  type Profile,
  type VerifiedLoginClaims,
} from '@n8n-embed/protocol';
import { type Known, reject } from './reject.js';

/**
 * Stage: the one claim schema of the profile. A failure names the claim, never its value. Strict
 * claims the schema's hand-written twin accepts (protocol's `acceptLoginClaims`, held to the schema's
 * answers by a differential test) skip zod's generic parse; everything else, and every refusal, is
 * the schema's.
 */
export function checkClaims(payload: unknown, profile: Profile, known: Known): VerifiedLoginClaims {
  const accepted = profile === 'strict' ? acceptLoginClaims(payload) : undefined;
  if (accepted !== undefined) return accepted;
  const result = claimsSchemaFor(profile).safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const claim = issue?.path.map(String).join('.') || undefined;
  throw reject('claims_invalid', known, {
    claim,
    detail: claim ? `claim "${claim}": ${issue?.message}` : issue?.message,
  });
}

/** Stage: `iss` byte-equal to the key's issuer (the lookup already used it; this keeps the rule local). */
export function checkIssuer(claims: VerifiedLoginClaims, issuer: string, known: Known): void {
  if (claims.iss !== issuer) throw reject('issuer_mismatch', known);
}

/**
 * Stage: the audience. Strict: `aud` is one string, equal to the configured audience (always
 * configured). n8n: a string or an array containing it, and no check at all when the key sets none.
 */
export function checkAudience(claims: VerifiedLoginClaims, expected: string | undefined, known: Known): void {
  if (expected === undefined) return;
  const ok = Array.isArray(claims.aud) ? claims.aud.includes(expected) : claims.aud === expected;
  if (!ok) throw reject('audience_mismatch', known);
}
