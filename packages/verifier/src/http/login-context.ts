import { type LiteHandlerContext, type LiteRequest, toWebRequest } from '@n8n-embed/node-http';
import type { VerifiedToken } from '../types.js';
import type { EmbedRequestContext, EmbedSessionContext } from './embed-login-handler.js';

/**
 * The context handed to `resolveUser` and `issueSession`: the Web `Request` is only built if a host
 * reads it (a class, so a request that never gets that far allocates no closures).
 */
export class LoginContext implements EmbedRequestContext {
  readonly clientAddress?: string;
  readonly native?: unknown;
  #request: Request | undefined;

  constructor(
    host: LiteHandlerContext,
    private readonly source: LiteRequest,
    request?: Request,
  ) {
    if (host.clientAddress !== undefined) this.clientAddress = host.clientAddress;
    if (host.native !== undefined) this.native = host.native;
    this.#request = request;
  }

  get request(): Request {
    this.#request ??= toWebRequest(this.source);
    return this.#request;
  }

  /** The context for `issueSession`: this one, the response's headers and the verified token. */
  forSession(headers: Headers, token: VerifiedToken): EmbedSessionContext {
    const context = this;
    return {
      get request() {
        return context.request;
      },
      ...(this.clientAddress !== undefined ? { clientAddress: this.clientAddress } : {}),
      ...(this.native !== undefined ? { native: this.native } : {}),
      headers,
      token,
    };
  }
}
