// The one adapter from Web-standard handlers to node:http and Express, shared by the SDK's portal
// route and the verifier's embed-login endpoint: transport, not contract, so it is a package of its own
// (it was @n8n-embed/protocol/node-http). It describes Node's objects structurally instead of importing
// node:http, so it keeps no `node:` import.
import {
  type LiteHandler,
  type LiteRequest,
  type LiteResponse,
  liteHandlerOf,
  placeholderUrl,
} from './lite-handler.js';

/** What the adapter reads from a node:http `IncomingMessage` (or an Express `Request`). */
export interface NodeRequestLike {
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
  /** True once the body has been read to its end (by the host, when it did). */
  readonly readableEnded?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: node:events' own listener type
  on(event: 'data' | 'end' | 'error' | 'close', listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: node:events' own listener type
  off(event: 'data' | 'end' | 'error' | 'close', listener: (...args: any[]) => void): unknown;
}

/** What the adapter writes to a node:http `ServerResponse` (or an Express `Response`). */
export interface NodeResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  end(chunk?: Uint8Array | string): unknown;
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

/**
 * The body, at most `limit` bytes: past it, `undefined`, and the answer closes the connection, so the
 * rest is never read (node:http ends the socket once the answer is out). Stream events rather than an
 * async iterator: the iterator's machinery cost a flood more than reading the bytes does.
 */
function readBody(
  req: NodeRequestLike,
  res: NodeResponseLike,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (req.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Uint8Array | string): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size <= limit) return void chunks.push(bytes);
      stop();
      if (!res.headersSent) res.setHeader('connection', 'close');
      resolve(undefined);
    };
    const onEnd = (): void => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : concat(chunks, size));
    };
    const onError = (error: unknown): void => {
      stop();
      reject(error);
    };
    const onClose = (): void => onError(new Error('the request ended before its body did'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * What the host already read, if it did: n8n keeps the raw bytes the client sent (already decompressed),
 * to which the handler applies its own rules (a parsed body has lost duplicate JSON members, for one);
 * an Express parser leaves the fields, handed on as JSON (nested or repeated fields stay objects and
 * arrays, which a handler refuses). The headers that described the bytes on the wire no longer apply.
 */
function hostBody(
  req: NodeRequestLike,
): { bytes: Uint8Array; headers: Record<string, string | null> } | undefined {
  if (req.rawBody instanceof Uint8Array)
    return { bytes: req.rawBody, headers: { 'content-length': null, 'content-encoding': null } };
  if (req.body === undefined) return undefined;
  if (typeof req.body === 'string')
    return { bytes: new TextEncoder().encode(req.body), headers: { 'content-length': null } };
  return {
    bytes: new TextEncoder().encode(JSON.stringify(req.body)),
    headers: { 'content-length': null, 'content-type': 'application/json' },
  };
}
async function toRequest(req: NodeRequestLike, res: NodeResponseLike, limit: number): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue; // HTTP/2 pseudo-headers
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const url = placeholderUrl(req.url ?? '/');
  const method = req.method ?? 'GET';
  if (BODYLESS.has(method)) return new Request(url, { method, headers });
  const host = hostBody(req);
  for (const [name, value] of Object.entries(host?.headers ?? {}))
    value === null ? headers.delete(name) : headers.set(name, value);
  const body = host ? host.bytes : await readBody(req, res, limit);
  if (body === undefined || body.byteLength > limit) throw new BodyTooLarge();
  return new Request(url, { method, headers, body: body as Uint8Array<ArrayBuffer> });
}

/** The request as a lite handler reads it: the same headers, target and bytes `toRequest` would give. */
function toLiteRequest(req: NodeRequestLike, res: NodeResponseLike, limit: number): LiteRequest {
  const host = hostBody(req);
  return {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    header(name) {
      const key = name.toLowerCase();
      const replaced = host?.headers[key];
      if (replaced !== undefined) return replaced;
      const value = req.headers[key];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    headerNames() {
      const names = new Set(Object.keys(req.headers).filter((name) => !name.startsWith(':')));
      for (const [name, value] of Object.entries(host?.headers ?? {}))
        value === null ? names.delete(name) : names.add(name);
      return [...names];
    },
    async body(maxBytes) {
      // The handler's cap when it is the smaller one (its own answer); past the transport's, a 413.
      const cap = Math.min(maxBytes, limit);
      const bytes = host ? host.bytes : await readBody(req, res, cap);
      if (bytes !== undefined && bytes.byteLength <= cap) return bytes;
      if (maxBytes < limit) return undefined;
      throw new BodyTooLarge();
    },
  };
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

const encoder = new TextEncoder();

function writeLiteResponse(res: NodeResponseLike, answer: LiteResponse): void {
  appendCookies(res, answer.cookies ?? []);
  const body = answer.body === undefined ? undefined : encoder.encode(answer.body);
  // writeHead merges what the host set with setHeader (its cookies, say), the answer's headers winning.
  // It writes the header block at once, so the length goes with it (else the answer would be chunked).
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body?.byteLength ?? 0) });
  res.end(body);
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
