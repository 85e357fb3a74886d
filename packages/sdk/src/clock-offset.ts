import { configError } from '@n8n-embed/protocol';
import { basePathOf, loginEndpoint } from './login-endpoint.js';

export interface ClockOffsetOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** Wall clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** How long to wait for n8n's answer. Default 5000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Seconds to add to this machine's clock to get n8n's, from the `Date` header of one request to
 * n8n (whole seconds; n8n allows no clock leeway, so a portal whose clock runs ahead mints tokens
 * n8n may see as not yet valid, and one behind loses part of the lifetime). Pass the result as the
 * signer's `clockOffsetSeconds`, and measure again now and then.
 */
export async function measureClockOffset(
  n8nUrl: string | URL,
  options: ClockOffsetOptions = {},
): Promise<number> {
  const endpoint = loginEndpoint(n8nUrl);
  const fetcher = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sent = now();
  const target = new URL(basePathOf(endpoint), endpoint);
  let response: Response;
  try {
    response = await fetcher(target, {
      method: 'HEAD',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (cause) {
    // fetch rejects with a bare TypeError ("fetch failed"); say which URL and why, typed.
    const why = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).name;
    throw configError(`measureClockOffset: no answer from ${target.origin} (${why})`, cause);
  }
  const received = now();
  await response.body?.cancel();
  const date = response.headers.get('date');
  const server = date === null ? Number.NaN : Date.parse(date);
  if (!Number.isFinite(server))
    throw configError('measureClockOffset: n8n answered without a usable Date header');
  // The header truncates to the second: n8n's clock was somewhere in [server, server + 1000) when it
  // answered, which we place at the middle of the round trip.
  return Math.round((server + 500 - (sent + received) / 2) / 1000);
}
