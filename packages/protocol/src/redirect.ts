import { MAX_REDIRECT_LENGTH } from './constants.js';

export interface RedirectOptions {
  /** The path n8n is served under (`N8N_PATH`), e.g. `/n8n/`. Default `/`. */
  readonly basePath?: string;
}

export type RedirectCheck =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly path: '/'; readonly problem: string };

// First path segments (after the base path) a login must never land on: n8n's REST API (logout, the
// embed endpoint itself), webhooks, forms, MCP and the sign-in/out pages. Express matches routes
// case-insensitively, so these are compared in lower case.
const REFUSED_SEGMENTS = new Set([
  'rest',
  'webhook',
  'webhook-test',
  'webhook-waiting',
  'form',
  'form-test',
  'form-waiting',
  'mcp',
  'mcp-test',
  'signin',
  'signout',
]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// The same characters percent-encoded: harmless in a Location header, but no page needs them and a
// proxy or log that decodes the path would see raw ones.
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const ORIGIN = 'http://n8n.invalid';

function normaliseBasePath(basePath: string): string {
  const withLeading = basePath.startsWith('/') ? basePath : `/${basePath}`;
  return withLeading.endsWith('/') ? withLeading : `${withLeading}/`;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function refuse(problem: string): RedirectCheck {
  return { ok: false, path: '/', problem };
}

/**
 * Checks a `redirectTo` value (contract §5, security.md rule 17) and returns the canonical path,
 * relative to the instance base URL, that a successful login redirects to: same origin, inside the
 * base path, never a REST/webhook/auth route, at most 2048 characters, percent-encoded (never a raw
 * control character). A value that fails gives `/` with the problem; an absent or empty one gives `/`.
 */
export function checkRedirectPath(input: unknown, { basePath = '/' }: RedirectOptions = {}): RedirectCheck {
  if (input === undefined || input === null) return { ok: true, path: '/' };
  if (typeof input !== 'string') return refuse('must be a string');
  if (input.length > MAX_REDIRECT_LENGTH) return refuse(`must be at most ${MAX_REDIRECT_LENGTH} characters`);
  const value = input.trim();
  if (value === '') return { ok: true, path: '/' };
  if (!value.startsWith('/') || value.startsWith('//'))
    return refuse('must be a path starting with a single /');
  if (value.includes('\\')) return refuse('must not contain a backslash');
  if (CONTROL.test(value)) return refuse('must not contain control characters');

  const base = normaliseBasePath(basePath);
  // Resolving `.${value}` against the base keeps the target relative to it, so `..` segments and
  // their encoded forms are resolved here, where we can see whether they escape the base.
  const target = new URL(`.${value}`, new URL(base, ORIGIN));
  if (target.origin !== ORIGIN) return refuse('must stay on the same origin');
  if (!target.pathname.startsWith(base)) return refuse('must stay inside the base path');

  const path = `/${target.pathname.slice(base.length)}${target.search}${target.hash}`;
  if (ENCODED_CONTROL.test(path)) return refuse('must not contain encoded control characters');
  const rawFirst = path.split(/[/?#]/, 2)[1] ?? '';
  const firstSegment = decodeSegment(rawFirst)?.toLowerCase();
  if (firstSegment === undefined) return refuse('must be a valid percent-encoded path');
  // RFC 3986 §4.2: a relative path whose first segment holds a colon reads as a scheme
  // (`https://evil.example`, `javascript:…`); anything joining or resolving it would leave n8n.
  if (firstSegment.includes(':')) return refuse('must not start with a segment that reads as a URL scheme');
  if (REFUSED_SEGMENTS.has(firstSegment)) return refuse(`must not target /${firstSegment}`);
  if (path.length > MAX_REDIRECT_LENGTH) return refuse(`must be at most ${MAX_REDIRECT_LENGTH} characters`);
  return { ok: true, path };
}

/** The path to redirect to after a login: the canonical `redirectTo`, or `/` when it is unsafe. */
export function safeRedirectPath(input: unknown, options: RedirectOptions = {}): string {
  return checkRedirectPath(input, options).path;
}

/**
 * The `Location` a successful login answers, for the instance at `baseUrl` (an absolute http(s) URL
 * with its base path): the checked path is joined onto the base URL as text, never resolved as a URL,
 * and the result is checked once more to have the base URL's origin and sit under its path. Anything
 * else, for whatever input, gives the base URL itself. Never throws for any `input`.
 */
export function redirectLocation(baseUrl: URL, input: unknown): string {
  const basePath = normaliseBasePath(baseUrl.pathname);
  const root = `${baseUrl.origin}${basePath}`;
  const joined = `${root}${safeRedirectPath(input, { basePath }).slice(1)}`;
  let location: URL;
  try {
    location = new URL(joined);
  } catch {
    return root;
  }
  if (location.origin !== baseUrl.origin || !location.pathname.startsWith(basePath)) return root;
  return location.href;
}
