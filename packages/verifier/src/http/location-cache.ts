import { MAX_REDIRECT_LENGTH, redirectLocation } from '@n8n-embed/protocol';

/** Distinct `redirectTo` values remembered; past it the cache starts again. */
const SIZE = 256;

/**
 * `redirectLocation` for one base URL, remembered by `redirectTo`. The rule stays protocol's, and it
 * is pure for a fixed base, so only the work is saved: its two URL parses were a tenth of a valid
 * login's CPU inside a server (issue 16), and a portal sends a handful of distinct paths. Only paths
 * the rule could accept are remembered (at most MAX_REDIRECT_LENGTH characters, so about 2 MB in all);
 * a longer one is refused by its length at once.
 */
export function locationCache(base: URL): (redirectTo: string | undefined) => string {
  const known = new Map<string | undefined, string>();
  return (redirectTo) => {
    let location = known.get(redirectTo);
    if (location !== undefined) return location;
    location = redirectLocation(base, redirectTo);
    if (redirectTo !== undefined && redirectTo.length > MAX_REDIRECT_LENGTH) return location;
    if (known.size >= SIZE) known.clear();
    known.set(redirectTo, location);
    return location;
  };
}
