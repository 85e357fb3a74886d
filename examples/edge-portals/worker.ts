// The portal's "open n8n" route as a Cloudflare Worker: `wrangler deploy` (wrangler.toml next to
// this file), the key as a secret: `wrangler secret put N8N_EMBED_PRIVATE_JWK`.
import { createLoginSigner, createPortalLoginRoute, type LoginUser } from '@n8n-embed/sdk';

interface Env {
  readonly N8N_EMBED_PRIVATE_JWK: string; // from `n8n-embed keys generate`
  readonly PORTAL_URL: string; // https://portal.example.com
  readonly N8N_URL: string; // https://n8n.example.com
  readonly DEMO_SESSIONS?: string;
}

// Bindings arrive with the first request: the route is made then, once per isolate.
let openN8n: Promise<(request: Request) => Promise<Response>> | undefined;

async function routeFor(env: Env): Promise<(request: Request) => Promise<Response>> {
  const signer = await createLoginSigner({
    privateKey: JSON.parse(env.N8N_EMBED_PRIVATE_JWK),
    issuer: env.PORTAL_URL,
    audience: env.N8N_URL,
  });
  return createPortalLoginRoute({ signer, n8nUrl: env.N8N_URL, authenticate: (r) => portalUser(r, env) });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== '/n8n-login') return new Response(null, { status: 404 });
    openN8n ??= routeFor(env);
    return (await openN8n)(request);
  },
};

// Your portal's session check goes here. This demo looks the portal_session cookie up in DEMO_SESSIONS
// ({"<session id>": {"sub": "…", "email": "…", "emailVerified": true}}).
function portalUser(request: Request, env: Env): LoginUser | null {
  const sessions: Record<string, LoginUser> = JSON.parse(env.DEMO_SESSIONS ?? '{}');
  const id = /(?:^|;\s*)portal_session=([\w-]{16,128})(?:;|$)/.exec(request.headers.get('cookie') ?? '')?.[1];
  return id !== undefined && Object.hasOwn(sessions, id) ? (sessions[id] ?? null) : null;
}
