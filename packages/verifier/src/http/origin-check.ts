import { EmbedLoginError } from '@n8n-embed/protocol';

const FRAME_DESTINATIONS = new Set(['document', 'iframe']);

/**
 * Security.md rule 18, when the portal origins are configured: a POST must come from one of them
 * (a request without `Origin` is not from a browser form and is judged by its token alone), and a
 * GET that a browser marks as anything but a page or frame load (an `<img>`, a `fetch`) is refused.
 */
export function checkOrigin(request: Request, portalOrigins: ReadonlySet<string> | undefined): void {
  if (portalOrigins === undefined) return;
  if (request.method === 'POST') {
    const origin = request.headers.get('origin');
    if (origin !== null && !portalOrigins.has(origin)) {
      throw new EmbedLoginError('origin_rejected', { detail: 'POST from an origin that is not a portal' });
    }
    return;
  }
  const destination = request.headers.get('sec-fetch-dest');
  if (destination !== null && !FRAME_DESTINATIONS.has(destination)) {
    throw new EmbedLoginError('origin_rejected', { detail: `GET with Sec-Fetch-Dest ${destination}` });
  }
}

/** Normalises configured origins (`https://portal.example.com/` → `https://portal.example.com`). */
export function originSet(origins: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (origins === undefined) return undefined;
  return new Set(
    origins.map((origin) => {
      if (!URL.canParse(origin)) {
        throw new EmbedLoginError('config_invalid', { message: `portalOrigins: "${origin}" is not a URL` });
      }
      return new URL(origin).origin;
    }),
  );
}
