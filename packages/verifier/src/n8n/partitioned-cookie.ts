import type { NodeResponseLike } from '@n8n-embed/node-http';
import { SESSION_COOKIE_NAME } from '@n8n-embed/protocol';

// Issue 14, strategy 2: n8n's AuthService.issueCookie takes only `sameSite` and `secure` as overrides
// (n8n 2.41.1) and never sets `Partitioned`, so the adapter adds the attribute to the session cookie
// n8n has just written on the response. A partitioned cookie is kept per top-level site, which lets
// Chromium keep it inside a cross-site portal's frame with third-party cookies blocked. n8n's own
// later re-issue near expiry does not pass through here: the reverse-proxy examples rewrite that one.

const PARTITIONED = /;\s*partitioned\s*(;|$)/i;

/** Adds `; Partitioned` to the `n8n-auth` cookies already set on `res` (once; other cookies untouched). */
export function partitionSessionCookie(res: Pick<NodeResponseLike, 'getHeader' | 'setHeader'>): void {
  const header = res.getHeader('Set-Cookie');
  if (header === undefined) return;
  const cookies = (Array.isArray(header) ? header : [String(header)]).map((cookie) =>
    cookie.startsWith(`${SESSION_COOKIE_NAME}=`) && !PARTITIONED.test(cookie)
      ? `${cookie}; Partitioned`
      : cookie,
  );
  res.setHeader('Set-Cookie', cookies);
}
