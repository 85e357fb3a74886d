import { REASONS, type Reason } from '@n8n-embed/protocol';

/** What to change when a verifier gives this reason: the hint of the protocol's reason table. */
export const WHAT_TO_CHANGE: Readonly<Record<Reason, string>> = Object.fromEntries(
  Object.entries(REASONS).map(([reason, entry]) => [reason, entry.hint]),
) as Record<Reason, string>;
