import { EMBED_LOGIN_PATH, SESSION_COOKIE_NAME } from '@n8n-embed/protocol';
import { errorMessageOf, type ProbeAnswer, type Prober } from './http-probe.js';

/** The dedicated test user doctor and conformance sign in (only with --login / --allow-login). */
export interface TestSubject {
  readonly sub: string;
  readonly email: string;
}

export const DEFAULT_TEST_SUBJECT: TestSubject = {
  sub: 'n8n-embed-test',
  email: 'n8n-embed-test@example.com',
};

export interface LoginAnswer {
  readonly answer: ProbeAnswer;
  /** n8n's error message, when refused. */
  readonly message: string | undefined;
  /** The `n8n-auth` Set-Cookie line, when a session was issued. */
  readonly sessionCookie: string | undefined;
  /** A 3xx or a session: the endpoint let the token in. */
  readonly accepted: boolean;
}

export function loginAnswerOf(answer: ProbeAnswer): LoginAnswer {
  const sessionCookie = answer.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${SESSION_COOKIE_NAME}=`) && !/^[^;]*=;/.test(line));
  return {
    answer,
    message: errorMessageOf(answer),
    sessionCookie,
    accepted: (answer.status >= 200 && answer.status < 400) || sessionCookie !== undefined,
  };
}

/** The SDK's delivery: a form POST of `token` (and `redirectTo`), from the portal's origin if known. */
export async function postLogin(
  prober: Prober,
  token: string,
  options: { readonly origin?: string; readonly redirectTo?: string } = {},
): Promise<LoginAnswer> {
  const body = new URLSearchParams({
    token,
    ...(options.redirectTo ? { redirectTo: options.redirectTo } : {}),
  });
  const answer = await prober.request(EMBED_LOGIN_PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.origin ? { origin: options.origin } : {}),
    },
    body: body.toString(),
  });
  return loginAnswerOf(answer);
}

/** The session's cookie pair (`n8n-auth=…`) for a follow-up request; never printed. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0] ?? '';
}
