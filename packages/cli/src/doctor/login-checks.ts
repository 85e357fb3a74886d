import { randomUUID } from 'node:crypto';
import { MAX_LIFETIME_SECONDS, REASONS, TOKEN_TYPE } from '@n8n-embed/protocol';
import { type Check, check, shown } from './check.js';
import { cookieCheck } from './cookie-check.js';
import type { Prober } from './http-probe.js';
import { cookiePair, type LoginAnswer, postLogin, type TestSubject } from './login-request.js';
import type { TestKey } from './test-key.js';

interface LoginContext {
  readonly prober: Prober;
  readonly key: TestKey;
  readonly subject: TestSubject;
  readonly portal: URL | undefined;
  readonly now: () => number;
}

const WRONG_AUDIENCE = 'https://wrong-audience.n8n-embed.invalid/';

function refusal(login: LoginAnswer): string {
  return `${login.answer.status}${login.message !== undefined ? ` "${shown(login.message)}"` : ''}`;
}

/** A token no signer would mint (lifetime, audience), signed with the key, for the test subject. */
function rawToken(context: LoginContext, claims: Record<string, unknown>): string {
  const iat = Math.floor(context.now() / 1000);
  const { key, subject } = context;
  return key.signRaw(
    JSON.stringify({ alg: key.alg, kid: key.kid, typ: TOKEN_TYPE }),
    JSON.stringify({
      iss: key.issuer,
      sub: subject.sub,
      aud: key.audience,
      iat,
      exp: iat + 30,
      jti: `doctor-${randomUUID()}`,
      email: subject.email,
      email_verified: true,
      ...claims,
    }),
  );
}

/** The verdict on the key from a refusal: unknown kid, origin, or a check after the key lookup. */
function kidCheck(context: LoginContext, login: LoginAnswer, expected: string): Check | undefined {
  const { key } = context;
  if (login.message === REASONS.unknown_kid.message)
    return check(
      'kid',
      'fail',
      `kid ${shown(key.kid)} is not trusted for issuer ${shown(key.issuer)}`,
      `add the key to n8n's N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: n8n-embed keys trusted-config --public-key <${key.kid}.public.jwk> --issuer ${key.issuer} --audience ${key.audience} --merge trusted-keys.json`,
    );
  if (
    login.answer.status === REASONS.origin_rejected.status &&
    login.message === REASONS.origin_rejected.message
  )
    return check(
      'kid',
      'fail',
      `the login was refused for its origin (${shown(context.portal?.origin ?? 'none sent')})`,
      context.portal
        ? `add ${context.portal.origin} to N8N_EMBED_PORTAL_ORIGINS on n8n`
        : 'pass --portal-origin (the endpoint judges browser logins by their origin)',
    );
  if (login.message === REASONS.bad_signature.message && expected !== REASONS.bad_signature.message)
    return check(
      'kid',
      'fail',
      `kid ${shown(key.kid)} is known but the token fails verification (signature, algorithm, issuer, audience or time)`,
      `the entry's issuer must be exactly ${key.issuer}, its expectedAudience exactly ${key.audience}, its algorithms include ${key.alg}, and --key must be the private half of its key`,
    );
  return undefined;
}

/**
 * Without --login: one token that cannot sign anybody in on a working endpoint (a 61 s lifetime,
 * refused only after the key, signature, issuer and audience passed) tells whether the kid is trusted.
 */
export async function kidProbe(context: LoginContext): Promise<Check[]> {
  const iat = Math.floor(context.now() / 1000);
  const token = rawToken(context, { exp: iat + MAX_LIFETIME_SECONDS + 1 });
  const login = await postLogin(context.prober, token, {
    ...(context.portal ? { origin: context.portal.origin } : {}),
  });
  const expected = REASONS.lifetime_exceeded.message;
  if (login.accepted)
    return [
      check(
        'kid',
        'fail',
        `a token living ${MAX_LIFETIME_SECONDS + 1} s signed the test subject in: the endpoint does not cap the lifetime`,
        'run n8n-embed conformance against it; use n8n\u2019s module or the n8n-embed adapter',
      ),
    ];
  if (login.message === expected)
    return [
      check(
        'kid',
        'pass',
        `kid ${shown(context.key.kid)} is trusted for ${shown(context.key.issuer)}: signature, issuer and audience accepted (a 61 s token was then refused, as it must be)`,
      ),
    ];
  return [
    kidCheck(context, login, expected) ??
      check('kid', 'warn', `a 61 s token was refused with ${refusal(login)}, not "${expected}"`),
  ];
}

/**
 * With --login: signs the test subject in with a fresh token, checks the cookie's attributes and
 * that the session works, then that the same token again and a token for another audience are refused.
 */
export async function loginChecks(context: LoginContext): Promise<Check[]> {
  const { prober, key, subject, portal } = context;
  const origin = portal ? { origin: portal.origin } : {};
  const token = await key.signer.mint({ sub: subject.sub, email: subject.email, emailVerified: true });
  const login = await postLogin(prober, token, origin);
  if (!login.accepted || login.sessionCookie === undefined) {
    const kid = kidCheck(context, login, '');
    const failed = check(
      'login',
      'fail',
      `the test subject ${shown(subject.sub)} was not signed in: ${login.accepted ? `${login.answer.status} without an n8n-auth cookie` : refusal(login)}`,
    );
    return kid ? [kid, failed] : [failed];
  }
  const checks: Check[] = [
    check('kid', 'pass', `kid ${shown(key.kid)} is trusted for ${shown(key.issuer)}`),
    check(
      'login',
      'pass',
      `signed in the test subject ${shown(subject.sub)} (${login.answer.status} to ${shown(login.answer.headers.get('location') ?? 'nowhere')})`,
    ),
    cookieCheck(login.sessionCookie, prober.baseUrl, portal),
  ];
  const session = await prober.request('/rest/login', {
    headers: { cookie: cookiePair(login.sessionCookie) },
  });
  checks.push(
    session.status === 200
      ? check('session', 'pass', 'the cookie signs in: GET /rest/login answered 200')
      : check('session', 'fail', `the cookie does not sign in: GET /rest/login answered ${session.status}`),
  );
  const replay = await postLogin(prober, token, origin);
  checks.push(
    replay.accepted
      ? check(
          'replay',
          'fail',
          'the same token signed in a second time: used tokens are not remembered',
          'give the endpoint a working replay store (N8N_EMBED_REPLAY_STORE; n8n\u2019s module keeps used jti itself)',
        )
      : replay.message === REASONS.replayed.message
        ? check('replay', 'pass', `the same token again is refused (${refusal(replay)})`)
        : check('replay', 'warn', `the same token again is refused, but with ${refusal(replay)}`),
  );
  const wrong = await postLogin(prober, rawToken(context, { aud: WRONG_AUDIENCE }), origin);
  checks.push(
    wrong.accepted
      ? check(
          'audience',
          'fail',
          'a token for another audience signed in: the audience is not checked',
          `set "expectedAudience": "${key.audience}" on the key's entry (n8n skips the check without it)`,
        )
      : wrong.message === REASONS.audience_mismatch.message
        ? check('audience', 'pass', `a token for another audience is refused (${refusal(wrong)})`)
        : check('audience', 'warn', `a token for another audience is refused, but with ${refusal(wrong)}`),
  );
  return checks;
}
