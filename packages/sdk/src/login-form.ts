import { configError } from '@n8n-embed/protocol';
import { checkedRedirectTo, checkToken, loginEndpoint } from './login-endpoint.js';

export interface LoginFormOptions {
  readonly n8nUrl: string | URL;
  readonly token: string;
  readonly redirectTo?: string;
  /** The CSP nonce of this response, if the page runs under `script-src 'nonce-…'`. */
  readonly nonce?: string;
}

export interface LoginFormResponse {
  readonly status: 200;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * An auto-submitting POST form to n8n's embed-login endpoint: the default delivery, since the token
 * never appears in a URL. Every value is HTML-escaped; the one script carries the CSP nonce when one
 * is given, and without JavaScript the user presses the button.
 */
export function renderLoginForm({ n8nUrl, token, redirectTo, nonce }: LoginFormOptions): LoginFormResponse {
  const action = loginEndpoint(n8nUrl).toString();
  const target = checkedRedirectTo(redirectTo, new URL(action));
  if (nonce !== undefined && !/^[A-Za-z0-9+/_=-]{1,256}$/.test(nonce)) {
    throw configError('nonce: must be a base64 value');
  }
  const fields = [`<input type="hidden" name="token" value="${escapeHtml(checkToken(token))}">`];
  if (target !== undefined)
    fields.push(`<input type="hidden" name="redirectTo" value="${escapeHtml(target)}">`);
  const nonceAttribute = nonce === undefined ? '' : ` nonce="${escapeHtml(nonce)}"`;
  const body = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="strict-origin"><title>Signing in to n8n…</title></head>
<body>
<form id="n8n-embed-login" method="post" action="${escapeHtml(action)}">
${fields.join('\n')}
<noscript><button type="submit">Continue to n8n</button></noscript>
</form>
<script${nonceAttribute}>document.getElementById('n8n-embed-login').submit();</script>
</body></html>
`;
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // The endpoint needs the portal's origin (`Origin` on the POST); never a path or query.
      'Referrer-Policy': 'strict-origin',
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  };
}
