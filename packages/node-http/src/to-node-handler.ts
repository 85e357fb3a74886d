// The one adapter from Web-standard handlers to node:http and Express, shared by the SDK's portal
// route and the verifier's embed-login endpoint: transport, not contract, so it is a package of its own
// (it was @n8n-embed/protocol/node-http). It describes Node's objects structurally instead of importing
// node:http, so it keeps no `node:` import.
import { type LiteHandler, type LiteResponse, liteHandlerOf } from './lite-handler.js';
import type { NodeHandlerContext, NodeRequestLike, NodeResponseLike } from './node-objects.js';
import { BodyTooLarge, toLiteRequest, toRequest } from './node-request.js';

export type WebHandler = (request: Request, context: NodeHandlerContext) => Promise<Response>;

export interface NodeHandlerOptions {
  /** Larger request bodies are answered with 413 before the handler runs. Default 64 KiB. */
  readonly maxBodyBytes?: number;
}

/** The NodeNative boundary: cookies the host set on `res` (n8n's AuthService) are kept, first. */
function appendCookies(res: NodeResponseLike, cookies: readonly string[]): void {
  if (cookies.length === 0) return;
  const existing = res.getHeader('set-cookie');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...before, ...cookies]);
}

async function writeResponse(res: NodeResponseLike, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  appendCookies(res, response.headers.getSetCookie());
  res.end(new Uint8Array(await response.arrayBuffer()));
}

function writeLiteResponse(res: NodeResponseLike, answer: LiteResponse): void {
  appendCookies(res, answer.cookies ?? []);
  // Header by header, over what the host set with setHeader (its cookies, say), the answer's winning.
  // The block is written by `end`, which then knows the body and sends its Content-Length (never
  // chunked). Cheaper than one writeHead with a merged object: a flood's whole answer is this.
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}

function plainError(res: NodeResponseLike, status: number, message: string): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(new TextEncoder().encode(JSON.stringify({ code: status, message })));
}

/**
 * Serves a Web-standard handler from node:http or Express: `server.on('request', toNodeHandler(h))`
 * or `app.all(path, toNodeHandler(h))`. An error the handler throws goes to Express's `next` when
 * there is one, else it is answered with a bare 500 that says nothing about the cause.
 */
export function toNodeHandler(
  handler: WebHandler,
  options: NodeHandlerOptions = {},
): (req: NodeRequestLike, res: NodeResponseLike, next?: (error?: unknown) => void) => Promise<void> {
  const limit = options.maxBodyBytes ?? 64 * 1024;
  // A handler that offers a lite form (see `withLiteHandler`) is served without Web objects.
  const lite: LiteHandler | undefined = liteHandlerOf(handler);
  return async (req, res, next) => {
    try {
      const clientAddress = req.ip ?? req.socket?.remoteAddress;
      const context = { native: { req, res }, ...(clientAddress ? { clientAddress } : {}) };
      if (lite) writeLiteResponse(res, await lite(toLiteRequest(req, res, limit), context));
      else await writeResponse(res, await handler(await toRequest(req, res, limit), context));
    } catch (error) {
      if (error instanceof BodyTooLarge) return plainError(res, 413, 'Request body too large');
      if (next) return next(error);
      plainError(res, 500, 'Internal server error');
    }
  };
}
