import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPortalLoginRoute, type LoginSigner } from '@n8n-embed/sdk';
import { toNodeHandler } from '@n8n-embed/sdk/node';
import { dashboardPage, signInPage } from './pages.js';
import { createSessions } from './sessions.js';
import { DEMO_USERS } from './users.js';

export interface PortalOptions {
  readonly signer: LoginSigner;
  readonly n8nUrl: string;
  readonly port?: number;
  readonly host?: string;
}

const html = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } });
const redirect = (location: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { Location: location, ...headers } });

/** The portal as a Web handler: sign-in, dashboard, and the two n8n login routes. */
export function createPortalHandler({
  signer,
  n8nUrl,
}: PortalOptions): (request: Request) => Promise<Response> {
  const sessions = createSessions();
  const authenticate = (request: Request) => DEMO_USERS[sessions.userOf(request) ?? ''] ?? null;
  // Inside the iframe: the auto-submitting form (no token in any URL).
  const frameLogin = createPortalLoginRoute({ signer, n8nUrl, authenticate });
  // "Open n8n" in the whole window: a redirect, as a plain link needs.
  const openLogin = createPortalLoginRoute({ signer, n8nUrl, authenticate, delivery: 'redirect' });
  const frameSource = new URL(n8nUrl).origin;

  return async (request) => {
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
    if (pathname === '/n8n/login') return frameLogin(request);
    if (pathname === '/n8n/open') return openLogin(request);
    if (pathname === '/dashboard' && user) {
      return html(dashboardPage(user, n8nUrl), {
        'Content-Security-Policy': `frame-src 'self' ${frameSource}`,
      });
    }
    if (pathname === '/' || pathname === '/dashboard')
      return user ? redirect('/dashboard') : html(signInPage());
    return new Response('Not found', { status: 404 });
  };
}

/** Starts the portal on 127.0.0.1. */
export async function startPortal(options: PortalOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(toNodeHandler(createPortalHandler(options)));
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
