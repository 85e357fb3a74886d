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
  const units = [0, 4, 8, 12, 16, 20, 24, 28].map((at) => unitAt(key, at));
  if (units.every((unit) => unit >= 0)) return String.fromCharCode(...units);
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
