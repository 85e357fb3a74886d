import {
  isAlgorithm,
  isEmbedLoginError,
  KID_PATTERN,
  loginClaimsSchema,
  MAX_LIFETIME_SECONDS,
  N8N_MODULE_ALGORITHMS,
  TOKEN_TYPE,
} from '@n8n-embed/protocol';
import { parseJsonObject } from '../internal/strict-json.js';
import { decodeSegment, splitToken } from '../verify/token-parts.js';

/** One checked rule: `fail` means a verifier refuses the token, `warn` that it may not do what you want. */
export interface Finding {
  readonly rule: string;
  readonly level: 'ok' | 'warn' | 'fail';
  readonly message: string;
}

export interface Inspection {
  /** No finding is a `fail`. A key and a replay check can still refuse it: see `createVerifier`. */
  readonly valid: boolean;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly findings: readonly Finding[];
}

const seconds = (value: number): string => `${value} s`;

function headerFindings(header: Readonly<Record<string, unknown>>): Finding[] {
  const { alg, kid, typ } = header;
  const findings: Finding[] = [];
  if (!isAlgorithm(alg))
    findings.push({
      rule: 'alg',
      level: 'fail',
      message: `alg ${JSON.stringify(alg)} is not an asymmetric algorithm n8n allows`,
    });
  else if (!N8N_MODULE_ALGORITHMS.includes(alg))
    findings.push({
      rule: 'alg',
      level: 'warn',
      message: `${alg}: n8n's own module cannot verify it (only @n8n-embed/verifier can)`,
    });
  else findings.push({ rule: 'alg', level: 'ok', message: `${alg}` });
  if (typeof kid !== 'string' || kid === '')
    findings.push({ rule: 'kid', level: 'fail', message: 'the header has no kid' });
  else if (!KID_PATTERN.test(kid))
    findings.push({ rule: 'kid', level: 'fail', message: 'kid has characters no key id can have' });
  else findings.push({ rule: 'kid', level: 'ok', message: kid });
  const extra = Object.keys(header).filter((member) => !['alg', 'kid', 'typ'].includes(member));
  if (extra.length > 0)
    findings.push({
      rule: 'header',
      level: 'fail',
      message: `header members ${extra.join(', ')} are refused by the strict profile`,
    });
  if (typ !== TOKEN_TYPE)
    findings.push({
      rule: 'typ',
      level: 'warn',
      message: `typ is not ${TOKEN_TYPE}: the strict profile refuses it (n8n ignores typ)`,
    });
  return findings;
}

function claimFindings(claims: Readonly<Record<string, unknown>>, nowSeconds: number): Finding[] {
  const findings: Finding[] = [];
  const parsed = loginClaimsSchema.safeParse(claims);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    findings.push({
      rule: `claim ${issue.path.join('.') || '(payload)'}`,
      level: 'fail',
      message: issue.message,
    });
  }
  const { iat, exp, nbf, email, email_verified: verified } = claims;
  if (typeof iat === 'number' && typeof exp === 'number') {
    const lifetime = exp - iat;
    findings.push(
      lifetime > MAX_LIFETIME_SECONDS || lifetime <= 0
        ? {
            rule: 'lifetime',
            level: 'fail',
            message: `exp - iat is ${seconds(lifetime)}: must be 1 to ${MAX_LIFETIME_SECONDS} s`,
          }
        : { rule: 'lifetime', level: 'ok', message: seconds(lifetime) },
    );
    findings.push(
      nowSeconds >= exp
        ? { rule: 'expiry', level: 'fail', message: `expired ${seconds(nowSeconds - exp)} ago` }
        : { rule: 'expiry', level: 'ok', message: `expires in ${seconds(exp - nowSeconds)}` },
    );
    if (iat > nowSeconds)
      findings.push({
        rule: 'iat',
        level: 'fail',
        message: `issued ${seconds(iat - nowSeconds)} in the future (check the portal's clock)`,
      });
  }
  if (typeof nbf === 'number' && nbf > nowSeconds)
    findings.push({
      rule: 'nbf',
      level: 'fail',
      message: `not valid for another ${seconds(nbf - nowSeconds)}`,
    });
  if (email === undefined)
    findings.push({
      rule: 'email',
      level: 'warn',
      message: 'no email: a first login cannot link or create an n8n user',
    });
  else if (verified !== true)
    findings.push({
      rule: 'email_verified',
      level: 'warn',
      message: 'email_verified is not true: n8n will not link or create a user by this email',
    });
  return findings;
}

/**
 * Checks every rule of the contract that needs no key: format, header, the claim schema, times
 * against `now`, lifetime, and the first-login claims. Nothing is verified or consumed.
 */
export function inspectToken(token: unknown, { now = Date.now() }: { now?: number } = {}): Inspection {
  const findings: Finding[] = [];
  const finish = (header?: Record<string, unknown>, claims?: Record<string, unknown>): Inspection => ({
    valid: !findings.some((finding) => finding.level === 'fail'),
    ...(header ? { header } : {}),
    ...(claims ? { claims } : {}),
    findings,
  });
  let parts: ReturnType<typeof splitToken>;
  try {
    parts = splitToken(token, 'strict');
  } catch (error) {
    findings.push({
      rule: 'format',
      level: 'fail',
      message: isEmbedLoginError(error) ? (error.detail ?? error.message) : 'not a token',
    });
    return finish();
  }
  findings.push({ rule: 'format', level: 'ok', message: 'compact JWS' });
  const header = safeDecode(parts.header);
  if (header === undefined) {
    findings.push({ rule: 'header', level: 'fail', message: 'the header is not a base64url JSON object' });
    return finish();
  }
  findings.push(...headerFindings(header));
  const claims = safeDecode(parts.payload);
  if (claims === undefined) {
    findings.push({ rule: 'payload', level: 'fail', message: 'the payload is not a base64url JSON object' });
    return finish(header);
  }
  findings.push(...claimFindings(claims, Math.floor(now / 1000)));
  return finish(header, claims);
}

function safeDecode(segment: string): Record<string, unknown> | undefined {
  try {
    return parseJsonObject(decodeSegment(segment, {}));
  } catch {
    return undefined;
  }
}
