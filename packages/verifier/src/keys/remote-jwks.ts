import { type Algorithm, inferAlgorithm, isAlgorithm, KID_PATTERN, shapeOfJwk } from '@n8n-embed/protocol';
import type { CryptoBackend, JwkMembers } from '../crypto/backend.js';
import type { KeyPolicy } from '../types.js';
import { assertFetchableUrl, fetchJwks } from './jwks-fetch.js';
import { importTrustedKey, type KeyEntry, keyFingerprint } from './key-entry.js';
import type { KeySource } from './key-ring.js';

export interface RemoteJwksOptions {
  readonly url: string;
  readonly issuer: string;
  readonly audience: string | undefined;
  readonly policy: KeyPolicy;
  readonly algorithms?: readonly Algorithm[];
  readonly cacheTtlSeconds?: number;
  readonly backend: CryptoBackend;
  readonly now: () => number;
  readonly fetch: typeof globalThis.fetch;
  readonly allowHttpLoopback?: boolean;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Minimum time between two fetches caused by an unknown kid. */
  readonly cooldownMs?: number;
  /** How long the last good set keeps working after its TTL when the endpoint fails. */
  readonly staleWindowMs?: number;
}

/** Kids a remote JWKS source remembers with their key material (a set holds far fewer). */
const MAX_REMEMBERED_KIDS = 10_000;

/** n8n's rule: `Cache-Control: max-age` over `cacheTtlSeconds` over 3600 s, clamped to 60 s–1 day. */
export function jwksTtlSeconds(maxAge: number | undefined, cacheTtlSeconds: number | undefined): number {
  return Math.min(86_400, Math.max(60, maxAge ?? cacheTtlSeconds ?? 3600));
}

/**
 * A remote JWKS with one fetch in flight, a cooldown for unknown kids, and stale-if-error. A set
 * that holds a private or symmetric key, a key we cannot use, or a known kid with new key material is
 * refused as a whole, and the previous set stays; so is a set that names a kid twice, or brings back
 * a kid it once dropped with other key material.
 */
export function createRemoteJwksSource(options: RemoteJwksOptions): KeySource {
  const url = assertFetchableUrl(options.url, options.allowHttpLoopback ?? false);
  const cooldownMs = options.cooldownMs ?? 30_000;
  const staleWindowMs = options.staleWindowMs ?? 10 * 60_000;
  let keys = new Map<string, KeyEntry>();
  let freshUntil = Number.NEGATIVE_INFINITY;
  let goodUntil = Number.NEGATIVE_INFINITY;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  // Every kid this source ever accepted, with its key's fingerprint: a kid removed in one fetch and
  // back with other key material in a later one is the same attack as a change in place. Bounded;
  // the oldest kids are forgotten first.
  const seen = new Map<string, string>();
  function remember(kid: string, fingerprint: string): void {
    seen.delete(kid);
    seen.set(kid, fingerprint);
    if (seen.size > MAX_REMEMBERED_KIDS) seen.delete(seen.keys().next().value as string);
  }

  async function load(): Promise<void> {
    const { body, maxAge } = await fetchJwks(url, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 3000,
      maxBytes: options.maxBytes ?? 64 * 1024,
    });
    const next = await importSet(body);
    const now = options.now();
    keys = next;
    for (const [kid, entry] of next) remember(kid, keyFingerprint(entry.key.jwk));
    freshUntil = now + jwksTtlSeconds(maxAge, options.cacheTtlSeconds) * 1000;
    goodUntil = freshUntil + staleWindowMs;
  }

  async function importSet(body: unknown): Promise<Map<string, KeyEntry>> {
    const list = (body as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list) || list.length === 0) throw new Error('JWKS has no keys');
    const next = new Map<string, KeyEntry>();
    for (const raw of list as JwkMembers[]) {
      if (typeof raw !== 'object' || raw === null) throw new Error('JWKS key is not an object');
      if (shapeOfJwk(raw).isPrivate) throw new Error('JWKS holds a private or symmetric key');
      const kid = raw.kid;
      if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw new Error('JWKS key without a usable kid');
      if (raw.use !== undefined && raw.use !== 'sig') continue;
      const alg = raw.alg === undefined ? inferAlgorithm(raw) : isAlgorithm(raw.alg) ? raw.alg : undefined;
      if (alg === undefined) throw new Error(`JWKS key "${kid}" has no usable algorithm`);
      if (options.algorithms && !options.algorithms.includes(alg)) continue;
      if (next.has(kid)) throw new Error(`JWKS names kid "${kid}" twice`);
      const key = await importTrustedKey(options.backend, kid, { jwk: raw }, [alg]);
      const seenAs = seen.get(kid);
      if (seenAs !== undefined && seenAs !== keyFingerprint(key.jwk)) {
        throw new Error(`JWKS changed the key material of kid "${kid}"`);
      }
      next.set(kid, {
        kid,
        issuer: options.issuer,
        algorithms: [alg],
        audience: options.audience,
        policy: options.policy,
        key,
      });
    }
    return next;
  }

  function refresh(): Promise<void> {
    lastAttempt = options.now();
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    async find(kid: string): Promise<KeyEntry | undefined> {
      const now = options.now();
      const known = keys.get(kid);
      const recentlyTried = now - lastAttempt < cooldownMs;
      if (now < freshUntil && (known !== undefined || recentlyTried)) return known;
      // Stale, and the endpoint failed moments ago: serve what the stale window allows, no refetch.
      if (now >= freshUntil && recentlyTried && inFlight === undefined)
        return now < goodUntil ? known : undefined;
      try {
        await refresh();
      } catch {
        return options.now() < goodUntil ? keys.get(kid) : undefined;
      }
      return keys.get(kid);
    },
  };
}
