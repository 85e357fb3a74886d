/** A per-client fixed-window counter: `allow(key)` is false once a client used its requests. */
export interface RateLimiter {
  allow(key: string): boolean;
  /** Clients currently remembered (for tests of the memory bound). */
  readonly size: number;
}

const WINDOW_MS = 60_000;
/** Clients remembered exactly; about 100 bytes each. */
export const MAX_TRACKED_CLIENTS = 50_000;
/** Past that, newcomers share this many hashed buckets until old windows end. */
const OVERFLOW_BUCKETS = 4096;

function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Each client's window starts at its own first request, so no one can reset another client's budget,
 * and memory is bounded without starting over: when `maxClients` are remembered, entries whose window
 * ended are dropped; if every one is still live (a flood from that many addresses), newcomers are
 * counted in a fixed table of hashed buckets, which can only count too much, never too little.
 */
export function createRateLimiter(
  perMinute: number,
  now: () => number,
  maxClients: number = MAX_TRACKED_CLIENTS,
): RateLimiter {
  const clients = new Map<string, { start: number; used: number }>();
  const overflow = new Uint32Array(OVERFLOW_BUCKETS);
  let overflowStart = now();

  const ended = (start: number, time: number): boolean => time - start >= WINDOW_MS || time < start;

  // Entries are only added at the end, and a client's ended window is dropped before it is counted
  // again, so the map is in the order windows started and the ended ones are always at the front:
  // dropping them is amortised O(1). A clock that steps back ends every window.
  function sweep(time: number): void {
    for (const [key, entry] of clients) {
      if (!ended(entry.start, time)) return;
      clients.delete(key);
    }
  }

  return {
    get size() {
      return clients.size;
    },
    allow(key) {
      const time = now();
      sweep(time);
      const entry = clients.get(key);
      if (entry !== undefined) {
        entry.used += 1;
        return entry.used <= perMinute;
      }
      if (clients.size < maxClients) {
        clients.set(key, { start: time, used: 1 });
        return 1 <= perMinute;
      }
      if (ended(overflowStart, time)) {
        overflow.fill(0);
        overflowStart = time;
      }
      const bucket = hash(key) % OVERFLOW_BUCKETS;
      overflow[bucket] = (overflow[bucket] ?? 0) + 1;
      return (overflow[bucket] ?? 0) <= perMinute;
    },
  };
}
