import { z } from 'zod';
import { ALGORITHMS, algorithmFamily } from './algorithms.js';
import { KID_PATTERN } from './constants.js';
import { configError } from './errors.js';

const algorithms = z
  .array(z.enum(ALGORITHMS))
  .min(1)
  .refine(
    (list) => new Set(list.map(algorithmFamily)).size === 1,
    'must all be of one family (RS/PS for RSA, or one EC curve, or EdDSA)',
  );

const absoluteUrl = z.string().refine((value) => URL.canParse(value), 'must be an absolute URL');

// Fields both source types share. Unknown fields are refused (n8n strips them): a misspelt
// `expectedAudiance` would otherwise silently switch the audience check off.
const common = {
  issuer: absoluteUrl,
  expectedAudience: z.string().min(1).optional(),
  allowedRoles: z.array(z.string().min(1)).optional(),
  requireVerifiedEmail: z.boolean().optional(),
};

export const staticTrustedKeySchema = z.strictObject({
  type: z.literal('static'),
  kid: z.string().regex(KID_PATTERN, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -'),
  algorithms,
  key: z
    .string()
    .refine((pem) => pem.includes('-----BEGIN PUBLIC KEY-----'), 'must be an SPKI PEM public key'),
  ...common,
});

export const jwksTrustedKeySchema = z.strictObject({
  type: z.literal('jwks'),
  url: absoluteUrl,
  algorithms: algorithms.optional(),
  cacheTtlSeconds: z.int().positive().optional(),
  ...common,
});

/** One entry of n8n's `N8N_TOKEN_EXCHANGE_TRUSTED_KEYS` (contract §3). */
export const trustedKeySourceSchema = z.discriminatedUnion('type', [
  staticTrustedKeySchema,
  jwksTrustedKeySchema,
]);

export type StaticTrustedKey = z.output<typeof staticTrustedKeySchema>;
export type JwksTrustedKey = z.output<typeof jwksTrustedKeySchema>;
export type TrustedKeySource = z.output<typeof trustedKeySourceSchema>;

function describeEntry(index: number, entry: unknown): string {
  const kid = typeof entry === 'object' && entry !== null ? (entry as { kid?: unknown }).kid : undefined;
  return typeof kid === 'string' && KID_PATTERN.test(kid)
    ? `entry ${index} (kid "${kid}")`
    : `entry ${index}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.') || '(entry)';
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `field "${field}": ${issue.message}`;
}

/**
 * Parses n8n's trusted-keys configuration: a JSON string or an already parsed array. Every error is a
 * `config_invalid` EmbedLoginError naming the entry and the field. (`kid`, `issuer`) pairs must be
 * unique, as keys are looked up by that pair.
 */
export function parseTrustedKeys(
  input: unknown,
  { source = 'trusted keys' }: { source?: string } = {},
): TrustedKeySource[] {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw configError(`${source}: not valid JSON`);
    }
  }
  if (!Array.isArray(value)) throw configError(`${source}: must be a JSON array of key sources`);
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const result = trustedKeySourceSchema.safeParse(entry);
    if (!result.success) {
      const problems = result.error.issues.map(describeIssue).join('; ');
      throw configError(`${source}: ${describeEntry(index, entry)}: ${problems}`);
    }
    if (result.data.type === 'static') {
      const pair = JSON.stringify([result.data.kid, result.data.issuer]);
      if (seen.has(pair)) {
        throw configError(
          `${source}: ${describeEntry(index, entry)}: kid is already used for issuer "${result.data.issuer}"`,
        );
      }
      seen.add(pair);
    }
    return result.data;
  });
}
