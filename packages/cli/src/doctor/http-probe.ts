import { CliError } from '../io.js';

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
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if ((error as { name?: unknown }).name === 'TimeoutError')
    return new ProbeFailure(`no answer within ${timeoutMs} ms`, false);
  if (code === 'ECONNREFUSED') return new ProbeFailure('connection refused', false);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ProbeFailure('host name not found', false);
  if (code === 'UND_ERR_SOCKET') return new ProbeFailure('the server closed the connection', false);
  if (code === 'ECONNRESET') return new ProbeFailure('connection reset', false);
  if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')))
    return new ProbeFailure(`TLS failed: ${code}`, true);
  return new ProbeFailure(code ? `request failed: ${code}` : 'request failed', false);
}

async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value.subarray(0, Math.max(0, MAX_BODY_BYTES - size)));
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
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
  readonly fetch?: typeof globalThis.fetch;
}): Prober {
  const fetcher = options.fetch ?? globalThis.fetch;
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
      const url = new URL(path.replace(/^\//, ''), options.baseUrl);
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const response = await fetcher(url, {
          method: init.method ?? 'GET',
          redirect: 'manual',
          signal,
          ...(init.headers ? { headers: init.headers } : {}),
          ...(init.body !== undefined ? { body: init.body } : {}),
        });
        const body = init.method === 'HEAD' ? '' : await readCapped(response);
        return { status: response.status, headers: response.headers, body };
      } catch (error) {
        throw failureOf(error, options.timeoutMs);
      }
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
