import {
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  EmbedLoginError,
  isEmbedLoginError,
  safeRedirectPath,
} from '@n8n-embed/protocol';
import type { VerifiedToken, Verifier } from '../types.js';
import type { EmbedLoginEvent } from './events.js';
import { checkOrigin, originSet } from './origin-check.js';
import { createRateLimiter } from './rate-limiter.js';
import { readLoginRequest } from './read-login-request.js';

/** What the host adapter knows about the request besides the `Request` itself. */
export interface EmbedRequestContext {
  readonly request: Request;
  readonly clientAddress?: string;
  /** The host's native request objects (e.g. `{ req, res }` from `toNodeHandler`). */
  readonly native?: unknown;
}

export interface EmbedSessionContext extends EmbedRequestContext {
  /** The response's headers: append the session's `Set-Cookie` here. */
  readonly headers: Headers;
  readonly token: VerifiedToken;
}

export interface EmbedLoginHandlerOptions<User> {
  readonly verifier: Verifier;
  /** The host's user for a verified token (see `createIdentityResolver`). Throw `user_rejected` to refuse. */
  resolveUser(token: VerifiedToken, context: EmbedRequestContext): Promise<User>;
  /** Starts the host's session for the user. */
  issueSession(user: User, context: EmbedSessionContext): Promise<void> | void;
  /** The instance's public base URL (with its path prefix, if any): redirects stay under it. */
  readonly baseUrl: string;
  /** When set, POSTs from other origins and non-frame GETs are refused (security.md rule 18). */
  readonly portalOrigins?: readonly string[];
  /** Per client address and minute; default 20 like n8n. `false` when a proxy already limits. */
  readonly rateLimit?: { readonly perMinute?: number } | false;
  /** Audit hook: one event per request. Never receives the token. */
  onEvent?(event: EmbedLoginEvent): void;
  /** Wall clock in ms, for the rate limit. Default `Date.now`. */
  readonly now?: () => number;
}

export type EmbedLoginHandler = (
  request: Request,
  context?: { readonly clientAddress?: string; readonly native?: unknown },
) => Promise<Response>;

const PRIVATE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } as const;

function baseOf(baseUrl: string): URL {
  if (!URL.canParse(baseUrl))
    throw new EmbedLoginError('config_invalid', { message: 'baseUrl: must be an absolute URL' });
  const base = new URL(baseUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return base;
}

async function jtiHash(jti: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(jti)));
  return Array.from(digest.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whatever a host callback throws that is not ours becomes a refusal: the endpoint never answers 500. */
function hostFailure(step: string, cause: unknown, token: VerifiedToken): EmbedLoginError {
  if (isEmbedLoginError(cause)) return cause;
  return new EmbedLoginError('user_rejected', {
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
  const base = baseOf(options.baseUrl);
  const portalOrigins = originSet(options.portalOrigins);
  const limiter =
    options.rateLimit === false
      ? undefined
      : createRateLimiter(
          options.rateLimit?.perMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
          options.now ?? Date.now,
        );

  async function login(request: Request, context: EmbedRequestContext): Promise<Response> {
    if (limiter && !limiter.allow(context.clientAddress ?? 'unknown'))
      throw new EmbedLoginError('rate_limited');
    checkOrigin(request, portalOrigins);
    const { token, redirectTo } = await readLoginRequest(request);
    const verified = await options.verifier.verify(token);
    const user = await options.resolveUser(verified, context).catch((cause) => {
      throw hostFailure('resolveUser', cause, verified);
    });
    const headers = new Headers(PRIVATE);
    try {
      await options.issueSession(user, { ...context, headers, token: verified });
    } catch (cause) {
      throw hostFailure('issueSession', cause, verified);
    }
    headers.set(
      'Location',
      new URL(safeRedirectPath(redirectTo, { basePath: base.pathname }).slice(1), base).href,
    );
    options.onEvent?.({
      type: 'embed-login',
      issuer: verified.issuer,
      kid: verified.kid,
      sub: verified.claims.sub,
      jtiHash: await jtiHash(verified.claims.jti),
      ...(context.clientAddress ? { clientAddress: context.clientAddress } : {}),
    });
    return new Response(null, { status: 302, headers });
  }

  return async (request, hostContext = {}) => {
    const context: EmbedRequestContext = { ...hostContext, request };
    if (request.method !== 'GET' && request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { ...PRIVATE, Allow: 'GET, POST' } });
    }
    try {
      return await login(request, context);
    } catch (caught) {
      const error = isEmbedLoginError(caught)
        ? caught
        : new EmbedLoginError('malformed', { detail: 'unexpected failure', cause: caught });
      options.onEvent?.({
        type: 'embed-login-failed',
        reason: error.reason,
        n8nReason: error.n8nReason,
        ...(error.detail ? { detail: error.detail } : {}),
        ...(error.issuer ? { issuer: error.issuer } : {}),
        ...(error.kid ? { kid: error.kid } : {}),
        ...(context.clientAddress ? { clientAddress: context.clientAddress } : {}),
      });
      return Response.json(error.toJSON(), { status: error.status, headers: PRIVATE });
    }
  };
}
