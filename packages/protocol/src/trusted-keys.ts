import * as z from 'zod';
import { ALGORITHMS, type Algorithm, algorithmFamily, inferAlgorithm, isAlgorithm } from './algorithms.js';
import { KID_PATTERN } from './constants.js';
import { configError } from './errors.js';
import { keyMisfit, pemKind, shapeOfJwk } from './key-fit.js';

const algorithms = z
  .array(z.enum(ALGORITHMS))
  .min(1)
  .refine(
    (list) => new Set(list.map(algorithmFamily)).size === 1,
    'must all be of one family (RS/PS for RSA, or one EC curve, or EdDSA)',
  );

const spkiPem = z
  .string()
  .refine((pem) => pemKind(pem) === 'spki', 'must be an SPKI PEM public key ("-----BEGIN PUBLIC KEY-----")');

const kidField = z.string().regex(KID_PATTERN, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -');

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
  kid: kidField,
  algorithms,
  key: spkiPem,
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

function readList(input: unknown, source: string): unknown[] {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw configError(`${source}: not valid JSON`);
    }
  }
  if (!Array.isArray(value)) throw configError(`${source}: must be a JSON array of key sources`);
  return value;
}

function parseEntry<T>(schema: z.ZodType<T>, entry: unknown, index: number, source: string): T {
  const result = schema.safeParse(entry);
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue).join('; ');
  throw configError(`${source}: ${describeEntry(index, entry)}: ${problems}`);
}

/** (`kid`, `issuer`) pairs must be unique: keys are looked up by that pair. */
function uniquePairs(source: string): (kid: string, issuer: string, index: number, entry: unknown) => void {
  const seen = new Set<string>();
  return (kid, issuer, index, entry) => {
    const pair = JSON.stringify([kid, issuer]);
    if (seen.has(pair)) {
      throw configError(
        `${source}: ${describeEntry(index, entry)}: kid is already used for issuer "${issuer}"`,
      );
    }
    seen.add(pair);
  };
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
  const unique = uniquePairs(source);
  return readList(input, source).map((entry, index) => {
    const parsed = parseEntry(trustedKeySourceSchema, entry, index, source);
    if (parsed.type === 'static') unique(parsed.kid, parsed.issuer, index, entry);
    return parsed;
  });
}

const jwkObject = z.looseObject({ kty: z.string() });

// A trusted key given directly, outside n8n's format: a JWK, a JWKS document, or a PEM with its kid.
const directPolicy = {
  issuer: absoluteUrl,
  expectedAudience: z.string().min(1).optional(),
  allowedRoles: z.array(z.string().min(1)).optional(),
  requireVerifiedEmail: z.boolean().optional(),
};
const directJwkSchema = z.strictObject({
  jwk: jwkObject,
  kid: kidField.optional(),
  algorithms: algorithms.optional(),
  ...directPolicy,
});
const directJwksSchema = z.strictObject({
  jwks: z.strictObject({ keys: z.array(jwkObject).min(1) }),
  algorithms: algorithms.optional(),
  ...directPolicy,
});
const directPemSchema = z.strictObject({ pem: spkiPem, kid: kidField, algorithms, ...directPolicy });

/** A public JWK as the verifier reads it. */
export type TrustedJwk = Readonly<Record<string, unknown>> & { readonly kty: string };

/** One trusted key, validated and in one shape, whichever form it was configured in. */
export interface NormalisedStaticKey {
  readonly type: 'static';
  readonly kid: string;
  readonly algorithms: readonly Algorithm[];
  readonly material: { readonly pem: string } | { readonly jwk: TrustedJwk };
  readonly issuer: string;
  readonly expectedAudience?: string;
  readonly allowedRoles?: readonly string[];
  /** Default `true`, as n8n. */
  readonly requireVerifiedEmail: boolean;
}

export type NormalisedJwksSource = Omit<JwksTrustedKey, 'allowedRoles' | 'requireVerifiedEmail'> & {
  readonly allowedRoles?: readonly string[];
  readonly requireVerifiedEmail: boolean;
};
export type NormalisedTrustedKey = NormalisedStaticKey | NormalisedJwksSource;

/** Anything `normaliseTrustedKeys` reads: n8n's entries, or direct JWK / JWKS / PEM entries. */
export type DirectTrustedKey =
  | z.input<typeof directJwkSchema>
  | z.input<typeof directJwksSchema>
  | z.input<typeof directPemSchema>;

/**
 * The one reading of a trusted-keys configuration, for the verifier: n8n's entries (`static`,
 * `jwks`) and direct ones (`{ jwk }`, `{ jwks }`, `{ pem, kid }`), as JSON text or an array. Each
 * entry is checked against its schema, a JWKS document is expanded into its keys, algorithms are
 * inferred where n8n infers them, every key must fit its algorithms and be public (`keyMisfit`), and
 * (`kid`, `issuer`) pairs are unique over the whole list. Every error is a `config_invalid` naming
 * `source` (the option or variable), the entry and the field.
 */
export function normaliseTrustedKeys(
  input: unknown,
  { source = 'trusted keys' }: { source?: string } = {},
): NormalisedTrustedKey[] {
  const unique = uniquePairs(source);
  const out: NormalisedTrustedKey[] = [];
  for (const [index, entry] of readList(input, source).entries()) {
    const fail = (problem: string): never => {
      throw configError(`${source}: ${describeEntry(index, entry)}: ${problem}`);
    };
    const add = (
      key: Omit<NormalisedStaticKey, 'type' | 'requireVerifiedEmail'>,
      policy: PolicyInput,
    ): void => {
      if (key.algorithms.length === 0) fail(`key "${key.kid}": no algorithm given or inferable`);
      if ('jwk' in key.material) {
        const misfit = keyMisfit(shapeOfJwk(key.material.jwk), key.algorithms, 'verify');
        if (misfit !== undefined) fail(`key "${key.kid}": ${misfit}`);
      }
      unique(key.kid, key.issuer, index, entry);
      out.push({ type: 'static', ...key, ...policyOf(policy) });
    };
    const isObject = typeof entry === 'object' && entry !== null;
    if (isObject && 'type' in entry) {
      const parsed = parseEntry(trustedKeySourceSchema, entry, index, source);
      if (parsed.type === 'jwks') out.push({ ...parsed, ...policyOf(parsed) });
      else add({ ...pick(parsed), material: { pem: parsed.key } }, parsed);
    } else if (isObject && 'pem' in entry) {
      const parsed = parseEntry(directPemSchema, entry, index, source);
      add({ ...pick(parsed), material: { pem: parsed.pem } }, parsed);
    } else if (isObject && 'jwks' in entry) {
      const parsed = parseEntry(directJwksSchema, entry, index, source);
      for (const jwk of parsed.jwks.keys) {
        const kid =
          typeof jwk.kid === 'string' && KID_PATTERN.test(jwk.kid)
            ? jwk.kid
            : fail('every JWKS key needs a kid of 1-128 characters of A-Z a-z 0-9 . _ : -');
        add(
          {
            kid,
            algorithms: parsed.algorithms ?? algorithmsOf(jwk),
            material: { jwk },
            issuer: parsed.issuer,
          },
          parsed,
        );
      }
    } else {
      const parsed = parseEntry(directJwkSchema, entry, index, source);
      const own = parsed.jwk.kid;
      const kid =
        parsed.kid ??
        (typeof own === 'string' && KID_PATTERN.test(own)
          ? own
          : fail('a JWK needs a kid (in the JWK or the entry)'));
      add(
        {
          kid,
          algorithms: parsed.algorithms ?? algorithmsOf(parsed.jwk),
          material: { jwk: parsed.jwk },
          issuer: parsed.issuer,
        },
        parsed,
      );
    }
  }
  return out;
}

const pick = ({ kid, algorithms, issuer }: { kid: string; algorithms: Algorithm[]; issuer: string }) => ({
  kid,
  algorithms,
  issuer,
});

interface PolicyInput {
  readonly expectedAudience?: string | undefined;
  readonly allowedRoles?: readonly string[] | undefined;
  readonly requireVerifiedEmail?: boolean | undefined;
}

function policyOf(
  entry: PolicyInput,
): Pick<NormalisedStaticKey, 'expectedAudience' | 'allowedRoles' | 'requireVerifiedEmail'> {
  return {
    ...(entry.expectedAudience === undefined ? {} : { expectedAudience: entry.expectedAudience }),
    ...(entry.allowedRoles === undefined ? {} : { allowedRoles: [...entry.allowedRoles] }),
    requireVerifiedEmail: entry.requireVerifiedEmail ?? true,
  };
}

/** A JWK's own `alg`, or the one n8n infers from its type (contract §3). */
function algorithmsOf(jwk: Readonly<Record<string, unknown>>): Algorithm[] {
  const alg = isAlgorithm(jwk.alg) ? jwk.alg : jwk.alg === undefined ? inferAlgorithm(jwk) : undefined;
  return alg === undefined ? [] : [alg];
}
