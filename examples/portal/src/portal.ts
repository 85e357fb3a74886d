import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPortalLoginRoute, type LoginSigner } from '@n8n-embed/sdk';
import { toNodeHandler } from '@n8n-embed/sdk/node';
import { embedScript } from './embed-script.js';
import { dashboardPage, signInPage } from './pages.js';
import { createSessions } from './sessions.js';
import { DEMO_USERS } from './users.js';

export interface PortalOptions {
  readonly signer: LoginSigner;
  readonly n8nUrl: string;
  /** What the endpoint offers the browser helper (its `signals` option); default `bridge`. */
  readonly signals?: 'bridge' | 'handshake' | 'load';
  readonly port?: number;
  readonly host?: string;
}

export interface PortalHandler {
  (request: Request): Promise<Response>;
  /** Tokens minted so far (for the dashboard's helper and "Open n8n"): one per login. */
  readonly tokensMinted: () => number;
}

const PRIVATE = { 'Cache-Control': 'no-store' } as const;
const html = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } });
const redirect = (location: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { Location: location, ...headers } });

/** The portal as a Web handler: sign-in, dashboard, the helper's token route and "Open n8n". */
export function createPortalHandler({ signer, n8nUrl, signals }: PortalOptions): PortalHandler {
  const sessions = createSessions();
  let minted = 0;
  const counted: LoginSigner = {
    ...signer,
    mint: (...args) => {
      minted += 1;
      return signer.mint(...args);
    },
  };
  const authenticate = (request: Request) => DEMO_USERS[sessions.userOf(request) ?? ''] ?? null;
  // "Open n8n" in the whole window: a redirect, as a plain link needs.
  const openLogin = createPortalLoginRoute({ signer: counted, n8nUrl, authenticate, delivery: 'redirect' });
  const n8nOrigin = new URL(n8nUrl).origin;

  const handler = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const user = sessions.userOf(request);
    if (request.method === 'POST' && pathname === '/signin') {
      const name = new URLSearchParams(await request.text()).get('user') ?? '';
      if (!DEMO_USERS[name]) return redirect('/');
      return redirect('/dashboard', { 'Set-Cookie': sessions.start(name) });
    }
    if (request.method === 'POST' && pathname === '/signout') {
      sessions.end(request);
      return redirect('/');
    }
    if (pathname === '/n8n/token') {
      // The helper's getToken: a fresh token for the signed-in user, to this portal's own pages only.
      const site = request.headers.get('sec-fetch-site');
      const profile = DEMO_USERS[user ?? ''];
      if (request.method !== 'POST' || (site !== null && site !== 'same-origin') || !profile)
        return new Response('Forbidden', { status: 403, headers: PRIVATE });
      const { label: _label, ...claims } = profile;
      return new Response(await counted.mint(claims), {
        headers: { ...PRIVATE, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    if (pathname === '/assets/n8n-embed.js') {
      return new Response(await embedScript(), {
        headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' },
      });
    }
    if (pathname === '/n8n/open') return openLogin(request);
    if (pathname === '/dashboard' && user) {
      const nonce = randomBytes(16).toString('base64');
      return html(dashboardPage(user, n8nUrl, nonce, signals), {
        ...PRIVATE,
        // The helper posts its login form to n8n and frames n8n: nothing else leaves the portal.
        'Content-Security-Policy': `default-src 'self'; script-src 'nonce-${nonce}' 'self'; style-src 'unsafe-inline'; frame-src ${n8nOrigin}; form-action 'self' ${n8nOrigin}; base-uri 'none'; frame-ancestors 'none'`,
      });
    }
    if (pathname === '/' || pathname === '/dashboard')
      return user ? redirect('/dashboard') : html(signInPage());
    return new Response('Not found', { status: 404 });
  };
  return Object.assign(handler, { tokensMinted: () => minted });
}

export interface Portal {
  readonly url: string;
  /** Tokens the portal has minted since it started. */
  tokensMinted(): number;
  close(): Promise<void>;
}

/** Starts the portal on 127.0.0.1. Rejects with the listen error (`EADDRINUSE` …). */
export async function startPortal(options: PortalOptions): Promise<Portal> {
  const handler = createPortalHandler(options);
  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    tokensMinted: handler.tokensMinted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
