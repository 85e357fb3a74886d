import { checkedRedirectTo, checkToken, loginEndpoint } from './login-endpoint.js';

export interface LoginUrlOptions {
  /** The n8n instance, with its base path if it has one: `https://example.com/n8n/`. */
  readonly n8nUrl: string | URL;
  readonly token: string;
  /** A path inside n8n to land on, e.g. `/workflow/1`. Checked with the endpoint's own rule. */
  readonly redirectTo?: string;
}

/**
 * The `GET /rest/auth/embed?token=…` URL, for an iframe `src` or a top-level redirect. The token
 * ends up in the URL (logs, history); prefer `renderLoginForm` where you can.
 */
export function buildLoginUrl({ n8nUrl, token, redirectTo }: LoginUrlOptions): string {
  const url = loginEndpoint(n8nUrl);
  const params = new URLSearchParams({ token: checkToken(token) });
  const target = checkedRedirectTo(redirectTo, url);
  if (target !== undefined) params.set('redirectTo', target);
  url.search = params.toString();
  return url.toString();
}
