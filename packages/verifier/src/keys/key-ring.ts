import type { KeyEntry } from './key-entry.js';

/** Looks a key up by the pair (`kid`, `iss`): one kid may exist under two issuers. */
export interface KeySource {
  /** Resolves the entry, or undefined when this source has no such key. */
  find(kid: string, issuer: string): KeyEntry | undefined | Promise<KeyEntry | undefined>;
}

/**
 * Static keys live in a Map (never a plain object, so `__proto__` or `constructor` find nothing);
 * remote JWKS sources are asked only for their own issuer. Lookup cost does not grow with the number
 * of static keys.
 */
export class KeyRing implements KeySource {
  /** kid → issuer → entry. */
  readonly #static = new Map<string, Map<string, KeyEntry>>();
  readonly #remote = new Map<string, KeySource[]>();
  #staticCount = 0;

  /** (`kid`, `issuer`) pairs are unique: `normaliseTrustedKeys` refused a configuration that repeats one. */
  addStatic(entry: KeyEntry): void {
    const byIssuer = this.#static.get(entry.kid) ?? new Map<string, KeyEntry>();
    byIssuer.set(entry.issuer, entry);
    this.#static.set(entry.kid, byIssuer);
    this.#staticCount += 1;
  }

  addRemote(issuer: string, source: KeySource): void {
    const list = this.#remote.get(issuer) ?? [];
    list.push(source);
    this.#remote.set(issuer, list);
  }

  get size(): number {
    return this.#staticCount + this.#remote.size;
  }

  /** False when no issuer can have this kid: no static key carries it and no remote set may. */
  mayHave(kid: string): boolean {
    return this.#remote.size > 0 || this.#static.has(kid);
  }

  find(kid: string, issuer: string): KeyEntry | undefined | Promise<KeyEntry | undefined> {
    const found = this.#static.get(kid)?.get(issuer);
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
