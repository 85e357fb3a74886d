// @n8n-embed/sdk/browser: n8n in a portal page, signed in as the portal's user. No dependency: nothing
// from jose, zod or nanoid is reachable from here (packages/sdk/test/browser-bundle.test.ts).
export { defineN8nEmbedElement, type N8nEmbedElement } from './element.js';
export {
  type CookieStrategy,
  type EmbedErrorCode,
  type EmbedEvents,
  type EmbedSignals,
  type EmbedState,
  type MountN8nOptions,
  mountN8n,
  type N8nEmbed,
  type TokenReason,
} from './mount-n8n.js';
