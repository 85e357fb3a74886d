/** A per-client fixed-window counter: `allow(key)` is false once a client used its requests this minute. */
export interface RateLimiter {
  allow(key: string): boolean;
}

const WINDOW_MS = 60_000;
/** Bounded memory: past this many clients in one window, the table starts over. */
const MAX_CLIENTS = 10_000;

export function createRateLimiter(perMinute: number, now: () => number): RateLimiter {
  let windowStart = now();
  let counts = new Map<string, number>();
  return {
    allow(key) {
      const time = now();
      // A client flood would otherwise grow the table without bound; starting over only lets each
      // client try again, and every token is still checked in full.
      if (time - windowStart >= WINDOW_MS || time < windowStart || counts.size >= MAX_CLIENTS) {
        windowStart = time;
        counts = new Map();
      }
      const used = (counts.get(key) ?? 0) + 1;
      counts.set(key, used);
      return used <= perMinute;
    },
  };
}
