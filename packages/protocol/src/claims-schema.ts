import * as z from 'zod';
import { OWNER_ROLE } from './constants.js';
import { hasHiddenCharacters } from './untrusted-text.js';

// Zero-width (non-)joiners are format characters that Persian, Indic scripts and emoji need in names.
const JOINERS = /[\u200c\u200d]/g;

const numericDate = z.int().min(0);

// A portal's tokens all name one issuer: the URL is parsed once per distinct issuer, not per token
// (two parses per token were a third of the claim schema's cost). The verdict is a pure function of
// the string; the memo is bounded and holds only issuers that passed.
const HTTP_ISSUERS_REMEMBERED = 64;
const httpIssuers = new Set<string>();

function isHttpUrl(value: string): boolean {
  if (httpIssuers.has(value)) return true;
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  if (protocol !== 'https:' && protocol !== 'http:') return false;
  if (httpIssuers.size >= HTTP_ISSUERS_REMEMBERED) httpIssuers.clear();
  httpIssuers.add(value);
  return true;
}

/** An absolute http(s) URL, compared byte for byte later, so it is not normalised here. */
const issuer = z.string().min(1).max(2048).refine(isHttpUrl, 'must be an absolute http(s) URL');

/**
 * Text shown to people and written to logs: no control characters (C0, DEL, C1), no line or
 * paragraph separators, no lone surrogates and no invisible format characters (bidi overrides,
 * U+200B, U+FEFF, soft hyphens…), which forge log lines or disguise one user as another. Names may
 * keep the two joiners their scripts need; an identifier (`sub`) may not.
 */
const safeText = (max: number, { joiners }: { joiners: boolean }) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(
      (value) => !hasHiddenCharacters(joiners ? value.replace(JOINERS, '') : value),
      'must not contain control, format or separator characters',
    );

const role = z
  .string()
  .min(1)
  .max(128)
  .refine((value) => value !== OWNER_ROLE, `${OWNER_ROLE} can never log in through embed login`);

/**
 * The claim set of a login token under the strict profile (contract §2, security.md rules 7–10).
 * Unknown claims are dropped, as n8n ignores them. Cross-claim time rules (`exp > iat`, lifetime,
 * expiry) are not schema rules: the verifier checks them against its clock with their own reasons.
 */
export const loginClaimsSchema = z.object({
  iss: issuer,
  sub: safeText(255, { joiners: false }),
  aud: z.string().min(1).max(2048),
  iat: numericDate,
  exp: numericDate,
  jti: z.string().min(1).max(255),
  nbf: numericDate.optional(),
  email: z.email().max(254).optional(),
  email_verified: z.boolean().optional(),
  given_name: safeText(32, { joiners: true }).optional(),
  family_name: safeText(32, { joiners: true }).optional(),
  role: role.optional(),
});

/**
 * The `n8n` profile: the same schema widened exactly where n8n 2.41 accepts more, so our verdicts
 * match n8n's own module.
 * - `aud` may be an array of strings (jsonwebtoken matches any entry);
 * - `email_verified` may be the strings `"true"` / `"false"`, read as booleans;
 * - names are any string (n8n truncates them to 32 characters when it stores the user);
 * - `sub` is any non-empty string, `role` any string (n8n refuses `global:owner` when it resolves the
 *   user, not in its schema; the identity policy does the same here).
 */
export const n8nLoginClaimsSchema = loginClaimsSchema.extend({
  sub: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  email_verified: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((value) => value === true || value === 'true')
    .optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  role: z.string().optional(),
});

/** Claims a strict verifier returns and a signer mints. */
export type LoginClaims = z.output<typeof loginClaimsSchema>;
/** Claims a verifier returns under either profile (`aud` may be an array under `n8n`). */
export type VerifiedLoginClaims = z.output<typeof n8nLoginClaimsSchema>;

export type Profile = 'strict' | 'n8n';

export function claimsSchemaFor(profile: Profile): z.ZodType<VerifiedLoginClaims, unknown> {
  return profile === 'strict' ? loginClaimsSchema : n8nLoginClaimsSchema;
}
