import { configError } from './errors.js';

// `localhost`, any 127.0.0.0/8 address, and IPv6 `::1` (as URL.hostname writes it, bracketed).
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** Is a URL's `hostname` this machine? The one loopback rule for plain-http exceptions. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}

/**
 * The one origin rule: `https://Portal.example.com:443/` → `https://portal.example.com`. A value
 * with a path, query, fragment or credentials is not an origin and is refused rather than cut down
 * (someone who wrote a path probably meant something else). `name` is the variable or option the
 * value came from, for the error.
 */
export function normaliseOrigin(value: string, name: string): string {
  const trimmed = value.trim();
  const url = URL.canParse(trimmed) ? new URL(trimmed) : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== '' ||
    trimmed.endsWith('?') ||
    trimmed.endsWith('#')
  ) {
    throw configError(`${name}: "${trimmed.slice(0, 200)}" is not an origin like https://portal.example.com`);
  }
  return url.origin;
}
