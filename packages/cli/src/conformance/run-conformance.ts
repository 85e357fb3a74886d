import type { Profile } from '@n8n-embed/protocol';
import { shown } from '../doctor/check.js';
import { createProber, type ProbeAnswer, ProbeFailure, routeOf } from '../doctor/http-probe.js';
import { DEFAULT_TEST_SUBJECT, loginAnswerOf } from '../doctor/login-request.js';
import { baseUrlOf, portalOf } from '../doctor/run-doctor.js';
import { type KeyOptions, loadTestKey } from '../doctor/test-key.js';
import type { CliIo } from '../io.js';
import type { CommandRun } from '../program.js';
import { type CaseGroup, type CaseRequest, conformanceCases } from './cases.js';
import { createOracle, type Outcome } from './oracle.js';
import { type CaseStatus, describeOutcome, verdictOf } from './verdict.js';

export interface ConformanceOptions extends KeyOptions {
  readonly n8nUrl: string;
  readonly portalOrigin?: string;
  readonly profile: Profile;
  readonly allowLogin?: boolean;
  readonly testSub?: string;
  readonly testEmail?: string;
  readonly timeout: number;
  readonly connectTo?: string;
  readonly caFile?: string;
  readonly json?: boolean;
}

export interface CaseResult {
  readonly name: string;
  readonly group: CaseGroup;
  readonly status: CaseStatus;
  readonly expected: Outcome | null;
  readonly actual: Outcome | null;
  readonly note: string;
}

export interface ConformanceReport {
  readonly n8nUrl: string;
  readonly profile: Profile;
  readonly requests: number;
  readonly cases: readonly CaseResult[];
  readonly summary: Readonly<Record<CaseStatus, number>>;
  /** The names of the cases that failed: the endpoint's holes. */
  readonly holes: readonly string[];
}

/** How long a client's rate-limit window lasts at n8n and the adapter (each starts at its first request). */
const RATE_WINDOW_MS = 61_000;

/** The live answer, its server-sent text escaped and bounded here: `--json` prints it too. */
function outcomeOf(answer: ProbeAnswer): Outcome {
  const login = loginAnswerOf(answer);
  const location = answer.headers.get('location');
  return {
    status: answer.status,
    ...(login.message !== undefined ? { message: shown(login.message, 200) } : {}),
    accepted: login.accepted,
    ...(location !== null ? { location: shown(location, 2100) } : {}),
  };
}

export async function runConformance(
  options: ConformanceOptions,
  io: CliIo,
  timers: { readonly sleep?: (ms: number) => Promise<void> } = {},
): Promise<ConformanceReport> {
  const baseUrl = baseUrlOf(options.n8nUrl, '--n8n-url');
  const portal = portalOf(options.portalOrigin);
  const key = await loadTestKey(io, { ...options, audience: options.audience ?? baseUrl.href });
  const subject = {
    sub: options.testSub ?? DEFAULT_TEST_SUBJECT.sub,
    email: options.testEmail ?? DEFAULT_TEST_SUBJECT.email,
  };
  const oracle = await createOracle({
    key,
    profile: options.profile,
    baseUrl,
    portalOrigin: portal?.origin,
    now: io.now,
  });
  const prober = createProber({
    baseUrl,
    timeoutMs: options.timeout,
    maxRequests: 1000,
    route: await routeOf(io, options),
  });
  const sleep = timers.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  let windowStart: number | undefined;

  // n8n and the adapter allow 20 logins a minute per address: on a 429, wait for this client's window
  // to end (it started at the first request after the last wait) and send the case again.
  async function send(request: CaseRequest): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      windowStart ??= io.now();
      let answer: ProbeAnswer;
      try {
        answer = await prober.request(request.path, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
      } catch (error) {
        if (!(error instanceof ProbeFailure)) throw error;
        // No answer at all (a hang, a dropped connection) to a hostile request is a failure too.
        return { status: 0, message: error.message, accepted: false };
      }
      if (answer.status !== 429 || attempt === 2) return outcomeOf(answer);
      const wait = Math.max(0, windowStart + RATE_WINDOW_MS - io.now());
      if (!options.json)
        io.stderr(`rate limited (429): waiting ${Math.ceil(wait / 1000)} s for this address's next minute\n`);
      await sleep(wait);
      windowStart = undefined;
    }
  }

  const results: CaseResult[] = [];
  for (const testCase of conformanceCases({ key, subject, now: io.now }, options.allowLogin === true)) {
    const requests = await testCase.build();
    const expected: Outcome[] = [];
    for (const request of requests) expected.push(await oracle(request));
    const last = expected.at(-1) as Outcome;
    const base = { name: testCase.name, group: testCase.group, expected: last };
    if (!options.allowLogin && expected.some((outcome) => outcome.accepted)) {
      results.push({
        ...base,
        status: 'skip',
        actual: null,
        note: 'would sign the test subject in: add --allow-login',
      });
      continue;
    }
    let actual: Outcome | undefined;
    let note: string | undefined;
    for (const [index, request] of requests.entries()) {
      actual = await send(request);
      if (index < requests.length - 1 && !actual.accepted) {
        note = `its first use was refused (${describeOutcome(actual)}): not judged`;
        break;
      }
    }
    const outcome = actual as Outcome;
    const verdict = note
      ? { status: 'warn' as const, note }
      : verdictOf(testCase.group, last, outcome, { profile: options.profile, n8nOrigin: baseUrl.origin });
    results.push({ ...base, status: verdict.status, actual: outcome, note: verdict.note });
  }
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) summary[result.status] += 1;
  return {
    n8nUrl: baseUrl.href,
    profile: options.profile,
    requests: prober.sent,
    cases: results,
    summary,
    holes: results.filter((result) => result.status === 'fail').map((result) => result.name),
  };
}

const MARKS: Readonly<Record<CaseStatus, string>> = { pass: '✔', warn: '⚠', fail: '✖', skip: '–' };

export function renderConformance(report: ConformanceReport): string {
  const width = Math.min(48, Math.max(...report.cases.map((result) => result.name.length)));
  const lines = report.cases.map(
    (result) => `${MARKS[result.status]} ${result.name.padEnd(width)}  ${result.note}`,
  );
  const { pass, warn, fail, skip } = report.summary;
  const holes = report.holes.length ? `\nholes: ${report.holes.join('; ')}` : '';
  return `n8n-embed conformance: ${report.n8nUrl}, profile ${report.profile} (${report.cases.length} cases, ${report.requests} requests)\n${lines.join('\n')}\n${pass} as expected, ${warn} warnings, ${fail} failed, ${skip} skipped${holes}\n`;
}

/** The command's entry (loaded lazily by `commands/conformance.ts`). */
export const run: CommandRun<ConformanceOptions> = async (options, io) => {
  const report = await runConformance(options, io);
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderConformance(report));
  return report.summary.fail > 0 ? 1 : 0;
};
