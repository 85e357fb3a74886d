import { normaliseOrigin } from '@n8n-embed/protocol';
import { CliError, type CliIo } from '../io.js';
import type { CommandRun } from '../program.js';
import { baseChecks } from './base-checks.js';
import { type Check, check, renderChecks } from './check.js';
import { endpointCheck } from './endpoint-check.js';
import { createProber, routeOf } from './http-probe.js';
import { kidProbe, loginChecks } from './login-checks.js';
import { DEFAULT_TEST_SUBJECT } from './login-request.js';
import { sameSiteCheck } from './same-site.js';
import { type KeyOptions, loadTestKey, type TestKey } from './test-key.js';
import { tlsCheck } from './tls-check.js';
import { trustedKeysChecks } from './trusted-keys-check.js';

export interface DoctorOptions extends Partial<KeyOptions> {
  readonly n8nUrl: string;
  readonly portalOrigin?: string;
  readonly login?: boolean;
  readonly testSub?: string;
  readonly testEmail?: string;
  readonly trustedKeys?: string;
  readonly timeout: number;
  readonly connectTo?: string;
  readonly caFile?: string;
  readonly json?: boolean;
}

/** The doctor's promise: never more than this many HTTP requests (plus one TLS handshake). */
export const MAX_DOCTOR_REQUESTS = 7;

export interface DoctorReport {
  readonly n8nUrl: string;
  readonly portalOrigin: string | null;
  readonly requests: number;
  readonly checks: readonly Check[];
  readonly summary: { readonly pass: number; readonly warn: number; readonly fail: number };
}

/** An http(s) base URL, normalised to end in `/` (its path prefix kept). */
export function baseUrlOf(value: string, flag: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    throw new CliError(
      `${flag}: ${JSON.stringify(value.slice(0, 200))} is not an http(s) URL like https://n8n.example.com/`,
      2,
    );
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function portalOf(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(normaliseOrigin(value, '--portal-origin'));
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
}

export async function runDoctor(options: DoctorOptions, io: CliIo): Promise<DoctorReport> {
  const n8nUrl = baseUrlOf(options.n8nUrl, '--n8n-url');
  const portal = portalOf(options.portalOrigin);
  if (options.login && options.key === undefined)
    throw new CliError('--login: needs --key (with --issuer and --audience)', 2);
  const key: TestKey | undefined = options.key
    ? await loadTestKey(io, { ...options, key: options.key, audience: options.audience ?? n8nUrl.href })
    : undefined;
  const route = await routeOf(io, options);
  const prober = createProber({
    baseUrl: n8nUrl,
    timeoutMs: options.timeout,
    maxRequests: MAX_DOCTOR_REQUESTS,
    route,
  });
  const checks: Check[] = [];
  const base = await baseChecks(prober, { portal, now: io.now });
  checks.push(
    ...base.checks.slice(0, 1),
    await tlsCheck(n8nUrl, {
      timeoutMs: options.timeout,
      now: io.now(),
      ...(base.tlsFailure ? { failure: base.tlsFailure } : {}),
      route,
    }),
    ...base.checks.slice(1),
  );
  if (base.reachable) {
    checks.push(sameSiteCheck(n8nUrl, portal));
    const endpoint = await endpointCheck(prober, { version: base.version, portalOrigin: portal?.origin });
    checks.push(...endpoint.checks);
    if (key !== undefined && endpoint.checks[0]?.status === 'pass') {
      const subject = {
        sub: options.testSub ?? DEFAULT_TEST_SUBJECT.sub,
        email: options.testEmail ?? DEFAULT_TEST_SUBJECT.email,
      };
      const context = { prober, key, subject, portal, now: io.now };
      checks.push(...(options.login ? await loginChecks(context) : await kidProbe(context)));
      if (!options.login)
        checks.push(
          check(
            'login',
            'warn',
            'not tried: add --login to sign in the test subject and check the cookie, replay and audience',
          ),
        );
    } else if (key === undefined) {
      checks.push(
        check(
          'login',
          'warn',
          'not tried: pass --key, --kid, --issuer, --audience (and --login) to test a real login',
        ),
      );
    }
  }
  if (options.trustedKeys !== undefined)
    checks.push(...(await trustedKeysChecks(io, options.trustedKeys, key)));
  const count = (status: Check['status']) => checks.filter((item) => item.status === status).length;
  return {
    n8nUrl: n8nUrl.href,
    portalOrigin: portal?.origin ?? null,
    requests: prober.sent,
    checks,
    summary: { pass: count('pass'), warn: count('warn'), fail: count('fail') },
  };
}

export function renderDoctor(report: DoctorReport, color: boolean): string {
  const portal = report.portalOrigin ? `, portal ${report.portalOrigin}` : '';
  return `n8n-embed doctor: ${report.n8nUrl}${portal} (${report.requests} requests)\n${renderChecks(report.checks, color)}`;
}

/** The command's entry (loaded lazily by `commands/doctor.ts`). */
export const run: CommandRun<DoctorOptions> = async (options, io) => {
  const report = await runDoctor(options, io);
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report, io.color));
  return report.summary.fail > 0 ? 1 : 0;
};
