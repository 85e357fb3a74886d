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

// The table: open addressing with linear probing in one Uint32Array, five words a slot: the key's
// first 128 bits (four words) and the expiry in whole seconds (0: an empty slot). At most half full,
// so a lookup touches one or two slots, all in one or two cache lines (a Map of string ids touched a
// bucket, an entry and the id string, twice per consume: get, then set), and an entry costs ~52 bytes
// at 100 000 entries instead of ~69.
const WORDS = 5;
const MIN_SLOTS = 1024;
/** Expiries are whole seconds in 32 bits (until 2106); a later one is kept until then, never less. */
const MAX_EXPIRY = 0xffff_ffff;

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

/** The general path for a key that is not hex: each 16 bits as `parseInt` reads four characters. */
const looseUnitAt = (key: string, at: number): number => Number.parseInt(key.slice(at, at + 4), 16) & 0xffff;

/** The four id words of a key (its first 128 bits for hex), written into `id`. */
function readId(key: string, id: Uint32Array): void {
  for (let word = 0; word < 4; word++) {
    const high = unitAt(key, word * 8);
    const low = unitAt(key, word * 8 + 4);
    id[word] =
      (high | low) >= 0
        ? ((high << 16) | low) >>> 0
        : ((looseUnitAt(key, word * 8) << 16) | looseUnitAt(key, word * 8 + 4)) >>> 0;
  }
}

/** Slots for `entries` entries at most half full: a power of two. */
function slotsFor(entries: number): number {
  let slots = MIN_SLOTS;
  while (slots < entries * 2) slots *= 2;
  return slots;
}

/** An expiry in ms as the table's whole seconds, from 1 (0 marks an empty slot) to MAX_EXPIRY. */
function expiryOf(expiresAt: number): number {
  const seconds = Math.ceil(expiresAt / 1000);
  if (Number.isNaN(seconds) || seconds > MAX_EXPIRY) return MAX_EXPIRY; // unknown: kept, fail closed
  return Math.max(seconds, 1);
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
  let table = new Uint32Array(MIN_SLOTS * WORDS);
  let mask = MIN_SLOTS - 1;
  let size = 0;
  let lastSweep = Number.NEGATIVE_INFINITY;
  const id = new Uint32Array(4);

  /** Where `id` starts its probe: the words mixed, so ids that share a word still spread. */
  const home = (): number =>
    (Math.imul((id[0] as number) ^ (id[1] as number) ^ (id[2] as number) ^ (id[3] as number), 0x9e3779b1) >>>
      0) &
    mask;

  /** The offset of `id`'s slot, or of the empty slot that ends its probe, as -1 - offset. */
  function find(): number {
    for (let slot = home(); ; slot = (slot + 1) & mask) {
      const at = slot * WORDS;
      if (table[at + 4] === 0) return -1 - at;
      if (
        table[at] === id[0] &&
        table[at + 1] === id[1] &&
        table[at + 2] === id[2] &&
        table[at + 3] === id[3]
      )
        return at;
    }
  }

  /** Moves every slot of `old` that `keep` accepts into a fresh table of `slots` slots. */
  function rebuild(old: Uint32Array, slots: number, keep: (expiry: number) => boolean): void {
    table = new Uint32Array(slots * WORDS);
    mask = slots - 1;
    size = 0;
    for (let at = 0; at < old.length; at += WORDS) {
      const expiry = old[at + 4] as number;
      if (expiry === 0 || !keep(expiry)) continue;
      id.set(old.subarray(at, at + 4));
      const free = -1 - find();
      table.set(old.subarray(at, at + WORDS), free);
      size += 1;
    }
  }

  /** Drops expired entries; true when any went (slots moved: offsets found before are stale). */
  function sweep(nowSeconds: number): boolean {
    let live = 0;
    for (let at = 4; at < table.length; at += WORDS) {
      const expiry = table[at] as number;
      if (expiry !== 0 && nowSeconds < expiry) live += 1;
    }
    if (live === size) return false;
    const saved = id.slice();
    rebuild(table, slotsFor(live), (expiry) => nowSeconds < expiry);
    id.set(saved);
    return true;
  }

  /** The check-and-set itself, synchronous: `true` when the key was fresh (and is now taken). */
  function consumeNow({ key, expiresAt, now }: ReplayEntry): boolean {
    readId(key, id);
    const nowSeconds = Math.floor(now / 1000);
    let at = find();
    const expiry = at >= 0 ? (table[at + 4] as number) : undefined;
    if (expiry !== undefined && nowSeconds < expiry) return false;
    // When full, sweep at most once a second: a full store must not make every login O(n).
    const full = size >= maxEntries && expiry === undefined;
    if (now - lastSweep >= SWEEP_EVERY_MS || (full && now - lastSweep >= 1000)) {
      lastSweep = now;
      if (sweep(nowSeconds)) at = find();
    }
    if (at >= 0) {
      table[at + 4] = expiryOf(expiresAt); // taken again after it expired
      return true;
    }
    if (size >= maxEntries) throw new Error('memory replay store is full');
    if ((size + 1) * 2 > table.length / WORDS) {
      const saved = id.slice();
      rebuild(table, (table.length / WORDS) * 2, () => true);
      id.set(saved);
      at = find();
    }
    const free = -1 - at;
    table.set(id, free);
    table[free + 4] = expiryOf(expiresAt);
    size += 1;
    return true;
  }

  const store: MemoryReplayStore = {
    get size(): number {
      return size;
    },
    async consume(entry: ReplayEntry): Promise<boolean> {
      return consumeNow(entry);
    },
    async close(): Promise<void> {
      table = new Uint32Array(MIN_SLOTS * WORDS);
      mask = MIN_SLOTS - 1;
      size = 0;
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
