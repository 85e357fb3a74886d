import { configError } from '@n8n-embed/protocol';
import type { ReplayEntry, ReplayStore } from '../types.js';

export interface MemoryReplayStoreOptions {
  /** The most entries kept; when full of live entries the store fails closed. Default 100 000. */
  readonly maxEntries?: number;
}

export interface MemoryReplayStore extends ReplayStore {
  readonly size: number;
}

const SWEEP_EVERY_MS = 30_000;

/**
 * The first 128 bits of a hex key as an 8-character string. A `slice` of the key would keep the whole
 * 64-character key alive behind it (V8 sliced strings), half again the memory per entry.
 */
function compactId(hexKey: string): string {
  let id = '';
  for (let i = 0; i < 32; i += 4) id += String.fromCharCode(Number.parseInt(hexKey.slice(i, i + 4), 16));
  return id;
}

/**
 * One process's replay store. `consume` is a synchronous check-and-set (atomic on one event loop).
 * It never evicts a live entry to make room: when full it rejects, and the verifier answers
 * `store_unavailable`. Expired entries are swept at most every 30 s and when full. Time comes from
 * the entry (the verifier's clock): a clock stepping back only keeps entries longer.
 */
export function createMemoryReplayStore({
  maxEntries = 100_000,
}: MemoryReplayStoreOptions = {}): MemoryReplayStore {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw configError('maxEntries: must be a positive integer');
  // 128 bits of the SHA-256 key as 8 UTF-16 code units, and the expiry in whole seconds (a small
  // integer V8 stores inline), keep an entry under 100 bytes.
  const entries = new Map<string, number>();
  let lastSweep = Number.NEGATIVE_INFINITY;

  function sweep(nowSeconds: number): void {
    for (const [key, expiry] of entries) if (nowSeconds >= expiry) entries.delete(key);
  }

  return {
    get size(): number {
      return entries.size;
    },
    async consume({ key, expiresAt, now }: ReplayEntry): Promise<boolean> {
      const id = compactId(key);
      const nowSeconds = Math.floor(now / 1000);
      const expiry = entries.get(id);
      if (expiry !== undefined && nowSeconds < expiry) return false;
      // When full, sweep at most once a second: a full store must not make every login O(n).
      const full = entries.size >= maxEntries && expiry === undefined;
      if (now - lastSweep >= SWEEP_EVERY_MS || (full && now - lastSweep >= 1000)) {
        lastSweep = now;
        sweep(nowSeconds);
      }
      if (entries.size >= maxEntries && !entries.has(id)) throw new Error('memory replay store is full');
      entries.set(id, Math.ceil(expiresAt / 1000));
      return true;
    },
    async close(): Promise<void> {
      entries.clear();
    },
  };
}
