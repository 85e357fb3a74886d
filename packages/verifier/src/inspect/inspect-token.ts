import {
  displayText,
  isEmbedLoginError,
  MAX_CLOCK_TOLERANCE_SECONDS,
  MAX_LIFETIME_SECONDS,
  N8N_MODULE_ALGORITHMS,
  type Profile,
  REASONS,
  type Reason,
} from '@n8n-embed/protocol';
import { createHeaderReader } from '../verify/header.js';
import { newTokenState, STAGES, type Stage, type StageEnv, type TokenState } from '../verify/stages.js';

/**
 * One checked rule: `fail` means a verifier of this profile refuses the token (with `reason`, and a
 * `hint` from the protocol's reason table), `warn` that it may not do what you want.
 */
export interface Finding {
  readonly rule: string;
  readonly level: 'ok' | 'warn' | 'fail';
  readonly message: string;
  readonly reason?: Reason;
  readonly hint?: string;
}

export interface Inspection {
  /** No finding is a `fail`. A key and a replay check can still refuse it: see `createVerifier`. */
  readonly valid: boolean;
  /** The reason a verifier of this profile gives, as far as checks without a key tell: the first failure. */
  readonly reason?: Reason;
  readonly profile: Profile;
  /** The decoded header and payload, as far as they decode (token-controlled: escape before printing). */
  readonly header?: Readonly<Record<string, unknown>>;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly findings: readonly Finding[];
}

export interface InspectOptions {
  /** Wall clock in ms. Default `Date.now()`. */
  readonly now?: number;
  /** The verifier profile whose rules apply. Default `strict`. */
  readonly profile?: Profile;
  /** The audience a verifier expects; without it the audience is not checked. */
  readonly audience?: string;
  /** As the verifier's option of that name. Default 0. */
  readonly clockToleranceSeconds?: number;
  /** As the verifier's option of that name. Default 60. */
  readonly maxLifetimeSeconds?: number;
}

function runnable(stage: Stage, state: TokenState): boolean {
  return !stage.keyed && stage.needs.every((need) => state[need] !== undefined);
}

/** Advice beyond the verifier's rules: what n8n's own module or a first login will make of it. */
function advice(state: TokenState): Finding[] {
  const findings: Finding[] = [];
  if (state.alg !== undefined && !N8N_MODULE_ALGORITHMS.includes(state.alg))
    findings.push({
      rule: 'alg',
      level: 'warn',
      message: `${state.alg}: n8n's own module cannot verify it (only @n8n-embed/verifier can)`,
    });
  const claims = state.claims ?? state.payloadObject;
  if (claims === undefined) return findings;
  if (claims.email === undefined)
    findings.push({
      rule: 'email',
      level: 'warn',
      message: 'no email: a first login cannot link or create an n8n user',
    });
  else if (claims.email_verified !== true)
    findings.push({
      rule: 'email_verified',
      level: 'warn',
      message: 'email_verified is not true: n8n will not link or create a user by this email',
    });
  return findings;
}

/**
 * Runs the verifier's own stages for the profile (the same list `verify` runs) except those that
 * need a key or the replay store, and collects every result instead of stopping at the first
 * failure. Nothing is verified or consumed. Every message is escaped for a terminal.
 */
export function inspectToken(token: unknown, options: InspectOptions = {}): Inspection {
  const profile = options.profile ?? 'strict';
  const env: StageEnv = {
    profile,
    toleranceSeconds: Math.min(Math.max(options.clockToleranceSeconds ?? 0, 0), MAX_CLOCK_TOLERANCE_SECONDS),
    maxLifetimeSeconds: Math.min(options.maxLifetimeSeconds ?? MAX_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS),
    audience: options.audience,
    now: () => options.now ?? Date.now(),
    readHeader: createHeaderReader(profile),
  };
  const state = newTokenState(token);
  const findings: Finding[] = [];
  let reason: Reason | undefined;
  for (const stage of STAGES[profile]) {
    if (!runnable(stage, state)) continue;
    try {
      // Keyless stages are synchronous; a promise here would be a keyed stage, never run.
      stage.run(state, env);
      const found = stage.describe?.(state, env);
      if (found !== undefined) findings.push({ rule: stage.name, level: 'ok', message: displayText(found) });
    } catch (error) {
      if (!isEmbedLoginError(error)) throw error;
      reason ??= error.reason;
      findings.push({
        // A claim the schema refuses is named, as the verifier's error names it.
        rule:
          error.reason === 'claims_invalid' && error.claim !== undefined
            ? `claim ${error.claim}`
            : stage.name,
        level: 'fail',
        message: displayText(error.detail ?? error.message),
        reason: error.reason,
        hint: REASONS[error.reason].hint,
      });
    }
  }
  findings.push(...advice(state));
  return {
    valid: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    profile,
    ...(state.headerObject ? { header: state.headerObject } : {}),
    ...(state.payloadObject ? { claims: state.payloadObject } : {}),
    findings,
  };
}
