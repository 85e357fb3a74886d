import { isEmbedLoginError } from '@n8n-embed/protocol';
import type { LoginUser } from './claims.js';
import type { LoginSigner } from './create-login-signer.js';
import { checkedRedirectTo, loginEndpoint } from './login-endpoint.js';
import { renderLoginForm } from './login-form.js';
import { buildLoginUrl } from './login-url.js';

export interface PortalLoginRouteOptions {
  readonly signer: LoginSigner;
  readonly n8nUrl: string | URL;
  /** The portal's own session check: the signed-in user, or null (answered with 401). */
  authenticate(request: Request): LoginUser | null | Promise<LoginUser | null>;
  /** `form` (default): an auto-submitting POST, no token in any URL. `redirect`: a 302 to the GET URL. */
  readonly delivery?: 'form' | 'redirect';
}

// `strict-origin`: n8n's endpoint judges a login by the portal's origin (login CSRF), so the
// browser must send it; it never sends this page's path or query, and nothing over a downgrade.
const PRIVATE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'strict-origin' };

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...PRIVATE, 'Content-Type': 'text/plain; charset=utf-8' } });
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The portal's "open n8n" route, as a Web-standard handler: point an iframe `src` or a link at it.
 * It checks the portal session, reads `?redirectTo=`, mints a token and answers with the login form
 * (under its own strict CSP) or a redirect. A bad `redirectTo` is a 400 before anything is minted;
 * a user the claim schema refuses rejects the promise with the typed error (a portal bug to log).
 */
export function createPortalLoginRoute(
  options: PortalLoginRouteOptions,
): (request: Request) => Promise<Response> {
  const endpoint = loginEndpoint(options.n8nUrl);
  const delivery = options.delivery ?? 'form';
  return async (request) => {
    const user = await options.authenticate(request);
    if (user === null) return text(401, 'Sign in to the portal first.');
    let redirectTo: string | undefined;
    try {
      redirectTo = checkedRedirectTo(
        new URL(request.url).searchParams.get('redirectTo') ?? undefined,
        endpoint,
      );
    } catch (error) {
      if (isEmbedLoginError(error)) return text(400, error.message);
      throw error;
    }
    const token = await options.signer.mint(user);
    if (delivery === 'redirect') {
      const location = buildLoginUrl({ n8nUrl: options.n8nUrl, token, redirectTo });
      return new Response(null, { status: 302, headers: { ...PRIVATE, Location: location } });
    }
    const nonce = randomNonce();
    const form = renderLoginForm({ n8nUrl: options.n8nUrl, token, redirectTo, nonce });
    const csp = `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${endpoint.origin}; base-uri 'none'`;
    return new Response(form.body, {
      status: form.status,
      headers: { ...form.headers, 'Content-Security-Policy': csp },
    });
  };
}
