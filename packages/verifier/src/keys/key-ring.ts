import type { KeyEntry } from './key-entry.js';

/** Looks a key up by the pair (`kid`, `iss`): one kid may exist under two issuers. */
export interface KeySource {
  /** Resolves the entry, or undefined when this source has no such key. */
  find(kid: string, issuer: string): KeyEntry | undefined | Promise<KeyEntry | undefined>;
}

const pair = (kid: string, issuer: string): string => JSON.stringify([kid, issuer]);

/**
 * Static keys live in a Map (never a plain object, so `__proto__` or `constructor` find nothing);
 * remote JWKS sources are asked only for their own issuer. Lookup cost does not grow with the number
 * of static keys.
 */
export class KeyRing implements KeySource {
  readonly #static = new Map<string, KeyEntry>();
  readonly #remote = new Map<string, KeySource[]>();

  addStatic(entry: KeyEntry): boolean {
    const id = pair(entry.kid, entry.issuer);
    if (this.#static.has(id)) return false;
    this.#static.set(id, entry);
    return true;
  }

  addRemote(issuer: string, source: KeySource): void {
    const list = this.#remote.get(issuer) ?? [];
    list.push(source);
    this.#remote.set(issuer, list);
  }

  get size(): number {
    return this.#static.size + this.#remote.size;
  }

  find(kid: string, issuer: string): KeyEntry | undefined | Promise<KeyEntry | undefined> {
    const found = this.#static.get(pair(kid, issuer));
    if (found !== undefined) return found;
    const remote = this.#remote.get(issuer);
    return remote === undefined ? undefined : findRemote(remote, kid, issuer);
  }
}

async function findRemote(sources: KeySource[], kid: string, issuer: string): Promise<KeyEntry | undefined> {
  for (const source of sources) {
    const entry = await source.find(kid, issuer);
    if (entry !== undefined) return entry;
  }
  return undefined;
}
