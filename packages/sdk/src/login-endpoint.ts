import { checkRedirectPath, configError, EMBED_LOGIN_PATH, isLoopbackHost } from '@n8n-embed/protocol';

/** The embed-login URL of an n8n instance, keeping its base path (`https://host/n8n/`). */
export function loginEndpoint(n8nUrl: string | URL): URL {
  if (!(n8nUrl instanceof URL) && (typeof n8nUrl !== 'string' || !URL.canParse(n8nUrl))) {
    throw configError('n8nUrl: must be an absolute URL such as https://n8n.example.com/');
  }
  const base = new URL(n8nUrl);
  if (base.username !== '' || base.password !== '') {
    throw configError('n8nUrl: must not contain credentials');
  }
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopbackHost(base.hostname))) {
    throw configError('n8nUrl: must be https (plain http is allowed only for localhost)');
  }
  if (base.search !== '' || base.hash !== '') throw configError('n8nUrl: must not have a query or fragment');
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${basePath}${EMBED_LOGIN_PATH.slice(1)}`, base.origin);
}

/** The instance's base path, for the redirect rule. */
export function basePathOf(endpoint: URL): string {
  return endpoint.pathname.slice(0, -EMBED_LOGIN_PATH.length + 1);
}

/**
 * Applies the endpoint's own redirect rule now, so a portal learns at build time that n8n would
 * land the user on `/` instead. Throws when the value would be refused or rewritten.
 */
export function checkedRedirectTo(redirectTo: string | undefined, endpoint: URL): string | undefined {
  if (redirectTo === undefined) return undefined;
  const check = checkRedirectPath(redirectTo, { basePath: basePathOf(endpoint) });
  if (!check.ok) throw configError(`redirectTo: ${check.problem}`);
  if (check.path !== redirectTo) {
    throw configError(`redirectTo: n8n would rewrite it to "${check.path}"; pass the canonical path`);
  }
  return redirectTo;
}

export function checkToken(token: unknown): string {
  if (typeof token !== 'string' || token === '') throw configError('token: must be a non-empty string');
  return token;
}
