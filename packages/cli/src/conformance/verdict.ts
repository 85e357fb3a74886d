import { shown } from '../doctor/check.js';
import type { CaseGroup } from './cases.js';
import type { Outcome } from './oracle.js';

export type CaseStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CaseVerdict {
  readonly status: CaseStatus;
  readonly note: string;
}

export function describeOutcome(outcome: Outcome): string {
  if (outcome.accepted)
    return `accepted (${outcome.status}${outcome.location !== undefined ? ` to ${shown(outcome.location)}` : ''})`;
  return `${outcome.status}${outcome.message !== undefined ? ` "${shown(outcome.message)}"` : ''}`;
}

function sameRefusal(expected: Outcome, actual: Outcome): boolean {
  return expected.status === actual.status && expected.message === actual.message;
}

/**
 * A case's verdict: the live answer against the project's own. ✖ when something that must be refused
 * got in, a 5xx, a login CSRF the strict profile must stop, or a redirect off n8n's origin; ⚠ when it
 * was refused for another reason than ours (or a login of the test subject did not work).
 */
export function verdictOf(
  group: CaseGroup,
  expected: Outcome,
  actual: Outcome,
  context: { readonly profile: 'strict' | 'n8n'; readonly n8nOrigin: string },
): CaseVerdict {
  if (actual.status === 0) return { status: 'fail', note: `no answer: ${shown(actual.message ?? '')}` };
  if (actual.status >= 500) return { status: 'fail', note: `server error ${describeOutcome(actual)}` };
  if (actual.status === 429)
    return { status: 'warn', note: 'still rate limited (429) after waiting: not judged' };
  if (expected.accepted) {
    if (!actual.accepted)
      return { status: 'warn', note: `the test subject was not signed in: ${describeOutcome(actual)}` };
    if (actual.location !== undefined) {
      const target = URL.canParse(actual.location, context.n8nOrigin)
        ? new URL(actual.location, context.n8nOrigin)
        : undefined;
      // A hidden character arrives escaped (`\\u{…}`, see outcomeOf): in a Location it is a hole too.
      if (target === undefined || target.origin !== context.n8nOrigin || /[\r\n]|\\u\{/.test(actual.location))
        return { status: 'fail', note: `the redirect leaves n8n: Location ${shown(actual.location)}` };
      if (
        group === 'redirect' &&
        expected.location !== undefined &&
        new URL(expected.location).pathname !== target.pathname
      )
        return {
          status: 'warn',
          note: `lands on ${shown(target.pathname)} (the project's rule: ${shown(new URL(expected.location).pathname)})`,
        };
    }
    return { status: 'pass', note: describeOutcome(actual) };
  }
  if (actual.accepted)
    return {
      status: 'fail',
      note: `ACCEPTED ${describeOutcome(actual)}; must be refused: ${describeOutcome(expected)}`,
    };
  if (sameRefusal(expected, actual)) return { status: 'pass', note: `refused ${describeOutcome(actual)}` };
  if (group === 'origin' && context.profile === 'strict' && actual.status !== expected.status)
    return {
      status: 'fail',
      note: `not refused for its origin (${describeOutcome(actual)}, expected ${describeOutcome(expected)}): login CSRF is not stopped`,
    };
  return {
    status: 'warn',
    note: `refused, as ${describeOutcome(actual)} (expected ${describeOutcome(expected)})`,
  };
}
