import { EmbedLoginError, isEmbedLoginError, loadNodeCrypto, type Profile } from '@n8n-embed/protocol';
import type { CryptoBackend } from '../crypto/backend.js';
import { createNodeBackend } from '../crypto/node-backend.js';
import { createWebBackend } from '../crypto/web-backend.js';
import type { KeyEntry } from '../keys/key-entry.js';
import { loadTrustedKeys } from '../keys/load-trusted-keys.js';
import { createMemoryReplayStore } from '../replay/memory-store.js';
import { replayEntryFor } from '../replay/replay-key.js';
import type { VerifiedToken, Verifier } from '../types.js';
import { checkAudience, checkClaims, checkIssuer } from './claims.js';
import { createHeaderReader, readPayload } from './header.js';
import { requireTrustedKeys, resolveNumbers, type VerifierOptions } from './options.js';
import { type Known, reject } from './reject.js';
import { checkAlgorithm, checkSignature } from './signature.js';
import { checkAsJsonwebtoken, checkLifetime, checkTimes } from './times.js';
import { splitToken } from './token-parts.js';

function chooseBackend(choice: VerifierOptions['crypto']): CryptoBackend {
  const nodeCrypto = choice === 'webcrypto' ? undefined : loadNodeCrypto();
  if (choice === 'node' && nodeCrypto === undefined)
    throw new EmbedLoginError('config_invalid', { message: 'crypto: "node" needs Node.js' });
  return nodeCrypto ? createNodeBackend(nodeCrypto) : createWebBackend();
}

/**
 * Creates a verifier for embed-login tokens. Keys are imported and validated here, so configuration
 * mistakes throw a `config_invalid` EmbedLoginError now rather than at the first login.
 */
export async function createVerifier(options: VerifierOptions): Promise<Verifier> {
  const trustedKeys = requireTrustedKeys(options);
  const profile: Profile = options.profile ?? 'strict';
  const { toleranceSeconds, maxLifetimeSeconds } = resolveNumbers(options);
  const now = options.now ?? Date.now;
  const backend = chooseBackend(options.crypto);
  const replayStore = options.replayStore ?? createMemoryReplayStore();
  const ring = await loadTrustedKeys(trustedKeys, {
    backend,
    now,
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    jwks: options.jwks,
  });
  if (ring.size === 0)
    throw new EmbedLoginError('config_invalid', { message: 'trustedKeys: no keys configured' });

  const audienceFor = (key: KeyEntry): string | undefined => options.audience ?? key.audience;
  if (profile === 'strict' && options.audience === undefined) {
    assertEveryKeyHasAudience(options);
  }

  const readHeader = createHeaderReader(profile);

  async function verify(token: unknown): Promise<VerifiedToken> {
    try {
      const known: Known = {};
      const parts = splitToken(token, profile);
      const header = readHeader(parts.header);
      known.kid = header.kid;
      // n8n reports a missing `iss` before an unknown key; the strict profile need not decode a
      // payload no configured key could have signed.
      if (profile === 'strict' && !ring.mayHave(header.kid)) throw reject('unknown_kid', known);
      const payload = readPayload(parts.payload, header.kid, profile);
      const key = await ring.find(header.kid, payload.iss);
      if (key === undefined) throw reject('unknown_kid', known);
      known.issuer = key.issuer;
      const alg = checkAlgorithm(header, key, known);
      await checkSignature(backend, key, alg, parts, known);
      const clock = now();
      const rules = { nowSeconds: Math.floor(clock / 1000), toleranceSeconds, maxLifetimeSeconds, profile };
      if (profile === 'n8n')
        checkAsJsonwebtoken(payload, rules, { issuer: key.issuer, audience: audienceFor(key) }, known);
      const claims = checkClaims(payload, profile, known);
      checkIssuer(claims, key.issuer, known);
      checkAudience(claims, audienceFor(key), known);
      checkTimes(claims, rules, known);
      checkLifetime(claims, rules, known);
      await consume(replayEntryFor(backend, claims, toleranceSeconds, clock), known);
      return {
        claims,
        header: { alg, kid: header.kid, ...(typeof header.typ === 'string' ? { typ: header.typ } : {}) },
        kid: key.kid,
        issuer: key.issuer,
        keyPolicy: key.policy,
      };
    } catch (error) {
      // Fail closed: whatever a library throws becomes a typed rejection.
      throw failClosed(error);
    }
  }

  // Last stage, only when everything else passed: a bad token never costs a store write.
  async function consume(
    entry: Promise<Awaited<ReturnType<typeof replayEntryFor>>>,
    known: Known,
  ): Promise<void> {
    let fresh: boolean;
    try {
      fresh = await replayStore.consume(await entry);
    } catch (cause) {
      throw reject('store_unavailable', known, { cause });
    }
    if (fresh !== true) throw reject('replayed', known);
  }

  return {
    profile,
    verify,
  };
}

function failClosed(error: unknown): EmbedLoginError {
  if (isEmbedLoginError(error)) return error;
  return reject('malformed', {}, { detail: 'unexpected failure while verifying', cause: error });
}

function assertEveryKeyHasAudience(options: VerifierOptions): void {
  const list =
    typeof options.trustedKeys === 'string' ? JSON.parse(options.trustedKeys) : options.trustedKeys;
  const missing = (list as { expectedAudience?: string }[]).some((entry) => !entry.expectedAudience);
  if (missing) {
    throw new EmbedLoginError('config_invalid', {
      message: "the strict profile needs an audience: set `audience` or every key's expectedAudience",
    });
  }
}
