// n8n external hooks file: gives a stock (free, self-hosted) n8n the embed-login endpoint
// /rest/auth/embed, configured from the environment (see .env.example). Point n8n at this file:
//   EXTERNAL_HOOK_FILES=/absolute/path/to/hooks.cjs
// n8n loads it with require(); @n8n-embed/verifier is ESM, which Node 22.12+ (n8n 2.x runs on
// Node 24) loads through require() as well.
const { createEmbedLoginHook } = require('@n8n-embed/verifier/n8n');

module.exports = {
  n8n: {
    // Runs once n8n has mounted its own routes. Add your other n8n.ready hooks to this list.
    ready: [createEmbedLoginHook()],
  },
};
