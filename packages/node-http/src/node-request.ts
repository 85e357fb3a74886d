// Reading a node:http request, bounded: as a Web `Request` (for a Web handler) or as a lite request
// (for a handler's lite entry), with the same headers, target and bytes either way.
import { type LiteRequest, originForm, placeholderUrl } from './lite-handler.js';
import type { NodeRequestLike, NodeResponseLike } from './node-objects.js';

const BODYLESS = new Set(['GET', 'HEAD']);

/** Past `toNodeHandler`'s `maxBodyBytes`: answered 413. */
export class BodyTooLarge extends Error {}

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
export async function toRequest(
  req: NodeRequestLike,
  res: NodeResponseLike,
  limit: number,
): Promise<Request> {
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
export function toLiteRequest(req: NodeRequestLike, res: NodeResponseLike, limit: number): LiteRequest {
  const host = hostBody(req);
  return {
    method: req.method ?? 'GET',
    target: originForm(req.url ?? '/'),
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
