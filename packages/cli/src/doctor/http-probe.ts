import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { CliError, type CliIo, readText } from '../io.js';

/** What the doctor keeps of an answer: never more than `MAX_BODY_BYTES` of its body. */
export interface ProbeAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface ProbeRequest {
  readonly method?: 'GET' | 'HEAD' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Prober {
  /** `path` is joined onto the base URL (its path prefix kept). Throws `ProbeFailure` on no answer. */
  request(path: string, init?: ProbeRequest): Promise<ProbeAnswer>;
  /** Requests sent so far. */
  readonly sent: number;
  readonly baseUrl: URL;
}

/** A request that got no HTTP answer: refused, timed out, TLS failed … (`reason` says which). */
export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
  constructor(
    message: string,
    readonly tls: boolean,
  ) {
    super(message);
  }
}

/** Enough for n8n's JSON errors and its settings; a page larger than this is cut, not read. */
export const MAX_BODY_BYTES = 64 * 1024;

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function failureOf(error: unknown, timeoutMs: number): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : undefined;
  if (code === 'ETIMEDOUT') return new ProbeFailure(`no answer within ${timeoutMs} ms`, false);
  if (code === 'ECONNREFUSED') return new ProbeFailure('connection refused', false);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ProbeFailure('host name not found', false);
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new ProbeFailure('the server closed the connection', false);
  if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')))
    return new ProbeFailure(`TLS failed: ${code}`, true);
  return new ProbeFailure(code ? `request failed: ${code}` : 'request failed', false);
}

/** Where to connect instead of the URL's host (curl's `--connect-to`): a proxy, a host before DNS. */
export interface ConnectTo {
  readonly host: string;
  readonly port: number;
}

/** `--connect-to host:port` (an IPv6 address in brackets). */
export function connectToOf(value: string): ConnectTo {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || !(port >= 1 && port <= 65_535))
    throw new CliError(
      `--connect-to: ${JSON.stringify(value.slice(0, 100))} is not host:port (e.g. 127.0.0.1:8443)`,
      2,
    );
  return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

/** How probes reach n8n: another address (`--connect-to`), more trusted CAs (`--ca-file`). */
export interface Route {
  readonly connectTo?: ConnectTo;
  /** The CAs https probes trust: Node's own roots plus the `--ca-file` certificates. */
  readonly ca?: readonly string[];
}

/** `--connect-to` and `--ca-file`, as both commands take them. */
export async function routeOf(
  io: CliIo,
  options: { readonly connectTo?: string; readonly caFile?: string },
): Promise<Route> {
  let ca: string[] | undefined;
  if (options.caFile !== undefined) {
    const text = await readText(io, options.caFile, '--ca-file');
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw new CliError(`--ca-file: ${options.caFile} holds no PEM certificate`);
    ca = [...rootCertificates, text];
  }
  return {
    ...(options.connectTo !== undefined ? { connectTo: connectToOf(options.connectTo) } : {}),
    ...(ca ? { ca } : {}),
  };
}

const unbracket = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');

/** One request over node:http(s), so the Host and the TLS name stay the URL's whatever `connectTo` says. */
function send(
  url: URL,
  init: ProbeRequest,
  options: { readonly timeoutMs: number } & Route,
): Promise<ProbeAnswer> {
  const https = url.protocol === 'https:';
  const hostname = unbracket(url.hostname);
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const request = (https ? httpsRequest : httpRequest)({
      host: options.connectTo?.host ?? hostname,
      port: options.connectTo?.port ?? (url.port || (https ? 443 : 80)),
      method: init.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: {
        host: url.host,
        ...init.headers,
        ...(body ? { 'content-length': String(body.byteLength) } : {}),
      },
      // A fresh connection each time: nothing of one probe leaks into the next.
      agent: false,
      ...(https && !isIP(hostname) ? { servername: hostname } : {}),
      ...(https && options.ca ? { ca: [...options.ca] } : {}),
    });
    // One deadline for the whole exchange, answer and (capped) body included.
    const timer = setTimeout(
      () => request.destroy(new ProbeFailure(`no answer within ${options.timeoutMs} ms`, false)),
      options.timeoutMs,
    );
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(failureOf(error, options.timeoutMs));
    };
    request.once('error', fail);
    request.once('response', (response) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
          headers.append(name, item);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      };
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
        size += chunk.byteLength;
        if (size >= MAX_BODY_BYTES) {
          response.destroy();
          done();
        }
      });
      response.once('end', done);
      response.once('error', fail);
    });
    request.end(body);
  });
}

/**
 * A small HTTP client for looking at a live deployment: every request has a timeout covering its
 * whole answer, bodies are read only up to a cap, redirects are reported rather than followed, and
 * the number of requests is capped (the doctor promises a handful, not a scan).
 */
export function createProber(options: {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  readonly maxRequests: number;
  readonly route?: Route;
}): Prober {
  let sent = 0;
  return {
    baseUrl: options.baseUrl,
    get sent() {
      return sent;
    },
    async request(path, init = {}) {
      if (sent >= options.maxRequests)
        throw new CliError(`internal: more than ${options.maxRequests} requests planned`);
      sent += 1;
      return send(new URL(path.replace(/^\//, ''), options.baseUrl), init, {
        timeoutMs: options.timeoutMs,
        ...options.route,
      });
    },
  };
}

/** n8n's `{ code, message }` error body, when the answer is one. */
export function errorMessageOf(answer: ProbeAnswer): string | undefined {
  try {
    const body = JSON.parse(answer.body) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}
