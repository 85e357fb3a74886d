import { measureClockOffset } from '@n8n-embed/sdk';
import { type Check, check, shown } from './check.js';
import { clockCheck } from './clock-check.js';
import { framingCheck } from './framing.js';
import { type ProbeAnswer, ProbeFailure, type Prober } from './http-probe.js';

export interface BaseFindings {
  readonly checks: Check[];
  readonly reachable: boolean;
  /** The TLS error of the first request, if that is why it failed. */
  readonly tlsFailure?: string;
  readonly version?: string;
}

const SENTRY_META = /<meta name="n8n:config:sentry" content="([A-Za-z0-9+/=]{1,2000})"/;

/**
 * n8n's version from its editor page: n8n 2.x writes its front-end config into `<meta>` tags, the
 * Sentry one as base64 JSON with `release: "n8n@2.41.1"` (its public `/rest/settings` no longer
 * carries `versionCli` before sign-in).
 */
export function versionOfPage(html: string): string | undefined {
  const encoded = SENTRY_META.exec(html)?.[1];
  if (encoded === undefined) return undefined;
  try {
    const release = (JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { release?: unknown })
      .release;
    const match =
      typeof release === 'string' ? /^n8n@(\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[\w.]{1,32})?)$/.exec(release) : null;
    return match?.[1];
  } catch {
    return undefined;
  }
}

/**
 * One GET of n8n's base URL, the page a portal frames, gives reachability, the version, the framing
 * headers (n8n sends them on its pages, not on a HEAD) and n8n's clock (the SDK's `measureClockOffset`,
 * the rule the signer uses: its HEAD is sent as this GET).
 */
export async function baseChecks(
  prober: Prober,
  context: { readonly portal: URL | undefined; readonly now: () => number },
): Promise<BaseFindings> {
  let page: ProbeAnswer | undefined;
  let failure: ProbeFailure | undefined;
  let offset: number | undefined;
  // measureClockOffset builds its own URL and refuses plain http off loopback; its request goes
  // through the prober (same base URL, timeout and request cap) whatever the scheme, so hand it a
  // stand-in https URL: the doctor reports plain http in its TLS line, not as a crash here.
  const measureUrl = new URL(prober.baseUrl);
  measureUrl.protocol = 'https:';
  try {
    offset = await measureClockOffset(measureUrl, {
      now: context.now,
      fetch: async () => {
        // Kept here: measureClockOffset may wrap what its fetch throws.
        page = await prober.request('/', { headers: { accept: 'text/html' } }).catch((error: unknown) => {
          if (error instanceof ProbeFailure) failure = error;
          throw error;
        });
        return new Response(null, { status: Math.max(page.status, 200), headers: page.headers });
      },
    });
  } catch (error) {
    // No answer (`failure`) is a finding; an answer without a usable Date leaves the clock unmeasured.
    if (failure === undefined && page === undefined) throw error;
  }
  if (page === undefined) {
    const reason = failure?.message ?? 'no answer';
    return {
      checks: [
        check(
          'reachable',
          'fail',
          `${prober.baseUrl.href}: ${shown(reason)}`,
          failure?.tls
            ? undefined
            : 'check the URL, that n8n runs, and that this machine can reach it (DNS, firewall)',
        ),
      ],
      reachable: false,
      ...(failure?.tls ? { tlsFailure: failure.message } : {}),
    };
  }
  const version = versionOfPage(page.body);
  const location = page.headers.get('location');
  const reachable =
    page.status >= 300 && page.status < 400
      ? // A redirect's headers say nothing about the page a portal frames: check the URL it leads to.
        check(
          'reachable',
          'warn',
          `GET ${prober.baseUrl.pathname} answered ${page.status} to ${shown(location ?? 'nowhere')}: the framing seen here is the redirect's`,
          'pass the URL users end up at as --n8n-url',
        )
      : check(
          'reachable',
          page.status >= 500 ? 'fail' : 'pass',
          `GET ${prober.baseUrl.pathname} answered ${page.status}${version ? `, n8n ${version}` : ' (not an n8n page that tells its version)'}`,
        );
  const checks = [
    reachable,
    offset === undefined
      ? check('clock', 'warn', 'not measured: n8n answered without a usable Date header')
      : clockCheck(offset),
    framingCheck(page.headers, prober.baseUrl, context.portal),
  ];
  return { checks, reachable: true, ...(version ? { version } : {}) };
}
