// The one adapter from Web-standard handlers to node:http and Express, shared by the SDK's portal
// route and the verifier's embed-login endpoint: transport, not contract, so it is a package of its own
// (it was @n8n-embed/protocol/node-http). It describes Node's objects structurally instead of importing
// node:http, so it keeps no `node:` import.

/** What the adapter reads from a node:http `IncomingMessage` (or an Express `Request`). */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  readonly method?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: { readonly remoteAddress?: string };
  /** Express's client address (honours its `trust proxy` setting). */
  readonly ip?: string;
  /** A body an Express parser already read. */
  readonly body?: unknown;
  /** The raw bytes of that body, where the host keeps them (n8n's body parser does). */
  readonly rawBody?: Uint8Array;
}

/** What the adapter writes to a node:http `ServerResponse` (or an Express `Response`). */
export interface NodeResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  end(chunk?: Uint8Array): unknown;
}

/**
 * The boundary between the Web handler and node:http, for a host whose own code must touch the raw
 * objects (n8n's AuthService writes its session cookie on `res`). The one thing a host may do on `res`
 * is `Set-Cookie`: `toNodeHandler` keeps those cookies and adds the Response's after them. Status,
 * other headers and the body always come from the Response.
 */
export interface NodeNative {
  readonly req: NodeRequestLike;
  readonly res: NodeResponseLike;
}

/** Passed to the handler: the client address and the native objects, for hosts that need them. */
export interface NodeHandlerContext {
  readonly clientAddress?: string;
  readonly native: NodeNative;
}

/**
 * The native objects of a handler context that came through `toNodeHandler`, or undefined (another
 * transport, or none). Handlers type `native` as `unknown`; hosts read it through this, not a cast.
 */
export function nodeNativeOf(native: unknown): NodeNative | undefined {
  if (typeof native !== 'object' || native === null) return undefined;
  const { req, res } = native as { req?: unknown; res?: unknown };
  const isResponse =
    typeof res === 'object' &&
    res !== null &&
    typeof (res as NodeResponseLike).setHeader === 'function' &&
    typeof (res as NodeResponseLike).getHeader === 'function';
  const isRequest = typeof req === 'object' && req !== null && 'headers' in req;
  return isRequest && isResponse ? (native as NodeNative) : undefined;
}

export type WebHandler = (request: Request, context: NodeHandlerContext) => Promise<Response>;

export interface NodeHandlerOptions {
  /** Larger request bodies are answered with 413 before the handler runs. Default 64 KiB. */
  readonly maxBodyBytes?: number;
}

const BODYLESS = new Set(['GET', 'HEAD']);

class BodyTooLarge extends Error {}

async function readBody(req: NodeRequestLike, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(bytes);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function toRequest(req: NodeRequestLike, limit: number): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue; // HTTP/2 pseudo-headers
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // The origin here is only a placeholder for parsing: handlers build absolute URLs from their own
  // configured base URL, never from the client's Host header.
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  if (BODYLESS.has(method)) return new Request(url, { method, headers });
  let body: BodyInit;
  if (req.rawBody instanceof Uint8Array) {
    // The bytes the client sent (already decompressed by the host): the handler applies its own
    // rules to them (a parsed body has lost duplicate JSON members, for one).
    if (req.rawBody.byteLength > limit) throw new BodyTooLarge();
    body = req.rawBody as Uint8Array<ArrayBuffer>;
    headers.delete('content-length');
    headers.delete('content-encoding');
  } else if (req.body !== undefined) {
    // Express already parsed it: hand the handler the same fields as JSON (nested or repeated
    // fields stay objects and arrays, which the handler refuses).
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (typeof req.body !== 'string') headers.set('content-type', 'application/json');
    headers.delete('content-length');
  } else {
    body = (await readBody(req, limit)) as Uint8Array<ArrayBuffer>;
  }
  return new Request(url, { method, headers, body });
}

async function writeResponse(res: NodeResponseLike, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) {
    // The NodeNative boundary: cookies the host set on `res` (n8n's AuthService) are kept, first.
    const existing = res.getHeader('set-cookie');
    const before = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    res.setHeader('set-cookie', [...before, ...cookies]);
  }
  res.end(new Uint8Array(await response.arrayBuffer()));
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
  return async (req, res, next) => {
    try {
      const request = await toRequest(req, limit);
      const clientAddress = req.ip ?? req.socket?.remoteAddress;
      const context = { native: { req, res }, ...(clientAddress ? { clientAddress } : {}) };
      await writeResponse(res, await handler(request, context));
    } catch (error) {
      if (error instanceof BodyTooLarge) return plainError(res, 413, 'Request body too large');
      if (next) return next(error);
      plainError(res, 500, 'Internal server error');
    }
  };
}
