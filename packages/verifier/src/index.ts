export { EMBED_BRIDGE_PATH, embedBridgeResponse, embedBridgeScript } from './http/embed-bridge.js';
export {
  createEmbedLoginHandler,
  type EmbedLoginHandler,
  type EmbedLoginHandlerOptions,
  type EmbedRequestContext,
  type EmbedSessionContext,
} from './http/embed-login-handler.js';
export type { EmbedLoginEvent } from './http/events.js';
export { createIdentityResolver, type IdentityStore, type NewUser } from './identity/identity-resolver.js';
export { type Finding, type Inspection, inspectToken } from './inspect/inspect-token.js';
export type {
  DirectTrustedKey,
  TrustedKeysInput,
} from './keys/load-trusted-keys.js';
export { keysReachingAdmin } from './n8n/admin-reach.js';
export {
  createMemoryReplayStore,
  type MemoryReplayStore,
  type MemoryReplayStoreOptions,
} from './replay/memory-store.js';
export type {
  KeyPolicy,
  ReplayEntry,
  ReplayStore,
  VerifiedHeader,
  VerifiedToken,
  Verifier,
} from './types.js';
export { createVerifier } from './verify/create-verifier.js';
export type { VerifierOptions } from './verify/options.js';
