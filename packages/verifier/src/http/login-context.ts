import {
  type LiteHandlerContext,
  type LiteRequest,
  type LiteResponse,
  liteAnswer,
  toWebRequest,
} from '@n8n-embed/node-http';
import type { VerifiedToken } from '../types.js';
import type { EmbedRequestContext, EmbedSessionContext } from './embed-login-handler.js';

/**
 * The context handed to `resolveUser`: the Web `Request` is only built if a host reads it (a class, so
 * a request that never gets that far allocates no closures).
 */
export class LoginContext implements EmbedRequestContext {
  readonly clientAddress?: string;
  readonly native?: unknown;
  readonly #source: LiteRequest;
  #request: Request | undefined;

  constructor(host: LiteHandlerContext, source: LiteRequest, request?: Request) {
    if (host.clientAddress !== undefined) this.clientAddress = host.clientAddress;
    if (host.native !== undefined) this.native = host.native;
    this.#source = source;
    this.#request = request;
  }

  get request(): Request {
    this.#request ??= toWebRequest(this.#source);
    return this.#request;
  }

  /** The context for `issueSession`: this one, the response's headers and the verified token. */
  forSession(token: VerifiedToken): SessionContext {
    return new SessionContext(this, token);
  }
}

/**
 * The context handed to `issueSession`. Its `headers` are made when the host first reads them (a host
 * that sets its cookie on the native response, as n8n's does, never pays for a `Headers`).
 */
export class SessionContext implements EmbedSessionContext {
  readonly clientAddress?: string;
  readonly native?: unknown;
  readonly token: VerifiedToken;
  readonly #login: LoginContext;
  #headers: Headers | undefined;

  constructor(login: LoginContext, token: VerifiedToken) {
    if (login.clientAddress !== undefined) this.clientAddress = login.clientAddress;
    if (login.native !== undefined) this.native = login.native;
    this.token = token;
    this.#login = login;
  }

  get request(): Request {
    return this.#login.request;
  }

  get headers(): Headers {
    this.#headers ??= new Headers();
    return this.#headers;
  }

  /** An answer with the endpoint's `own` headers, then what the host set on `headers` (its cookies). */
  answer(status: number, own: Readonly<Record<string, string>>): LiteResponse {
    if (this.#headers === undefined) return { status, headers: own };
    const host = liteAnswer(status, this.#headers);
    return { ...host, headers: { ...own, ...host.headers } };
  }
}
