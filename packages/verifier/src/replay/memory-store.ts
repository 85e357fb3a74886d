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

/** A hex digit's value, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** 16 bits from four hex digits at `at`, or -1 when one is not a hex digit. */
function unitAt(key: string, at: number): number {
  const a = hexDigit(key.charCodeAt(at));
  const b = hexDigit(key.charCodeAt(at + 1));
  const c = hexDigit(key.charCodeAt(at + 2));
  const d = hexDigit(key.charCodeAt(at + 3));
  return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

/**
 * The first 128 bits of a hex key as an 8-character string. A `slice` of the key would keep the whole
 * 64-character key alive behind it (V8 sliced strings), half again the memory per entry. Built in one
 * `fromCharCode` (a flat string, hashed once by the Map), not by eight concatenations; a key that is
 * not hex takes the general path, which gives the same id for hex.
 */
function compactId(key: string): string {
  const u0 = unitAt(key, 0);
  const u1 = unitAt(key, 4);
  const u2 = unitAt(key, 8);
  const u3 = unitAt(key, 12);
  const u4 = unitAt(key, 16);
  const u5 = unitAt(key, 20);
  const u6 = unitAt(key, 24);
  const u7 = unitAt(key, 28);
  if ((u0 | u1 | u2 | u3 | u4 | u5 | u6 | u7) >= 0)
    return String.fromCharCode(u0, u1, u2, u3, u4, u5, u6, u7);
  let id = '';
  for (let i = 0; i < 32; i += 4) id += String.fromCharCode(Number.parseInt(key.slice(i, i + 4), 16));
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

  /** The check-and-set itself, synchronous: `true` when the key was fresh (and is now taken). */
  function consumeNow({ key, expiresAt, now }: ReplayEntry): boolean {
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
  }

  const store: MemoryReplayStore = {
    get size(): number {
      return entries.size;
    },
    async consume(entry: ReplayEntry): Promise<boolean> {
      return consumeNow(entry);
    },
    async close(): Promise<void> {
      entries.clear();
    },
  };
  synchronous.set(store, { consume: store.consume, consumeNow });
  return store;
}

// The verifier asks a memory store synchronously (a promise per login costs more than the store
// does). Known by identity, and only while its `consume` is still its own: a wrapper object, or a
// `consume` replaced on the store, is called as any store is.
const synchronous = new WeakMap<
  ReplayStore,
  { readonly consume: ReplayStore['consume']; readonly consumeNow: (entry: ReplayEntry) => boolean }
>();

/** The synchronous check-and-set behind `store.consume`, when `store` is a memory store as made. */
export function syncConsumeOf(store: ReplayStore): ((entry: ReplayEntry) => boolean) | undefined {
  const known = synchronous.get(store);
  return known !== undefined && known.consume === store.consume ? known.consumeNow : undefined;
}
