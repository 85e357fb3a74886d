import {
  fromWebRequest,
  type LiteRequest,
  type LiteResponse,
  toWebResponse,
  withLiteHandler,
} from '@n8n-embed/node-http';
import {
  configError,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  displayText,
  EmbedLoginError,
  isEmbedLoginError,
  normaliseOrigin,
  sha256Hex,
} from '@n8n-embed/protocol';
import { readCapped } from '../internal/read-capped.js';
import type { VerifiedToken, Verifier } from '../types.js';
import { clientKey, DEFAULT_IPV6_PREFIX_LENGTH } from './client-key.js';
import {
  type EmbedHandshake,
  embedHandshakeOf,
  handshakeFailure,
  handshakeSuccess,
} from './embed-handshake.js';
import type { EmbedLoginEvent } from './events.js';
import { locationCache } from './location-cache.js';
import { LoginContext } from './login-context.js';
import { checkOrigin, type PortalOrigins } from './origin-check.js';
import { createRateLimiter } from './rate-limiter.js';
import { queryOf, readLoginRequest } from './read-login-request.js';

/** What the host adapter knows about the request besides the `Request` itself. */
export interface EmbedRequestContext {
  /** The request (through `toNodeHandler`, built when first read; its body has been read). */
  readonly request: Request;
  readonly clientAddress?: string;
  /** The host's native request objects (e.g. `{ req, res }` from `toNodeHandler`). */
  readonly native?: unknown;
}

export interface EmbedSessionContext extends EmbedRequestContext {
  /**
   * The response's headers: append the session's `Set-Cookie` here. Empty at first; what the host sets
   * is added to the answer over the endpoint's own headers.
   */
  readonly headers: Headers;
  readonly token: VerifiedToken;
}

export interface EmbedLoginHandlerOptions<User> {
  readonly verifier: Verifier;
  /** The host's user for a verified token (see `createIdentityResolver`). Throw `user_rejected` to refuse. */
  resolveUser(token: VerifiedToken, context: EmbedRequestContext): Promise<User>;
  /** Starts the host's session for the user. */
  issueSession(user: User, context: EmbedSessionContext): Promise<void> | void;
  /**
   * The n8n instance's public URL (with its path prefix, if any): redirects stay under it. The same
   * name and meaning as the SDK's `n8nUrl`.
   */
  readonly n8nUrl?: string;
  /** @deprecated The old name of `n8nUrl`. */
  readonly baseUrl?: string;
  /**
   * The origins of the portal pages that start logins (login CSRF, security.md rule 18): browser
   * requests from anywhere else are refused. Required with a `strict` verifier; `'any'` is the
   * explicit opt-out (any site can then sign a browser in to an account of its choosing), warned
   * about at creation. Without it, a `n8n`-profile endpoint accepts any origin, as n8n does.
   */
  readonly portalOrigins?: readonly string[] | 'any';
  /** `false` refuses `GET ?token=` logins (405): only the POST form, judged by `Origin`, remains. */
  readonly allowGet?: boolean;
  /**
   * Per client and minute; default 20 like n8n. IPv6 clients are counted per /64
   * (`ipv6PrefixLength`). A request without a client address is not counted: a shared bucket would
   * let 20 junk requests lock every user out, so a host that cannot tell addresses apart limits
   * upstream. `false` when a proxy already limits.
   */
  readonly rateLimit?: { readonly perMinute?: number; readonly ipv6PrefixLength?: number } | false;
  /** Audit hook: one event per request. Never receives the token; its text fields are escaped. */
  onEvent?(event: EmbedLoginEvent): void;
  /** Configuration warnings (e.g. `portalOrigins: 'any'`). Default `console.warn`. */
  warn?(message: string): void;
  /** Wall clock in ms, for the rate limit. Default `Date.now`. */
  readonly now?: () => number;
}

export type EmbedLoginHandler = (
  request: Request,
  context?: { readonly clientAddress?: string; readonly native?: unknown },
) => Promise<Response>;

const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;
const JSON_ANSWER = { ...PRIVATE, 'content-type': 'application/json' } as const;

function baseOf(n8nUrl: string | undefined): URL {
  const base = n8nUrl !== undefined && URL.canParse(n8nUrl) ? new URL(n8nUrl) : undefined;
  if (base === undefined || (base.protocol !== 'https:' && base.protocol !== 'http:'))
    throw configError('n8nUrl: must be an absolute http(s) URL');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return base;
}

function portalOriginsOf<User>(options: EmbedLoginHandlerOptions<User>): PortalOrigins {
  const { portalOrigins } = options;
  if (portalOrigins === 'any') {
    // A library's one loud warning: the opt-out must not go unnoticed in a host's log.
    // biome-ignore lint/suspicious/noConsole: the default sink for a host that passes no `warn`
    (options.warn ?? console.warn)(
      "n8n-embed: portalOrigins is 'any': any website can sign a visitor's browser in to n8n with a token of its choosing (login CSRF). List the portal origins instead.",
    );
    return 'any';
  }
  if (portalOrigins === undefined) {
    if (options.verifier.profile === 'n8n') return 'any';
    throw configError(
      "portalOrigins: required with a strict verifier (the portal origins that start logins, or 'any' to accept logins started by any site)",
    );
  }
  if (!Array.isArray(portalOrigins) || portalOrigins.length === 0)
    throw configError("portalOrigins: list at least one origin, or 'any'");
  return new Set(portalOrigins.map((origin, index) => normaliseOrigin(origin, `portalOrigins[${index}]`)));
}

/** First 16 hex characters of SHA-256(`jti`), for the audit event. */
async function jtiHash(jti: string): Promise<string> {
  return (await sha256Hex(jti)).slice(0, 16);
}

/**
 * Whatever a host callback throws that is not ours (its database is down, a query failed) is the
 * host's failure, not a verdict on the user: `host_unavailable` (503, retryable), never a 500 and never
 * `user_rejected`, which would tell the portal the user is forbidden.
 */
function hostFailure(step: string, cause: unknown, token: VerifiedToken): EmbedLoginError {
  if (isEmbedLoginError(cause)) return cause;
  return new EmbedLoginError('host_unavailable', {
    detail: `${step} failed`,
    cause,
    kid: token.kid,
    issuer: token.issuer,
    n8nReason: 'internal_error',
  });
}

/**
 * n8n's `GET`/`POST /rest/auth/embed` as a Web-standard handler (contract §1, security.md rules
 * 15–19): rate limit, origin, exactly one token, verify (consuming the `jti`), resolve the user,
 * issue the session, redirect to the safe path. Failures answer n8n's `{ code, message }` JSON.
 */
export function createEmbedLoginHandler<User>(options: EmbedLoginHandlerOptions<User>): EmbedLoginHandler {
  const base = baseOf(options.n8nUrl ?? options.baseUrl);
  const locationFor = locationCache(base);
  const portalOrigins = portalOriginsOf(options);
  const allowGet = options.allowGet ?? true;
  const ipv6PrefixLength =
    (options.rateLimit !== false && options.rateLimit?.ipv6PrefixLength) || DEFAULT_IPV6_PREFIX_LENGTH;
  if (!Number.isInteger(ipv6PrefixLength) || ipv6PrefixLength < 1 || ipv6PrefixLength > 128)
    throw configError('rateLimit.ipv6PrefixLength: must be a whole number from 1 to 128');
  const limiter =
    options.rateLimit === false
      ? undefined
      : createRateLimiter(
          options.rateLimit?.perMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
          options.now ?? Date.now,
        );

  // The audit hook observes; a hook that throws must not change the answer already decided.
  function emit(event: EmbedLoginEvent): void {
    try {
      options.onEvent?.(event);
    } catch {}
  }

  async function login(
    request: LiteRequest,
    query: URLSearchParams,
    context: LoginContext,
    handshake: EmbedHandshake | undefined,
  ): Promise<LiteResponse> {
    if (limiter) {
      const client = clientKey(context.clientAddress, ipv6PrefixLength);
      if (client !== undefined && !limiter.allow(client)) throw new EmbedLoginError('rate_limited');
    }
    checkOrigin(request, portalOrigins);
    const { token, redirectTo } = await readLoginRequest(request, query);
    const verified = await options.verifier.verify(token);
    // Everything that can fail happens before the session: the Location cannot fail (any input gives
    // a URL under the base URL), and after `issueSession` nothing else can throw. It is computed
    // once the token is good: a flood of refused tokens never pays for it.
    const location = locationFor(redirectTo);
    const user = await options.resolveUser(verified, context).catch((cause) => {
      throw hostFailure('resolveUser', cause, verified);
    });
    // The audit event is built before the session (nothing may fail after it), and only for a hook.
    const success: EmbedLoginEvent | undefined = options.onEvent && {
      type: 'embed-login',
      issuer: displayText(verified.issuer, 2048),
      kid: verified.kid,
      sub: displayText(verified.claims.sub, 255),
      jtiHash: await jtiHash(verified.claims.jti),
      ...(context.clientAddress ? { clientAddress: displayText(context.clientAddress) } : {}),
    };
    const session = context.forSession(verified);
    try {
      await options.issueSession(user, session);
    } catch (cause) {
      throw hostFailure('issueSession', cause, verified);
    }
    if (success) emit(success);
    // Building either answer cannot fail: `location` is a valid URL under the base URL.
    if (handshake) return handshakeSuccess(handshake, new URL(location), base.pathname, session.headers);
    return session.answer(302, { ...PRIVATE, location });
  }

  async function handle(request: LiteRequest, context: LoginContext): Promise<LiteResponse> {
    if (request.method !== 'POST' && (request.method !== 'GET' || !allowGet))
      return { status: 405, headers: { ...PRIVATE, allow: allowGet ? 'GET, POST' : 'POST' } };
    const query = queryOf(request.target);
    const handshake = embedHandshakeOf(request, query, portalOrigins === 'any' ? undefined : portalOrigins);
    try {
      return await login(request, query, context, handshake);
    } catch (caught) {
      const error = isEmbedLoginError(caught)
        ? caught
        : new EmbedLoginError('malformed', { detail: 'unexpected failure', cause: caught });
      if (options.onEvent)
        emit({
          type: 'embed-login-failed',
          reason: error.reason,
          n8nReason: error.n8nReason,
          ...(error.detail ? { detail: displayText(error.detail, 200) } : {}),
          ...(error.issuer ? { issuer: displayText(error.issuer, 2048) } : {}),
          ...(error.kid ? { kid: displayText(error.kid, 128) } : {}),
          ...(context.clientAddress ? { clientAddress: displayText(context.clientAddress) } : {}),
        });
      if (handshake) return handshakeFailure(handshake, error, new Headers(PRIVATE));
      return { status: error.status, headers: JSON_ANSWER, body: JSON.stringify(error.toJSON()) };
    }
  }

  // One handler, two entries: the Web one, and the lite one `toNodeHandler` takes (no Web objects).
  const web: EmbedLoginHandler = async (request, hostContext = {}) => {
    const lite = fromWebRequest(request, readCapped);
    return toWebResponse(await handle(lite, new LoginContext(hostContext, lite, request)));
  };
  return withLiteHandler(web, (request, hostContext) =>
    handle(request, new LoginContext(hostContext, request)),
  );
}
