import type { LiteRequest } from '@n8n-embed/node-http';
import { EmbedLoginError } from '@n8n-embed/protocol';

/**
 * Which sites may start a login (security.md rule 18): the portal origins, exactly, or `any` (an
 * explicit opt-out: any site can then log a browser in with a token of its choosing).
 */
export type PortalOrigins = ReadonlySet<string> | 'any';

const FRAME_DESTINATIONS = new Set(['document', 'iframe']);

function refuse(detail: string): EmbedLoginError {
  return new EmbedLoginError('origin_rejected', { detail });
}

function originOfReferer(referer: string | null): string | undefined {
  if (referer === null || !URL.canParse(referer)) return undefined;
  return new URL(referer).origin;
}

/**
 * Login CSRF: a login must be started by a page of the portal, or by no browser at all.
 * - A browser request (it sends `Origin` or `Sec-Fetch-Site`) must name a portal: a POST by its
 *   `Origin` (`null`, sent under `Referrer-Policy: no-referrer` or from a sandboxed frame, is no
 *   portal), a GET by its `Referer`'s origin, or be same-origin with the endpoint (`Sec-Fetch-Site`).
 *   The SDK's pages send the portal origin and never a path (`Referrer-Policy: strict-origin`).
 * - A GET that a browser marks as neither a page nor a frame load (an `<img>`, a `fetch`) is refused.
 * - A request with none of these headers comes from no browser, so no victim's cookies are at stake:
 *   it is judged by its token alone.
 */
export function checkOrigin(request: LiteRequest, portalOrigins: PortalOrigins): void {
  if (request.method === 'GET') {
    const destination = request.header('sec-fetch-dest');
    if (destination !== null && !FRAME_DESTINATIONS.has(destination))
      throw refuse('GET that is not a page or frame load');
  }
  if (portalOrigins === 'any') return;
  const site = request.header('sec-fetch-site');
  const origin = request.header('origin');
  if (request.method === 'POST') {
    if (origin !== null) {
      if (!portalOrigins.has(origin)) throw refuse('POST from an origin that is not a portal');
      return;
    }
    if (site !== null) throw refuse('browser POST without an Origin');
    return;
  }
  if (site === 'same-origin') return;
  const refererOrigin = originOfReferer(request.header('referer'));
  if (refererOrigin !== undefined && portalOrigins.has(refererOrigin)) return;
  if (site !== null || origin !== null || refererOrigin !== undefined)
    throw refuse('GET not started by a portal page');
}
