import { EmbedLoginError, type LoginClaims, loginClaimsSchema } from '@n8n-embed/protocol';

/** The portal's signed-in user, as the portal knows it. */
export interface LoginUser {
  /** The portal's stable, unique user id. */
  readonly sub: string;
  /** Needed for a first login (n8n links or creates the user by it). */
  readonly email?: string;
  /** n8n links or creates a user only when this is `true` (unless the key says otherwise). */
  readonly emailVerified?: boolean;
  readonly givenName?: string;
  readonly familyName?: string;
  /** An n8n role such as `global:member`; never `global:owner`. */
  readonly role?: string;
}

export interface ClaimTimes {
  readonly issuer: string;
  readonly audience: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

// `iss` and `aud` are the signer's own options, checked once with this same schema when the signer is
// created; each mint checks the rest (a zod object ignores members it does not name).
const perTokenSchema = loginClaimsSchema.omit({ iss: true, aud: true });

const FIELD_OF_CLAIM: Readonly<Record<string, string>> = {
  sub: 'user.sub',
  email: 'user.email',
  email_verified: 'user.emailVerified',
  given_name: 'user.givenName',
  family_name: 'user.familyName',
  role: 'user.role',
  jti: 'generateJti()',
};

/**
 * Builds the claims in the canonical order and checks them against the protocol schema before
 * anything is signed, so a bad user is a typed error at the call that names the field.
 */
export function buildClaims(user: LoginUser, times: ClaimTimes): LoginClaims {
  if (typeof user !== 'object' || user === null) {
    throw new EmbedLoginError('claims_invalid', { message: 'mint(user): user must be an object' });
  }
  const claims: Record<string, unknown> = {
    iss: times.issuer,
    sub: user.sub,
    aud: times.audience,
    iat: times.iat,
    exp: times.exp,
    jti: times.jti,
  };
  if (user.email !== undefined) claims.email = user.email;
  if (user.emailVerified !== undefined) claims.email_verified = user.emailVerified;
  if (user.givenName !== undefined) claims.given_name = user.givenName;
  if (user.familyName !== undefined) claims.family_name = user.familyName;
  if (user.role !== undefined) claims.role = user.role;

  const parsed = perTokenSchema.safeParse(claims);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const claim = String(issue?.path[0] ?? '');
    const field = FIELD_OF_CLAIM[claim] ?? claim;
    throw new EmbedLoginError('claims_invalid', {
      message: `${field}: ${issue?.message ?? 'invalid'}`,
      claim,
      detail: `${field} fails the claim schema`,
    });
  }
  return claims as LoginClaims;
}
