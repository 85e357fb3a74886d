import {
  DEFAULT_LIFETIME_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  MAX_LIFETIME_SECONDS,
} from '@n8n-embed/protocol';
import { type Check, check } from './check.js';

const SYNC =
  "sync this machine's clock (NTP: timedatectl set-ntp true), or have the signer correct it: createLoginSigner({ clockOffsetSeconds: await measureClockOffset(n8nUrl) })";

/**
 * This machine's clock against n8n's, from `offsetSeconds` (seconds to add here to get n8n's time,
 * measured by the SDK's `measureClockOffset`, ±1 s). Meant to run where the portal mints tokens. A
 * clock ahead mints tokens issued "in the future" (refused by the strict verifier without tolerance,
 * and `nbf` by n8n too); a clock behind shortens the 30 s lifetime, and past it tokens arrive expired.
 */
export function clockCheck(offsetSeconds: number): Check {
  const skew = Math.abs(offsetSeconds);
  if (skew <= 1) return check('clock', 'pass', 'in step with n8n (within the 1 s the Date header tells)');
  if (offsetSeconds < 0) {
    const tolerance =
      skew <= MAX_CLOCK_TOLERANCE_SECONDS
        ? `, or allow it on n8n: N8N_EMBED_CLOCK_TOLERANCE_SECONDS=${skew} (adapter, at most ${MAX_CLOCK_TOLERANCE_SECONDS})`
        : '';
    return check(
      'clock',
      'fail',
      `${skew} s ahead of n8n: tokens minted here are issued in the future, refused as not yet valid by the strict verifier (tolerance 0 by default)`,
      `${SYNC}${tolerance}`,
    );
  }
  if (skew < DEFAULT_LIFETIME_SECONDS)
    return check(
      'clock',
      'warn',
      `${skew} s behind n8n: a ${DEFAULT_LIFETIME_SECONDS} s token has ${DEFAULT_LIFETIME_SECONDS - skew} s left when minted`,
      SYNC,
    );
  return check(
    'clock',
    'fail',
    `${skew} s behind n8n: tokens of ${DEFAULT_LIFETIME_SECONDS} s${skew >= MAX_LIFETIME_SECONDS ? ` (or even the ${MAX_LIFETIME_SECONDS} s maximum)` : ''} arrive expired`,
    SYNC,
  );
}
