import {
  configError,
  type EmbedLoginError,
  isEmbedLoginError,
  loadNodeCrypto,
  normaliseTrustedKeys,
  type Profile,
} from '@n8n-embed/protocol';
import type { CryptoBackend } from '../crypto/backend.js';
import { createNodeBackend } from '../crypto/node-backend.js';
import { createWebBackend } from '../crypto/web-backend.js';
import { loadTrustedKeys } from '../keys/load-trusted-keys.js';
import { createMemoryReplayStore } from '../replay/memory-store.js';
import type { VerifiedToken, Verifier } from '../types.js';
import { createHeaderReader } from './header.js';
import { requireTrustedKeys, resolveNumbers, type VerifierOptions } from './options.js';
import { reject } from './reject.js';
import { newTokenState, runStages, STAGES, type StageEnv, type TokenState } from './stages.js';

function chooseBackend(choice: VerifierOptions['crypto']): CryptoBackend {
  const nodeCrypto = choice === 'webcrypto' ? undefined : loadNodeCrypto();
  if (choice === 'node' && nodeCrypto === undefined) throw configError('crypto: "node" needs Node.js');
  return nodeCrypto ? createNodeBackend(nodeCrypto) : createWebBackend();
}

/**
 * Creates a verifier for embed-login tokens. Keys are imported and validated here, so configuration
 * mistakes throw a `config_invalid` EmbedLoginError now rather than at the first login.
 */
export async function createVerifier(options: VerifierOptions): Promise<Verifier> {
  const trustedKeys = normaliseTrustedKeys(requireTrustedKeys(options), { source: 'trustedKeys' });
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
  if (ring.size === 0) throw configError('trustedKeys: no keys configured');
  if (
    profile === 'strict' &&
    options.audience === undefined &&
    trustedKeys.some((entry) => !entry.expectedAudience)
  ) {
    throw configError(
      "audience: the strict profile needs an audience: set `audience` or every key's expectedAudience",
    );
  }

  const stages = STAGES[profile];
  const env: StageEnv = {
    profile,
    toleranceSeconds,
    maxLifetimeSeconds,
    audience: options.audience,
    now,
    readHeader: createHeaderReader(profile),
    ring,
    backend,
    replayStore,
  };

  async function verify(token: unknown): Promise<VerifiedToken> {
    try {
      const state = newTokenState(token);
      // Synchronous to the end with node:crypto, static keys and the memory store: one promise a login.
      const pending = runStages(stages, state, env);
      if (pending !== undefined) await pending;
      return verifiedToken(state);
    } catch (error) {
      // Fail closed: whatever a library throws becomes a typed rejection.
      throw failClosed(error);
    }
  }

  return {
    profile,
    verify,
  };
}

/** What `verify` resolves to, from a state every stage passed. */
function verifiedToken(state: TokenState): VerifiedToken {
  const { header, alg, key, claims } = state as { [K in keyof TokenState]-?: NonNullable<TokenState[K]> };
  const typ = header.typ;
  return {
    claims,
    header: typeof typ === 'string' ? { alg, typ } : { alg },
    kid: key.kid,
    issuer: key.issuer,
    keyPolicy: key.policy,
  };
}

function failClosed(error: unknown): EmbedLoginError {
  if (isEmbedLoginError(error)) return error;
  return reject('malformed', {}, { detail: 'unexpected failure while verifying', cause: error });
}
