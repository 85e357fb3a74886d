import type { LiteRequest } from '@n8n-embed/node-http';
import { EmbedLoginError, MAX_REDIRECT_LENGTH, MAX_TOKEN_LENGTH } from '@n8n-embed/protocol';
import { hasDuplicateMember } from '../internal/strict-json.js';

export interface LoginRequest {
  readonly token: string;
  readonly redirectTo: string | undefined;
}

/** A login form is two short fields: anything much larger is not one. */
export const MAX_BODY_BYTES = MAX_TOKEN_LENGTH + MAX_REDIRECT_LENGTH * 3 + 1024;
const FIELDS = ['token', 'redirectTo'] as const;

function malformed(detail: string): EmbedLoginError {
  return new EmbedLoginError('malformed', { detail });
}

const missingToken = (): EmbedLoginError =>
  new EmbedLoginError('malformed', { message: 'token is required', detail: 'no token in the request' });

/** Fields from a query string or a form body: each at most once, never nested (`token[a]=`). */
function fromParams(params: URLSearchParams): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [key, value] of params) {
    const name = FIELDS.find((field) => key === field || key.startsWith(`${field}[`));
    if (name === undefined) continue;
    if (key !== name) throw malformed(`nested ${name} parameter`);
    if (fields[name] !== undefined) throw malformed(`repeated ${name} parameter`);
    fields[name] = value;
  }
  return fields;
}

function fromJson(text: string): Record<string, string | undefined> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw malformed('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw malformed('body is not an object');
  // JSON.parse keeps the last of two members with one name: `{"token":"junk","token":"<valid>"}`
  // must not read as one token to one reader and another to the next (the token segments' rule).
  if (hasDuplicateMember(text, body)) throw malformed('body names a member twice');
  const fields: Record<string, string | undefined> = {};
  for (const name of FIELDS) {
    const value = (body as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'string') throw malformed(`${name} is not a string`);
    fields[name] = value;
  }
  return fields;
}

const tooLarge = (): EmbedLoginError =>
  new EmbedLoginError('too_large', { detail: 'request body too large' });
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The query of a request target as the URL parser reads it: after the first `?`, before any `#`
 * (a fragment is never sent, but a hostile client may write one).
 */
export function queryOf(target: string): URLSearchParams {
  const end = target.indexOf('#');
  const path = end === -1 ? target : target.slice(0, end);
  const start = path.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : path.slice(start + 1));
}

/**
 * The body, read only up to `MAX_BODY_BYTES` on every runtime: a declared larger length is refused
 * before reading, and a stream that grows past the cap is cancelled there (a 400 MB POST costs one
 * chunk, not 400 MB of memory).
 */
function readBytes(request: LiteRequest): Promise<Uint8Array | undefined> {
  const declared = request.header('content-length');
  if (declared !== null && !(Number(declared) <= MAX_BODY_BYTES)) throw tooLarge();
  return request.body(MAX_BODY_BYTES);
}

/** The login fields of a body of `type`: urlencoded or JSON, anything else has none. */
function fromBody(type: string | null, bytes: Uint8Array | undefined): Record<string, string | undefined> {
  if (bytes === undefined) throw tooLarge();
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw malformed('body is not UTF-8');
  }
  const mediaType = (type ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return fromParams(new URLSearchParams(text));
  if (mediaType === 'application/json') return fromJson(text);
  return {};
}

/**
 * Reads `token` and `redirectTo` (security.md rule 15): from the query for GET, from the body for
 * POST (urlencoded or JSON), exactly once and from exactly one place.
 */
export async function readLoginRequest(request: LiteRequest, query: URLSearchParams): Promise<LoginRequest> {
  let fields = fromParams(query);
  if (request.method === 'POST') {
    if (fields.token !== undefined || fields.redirectTo !== undefined)
      throw malformed('login fields in a POST query');
    fields = fromBody(request.header('content-type'), await readBytes(request));
  }
  const { token, redirectTo } = fields;
  if (token === undefined || token === '') throw missingToken();
  return { token, redirectTo };
}
