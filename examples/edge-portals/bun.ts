// The portal's "open n8n" route on Bun: `bun run bun.ts`, then point an iframe at /n8n-login.
import { createLoginSigner, createPortalLoginRoute, type LoginUser } from '@n8n-embed/sdk';

const env = process.env;
const signer = await createLoginSigner({
  privateKey: JSON.parse(env.N8N_EMBED_PRIVATE_JWK ?? 'null'), // from `n8n-embed keys generate`
  issuer: env.PORTAL_URL ?? '', // https://portal.example.com
  audience: env.N8N_URL ?? '', // https://n8n.example.com
});
const openN8n = createPortalLoginRoute({ signer, n8nUrl: env.N8N_URL ?? '', authenticate: portalUser });

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(env.PORT ?? 3000),
  fetch: (request) =>
    new URL(request.url).pathname === '/n8n-login' ? openN8n(request) : new Response(null, { status: 404 }),
});
console.log(`Listening on ${server.url}`);

// Your portal's session check goes here. This demo looks the portal_session cookie up in DEMO_SESSIONS
// ({"<session id>": {"sub": "…", "email": "…", "emailVerified": true}}).
function portalUser(request: Request): LoginUser | null {
  const sessions: Record<string, LoginUser> = JSON.parse(env.DEMO_SESSIONS ?? '{}');
  const id = /(?:^|;\s*)portal_session=([\w-]{16,128})(?:;|$)/.exec(request.headers.get('cookie') ?? '')?.[1];
  return id !== undefined && Object.hasOwn(sessions, id) ? (sessions[id] ?? null) : null;
}
