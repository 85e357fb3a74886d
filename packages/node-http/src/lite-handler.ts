// A handler's second entry, without Web objects. Building a `Request` (headers, URL, a body stream) and
// reading a `Response` back costs node:http more than a whole refused login does (issue 16's profile:
// undici's Request, Response.json and ReadableStream were most of a rejection's CPU), so a handler
// that serves a flood can also offer this plain form. `toNodeHandler` calls it directly; the Web
// handler wraps the same code (`fromWebRequest`, `toWebResponse`), so both answer alike.

/** A request as a lite handler reads it. */
export interface LiteRequest {
  readonly method: string;
  /** The path and query as sent (`/rest/auth/embed?embed=…`), never an absolute URL. */
  readonly target: string;
  /** A header by its lower-case name, or null; repeated headers are joined with ", " as `Headers.get` does. */
  header(name: string): string | null;
  /** Every header's lower-case name, once each. */
  headerNames(): readonly string[];
  /**
   * The body, read only up to `maxBytes`: `undefined` when it is longer, then nothing more of it is
   * read. Call it once.
   */
  body(maxBytes: number): Promise<Uint8Array | undefined>;
}

/** An answer as a lite handler gives it: the status, headers, cookies and a text body. */
export interface LiteResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** `Set-Cookie` values, in order. */
  readonly cookies?: readonly string[];
  readonly body?: string;
}

export interface LiteHandlerContext {
  readonly clientAddress?: string;
  /** The host's native objects (`{ req, res }` from `toNodeHandler`, see `nodeNativeOf`). */
  readonly native?: unknown;
}

export type LiteHandler = (request: LiteRequest, context: LiteHandlerContext) => Promise<LiteResponse>;

const LITE = Symbol.for('@n8n-embed/node-http.lite');

/** A new entry that calls `web` (a Web-standard handler) and also offers `lite`, the same handler without Web objects. */
export function withLiteHandler<A extends unknown[], R>(
  web: (...args: A) => R,
  lite: LiteHandler,
): (...args: A) => R {
  const entry = (...args: A): R => web(...args);
  return Object.defineProperty(entry, LITE, { value: lite });
}

/** The lite form a handler offers (see `withLiteHandler`), or undefined. */
export function liteHandlerOf(handler: unknown): LiteHandler | undefined {
  if (typeof handler !== 'function') return undefined;
  const lite = (handler as { [LITE]?: unknown })[LITE];
  return typeof lite === 'function' ? (lite as LiteHandler) : undefined;
}

/**
 * A Web `Request` as a lite request: the same method, path and query, headers and body; the body read
 * through `readBody`, the caller's one bounded read of a Web stream.
 */
export function fromWebRequest(
  request: Request,
  readBody: (body: ReadableStream<Uint8Array> | null, maxBytes: number) => Promise<Uint8Array | undefined>,
): LiteRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    header: (name) => request.headers.get(name),
    headerNames: () => [...request.headers.keys()],
    body: (maxBytes) => readBody(request.body, maxBytes),
  };
}

/**
 * A request target as a path and query: itself when it starts with `/`; anything else (an absolute-form
 * `http://host/…`, `*`) reads as `/`. The one rule for both entries: the lite request's `target` and
 * the Web request's URL.
 */
export function originForm(target: string): string {
  return target.startsWith('/') ? target : '/';
}

/**
 * A URL for a request target, only to read its path and query: the origin is a placeholder (handlers
 * build absolute URLs from their own configured base URL, never from the client's Host header), and the
 * target is joined as text, never resolved (`//evil.example/` stays a path).
 */
export function placeholderUrl(target: string): URL {
  return new URL(`http://localhost${originForm(target)}`);
}

/** A lite request as a Web `Request`, with its headers but without its body (the handler read that). */
export function toWebRequest(request: LiteRequest): Request {
  const headers = new Headers();
  for (const name of request.headerNames()) {
    const value = request.header(name);
    if (value !== null) headers.set(name, value);
  }
  return new Request(placeholderUrl(request.target), { method: request.method, headers });
}

/** A lite answer with `status`, the `headers` of a Web `Headers` and its `Set-Cookie`s as cookies, in order. */
export function liteAnswer(status: number, headers: Headers, body?: string): LiteResponse {
  const plain: Record<string, string> = {};
  for (const [name, value] of headers) if (name !== 'set-cookie') plain[name] = value;
  return { status, headers: plain, cookies: headers.getSetCookie(), ...(body === undefined ? {} : { body }) };
}

/** A lite answer as a Web `Response`. */
export function toWebResponse(answer: LiteResponse): Response {
  const headers = new Headers(answer.headers);
  for (const cookie of answer.cookies ?? []) headers.append('Set-Cookie', cookie);
  return new Response(answer.body ?? null, { status: answer.status, headers });
}
