import * as z from 'zod';
import { OWNER_ROLE } from './constants.js';
import { hasHiddenCharacters } from './untrusted-text.js';

// Zero-width (non-)joiners are format characters that Persian, Indic scripts and emoji need in names.
const JOINERS = /[\u200c\u200d]/g;

const numericDate = z.int().min(0);

/** The length limits of the strict schema, read by the schema and by `acceptLoginClaims` alike. */
const MAX = { iss: 2048, sub: 255, aud: 2048, jti: 255, email: 254, name: 32, role: 128 } as const;

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
const issuer = z.string().min(1).max(MAX.iss).refine(isHttpUrl, 'must be an absolute http(s) URL');

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
      (value) => isSafeText(value, joiners),
      'must not contain control, format or separator characters',
    );

function isSafeText(value: string, joiners: boolean): boolean {
  return !hasHiddenCharacters(joiners ? value.replace(JOINERS, '') : value);
}

const role = z
  .string()
  .min(1)
  .max(MAX.role)
  .refine((value) => value !== OWNER_ROLE, `${OWNER_ROLE} can never log in through embed login`);

/**
 * The claim set of a login token under the strict profile (contract §2, security.md rules 7–10).
 * Unknown claims are dropped, as n8n ignores them. Cross-claim time rules (`exp > iat`, lifetime,
 * expiry) are not schema rules: the verifier checks them against its clock with their own reasons.
 */
export const loginClaimsSchema = z.object({
  iss: issuer,
  sub: safeText(MAX.sub, { joiners: false }),
  aud: z.string().min(1).max(MAX.aud),
  iat: numericDate,
  exp: numericDate,
  jti: z.string().min(1).max(MAX.jti),
  nbf: numericDate.optional(),
  email: z.email().max(MAX.email).optional(),
  email_verified: z.boolean().optional(),
  given_name: safeText(MAX.name, { joiners: true }).optional(),
  family_name: safeText(MAX.name, { joiners: true }).optional(),
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

// `acceptLoginClaims`: the strict schema above, written out for the verifier's hot path (zod's generic
// parse was a fifth of the verifier's own cost per token). Each line is the rule of the schema's member
// of that name, with the schema's limits (MAX) and predicates (isHttpUrl, isSafeText, the owner rule);
// a change to the schema must be made here too, and claims-schema-fast.test.ts holds the two to the
// same answers on generated claim sets.

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;
const isNumericDate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const EMAIL = z.regexes.email;

/**
 * The claims `loginClaimsSchema` would return for `input`, when it accepts them; `undefined` when
 * it would not, or when this check cannot tell: then ask the schema, whose verdict and issue are the
 * authority (this check never explains a refusal). Unknown claims are dropped and members come in the
 * schema's order, as the schema returns them. As the schema does, an optional claim counts as present
 * when `in` finds it.
 */
export function acceptLoginClaims(input: unknown): LoginClaims | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const claims = input as Record<string, unknown>;
  const { iss, sub, aud, iat, exp, jti } = claims;
  if (!isText(iss, MAX.iss) || !isHttpUrl(iss)) return undefined;
  if (!isText(sub, MAX.sub) || !isSafeText(sub, false)) return undefined;
  if (!isText(aud, MAX.aud) || !isNumericDate(iat) || !isNumericDate(exp) || !isText(jti, MAX.jti))
    return undefined;
  const out: LoginClaims = { iss, sub, aud, iat, exp, jti };
  // The optional claims, in the schema's order. A member present with the value `undefined` (never
  // from JSON) is kept as the schema keeps it.
  if ('nbf' in claims) {
    const { nbf } = claims;
    if (nbf !== undefined && !isNumericDate(nbf)) return undefined;
    out.nbf = nbf;
  }
  if ('email' in claims) {
    const { email } = claims;
    if (email !== undefined && (typeof email !== 'string' || email.length > MAX.email || !EMAIL.test(email)))
      return undefined;
    out.email = email;
  }
  if ('email_verified' in claims) {
    const verified = claims.email_verified;
    if (verified !== undefined && typeof verified !== 'boolean') return undefined;
    out.email_verified = verified;
  }
  for (const name of ['given_name', 'family_name'] as const) {
    if (!(name in claims)) continue;
    const value = claims[name];
    if (value !== undefined && !(isText(value, MAX.name) && isSafeText(value, true))) return undefined;
    out[name] = value;
  }
  if ('role' in claims) {
    const { role } = claims;
    if (role !== undefined && !(isText(role, MAX.role) && role !== OWNER_ROLE)) return undefined;
    out.role = role;
  }
  return out;
}
