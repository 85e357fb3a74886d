import type { TrustedKeySource } from '@n8n-embed/protocol';

/** n8n's administrator role: everything but the owner's instance settings. */
export const ADMIN_ROLE = 'global:admin';

/**
 * The trusted keys whose tokens can sign someone in as an n8n admin: no `allowedRoles` (an empty list
 * caps nothing either, as in the identity resolver), or a list naming `global:admin`. Such a key can
 * log into an existing admin account by email and create admins, and an embed session counts as
 * MFA-passed (n8n's `issueCookie(…, usedMfa = true, …)`).
 */
export function keysReachingAdmin(keys: readonly TrustedKeySource[]): TrustedKeySource[] {
  return keys.filter((key) => !key.allowedRoles?.length || key.allowedRoles.includes(ADMIN_ROLE));
}

/** The start-up warning for those keys, naming each by kid (or JWKS URL) and issuer. */
export function adminReachWarning(keys: readonly TrustedKeySource[], variable: string): string | undefined {
  const reaching = keysReachingAdmin(keys);
  if (reaching.length === 0) return undefined;
  const names = reaching
    .map((key) => `${key.type === 'static' ? `kid "${key.kid}"` : `JWKS ${key.url}`} (${key.issuer})`)
    .join(', ');
  return (
    `n8n-embed: ${variable}: ${names} can sign in as ${ADMIN_ROLE} (no allowedRoles, or allowedRoles ` +
    `naming it), and an embed session counts as MFA-passed; set "allowedRoles": ["global:member"] ` +
    'unless admins are meant to sign in through the portal'
  );
}
