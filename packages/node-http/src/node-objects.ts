// Node's objects as the adapter uses them, described structurally instead of importing node:http, so
// the package keeps no `node:` import and bundles anywhere.
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
