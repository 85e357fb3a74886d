// `@n8n-embed/verifier/n8n`: the hooks file for a stock n8n. Point n8n at it:
//   EXTERNAL_HOOK_FILES=/path/to/node_modules/@n8n-embed/verifier/dist/n8n.js
// n8n loads it with require() and reads every export as `{ <resource>: { <operation>: [fn] } }`, so
// this module exports only the `n8n` hooks and functions (whose own keys n8n skips).
import { createEmbedLoginHook } from './n8n/embed-login-hook.js';

export { createEmbedLoginHook, type EmbedLoginHookOptions, type N8nServer } from './n8n/embed-login-hook.js';
export { n8nAt } from './n8n/locate-n8n.js';
export {
  createN8nDatabaseReplayStore,
  type N8nDatabaseReplayStore,
  type N8nDatabaseReplayStoreHookOptions,
} from './n8n/n8n-database-replay-store.js';

/** n8n's external hooks: on `n8n.ready`, mount `/rest/auth/embed` (configured from the environment). */
export const n8n = { ready: [createEmbedLoginHook()] };
