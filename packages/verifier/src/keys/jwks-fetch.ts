import { configError, isLoopbackHost } from '@n8n-embed/protocol';
import { readCapped } from '../internal/read-capped.js';

/** Fetches a JWKS document with a timeout and a size cap, and reads its cache lifetime. */
export interface JwksResponse {
  readonly body: unknown;
  /** `Cache-Control: max-age` in seconds, when the response carries one. */
  readonly maxAge: number | undefined;
}

/** https only; http only on loopback and only when the development flag allows it. */
export function assertFetchableUrl(url: string, allowHttpLoopback: boolean): URL {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && allowHttpLoopback && isLoopbackHost(parsed.hostname)) return parsed;
  throw configError(
    `JWKS URL must be https (http is allowed on loopback with jwks.allowHttpLoopback): ${parsed.origin}`,
  );
}

function maxAgeOf(header: string | null): number | undefined {
  const match = header?.match(/(?:^|,)\s*max-age\s*=\s*(\d+)/i);
  return match ? Number(match[1]) : undefined;
}

export async function fetchJwks(
  url: URL,
  { fetch, timeoutMs, maxBytes }: { fetch: typeof globalThis.fetch; timeoutMs: number; maxBytes: number },
): Promise<JwksResponse> {
  // Redirects are never followed. `manual`, not `error`: workerd (Cloudflare Workers) refuses
  // `redirect: 'error'` outright, which failed every remote JWKS there. A redirect is then a 3xx (an
  // opaque 0 in browsers), which is not `ok`, and is refused like any other failed fetch.
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`JWKS answered ${response.status}`);
  }
  if (response.body === null) throw new Error('JWKS answered without a body');
  const bytes = await readCapped(response.body, maxBytes);
  if (bytes === undefined) throw new Error(`JWKS larger than ${maxBytes} bytes`);
  const body: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  return { body, maxAge: maxAgeOf(response.headers.get('cache-control')) };
}
