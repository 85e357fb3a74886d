import { type Check, check, shown } from './check.js';
import { siteOf } from './same-site.js';

/**
 * n8n's session cookie as the browser will judge it inside the portal's frame: `HttpOnly` always,
 * `Secure` on https or cross-site, `SameSite=None` cross-site (else it is dropped: the login loop),
 * and without `Partitioned` a third-party cookie that Chrome with blocking and Safari refuse.
 */
export function cookieCheck(setCookie: string, n8n: URL, portal: URL | undefined): Check {
  const written = setCookie
    .split(';')
    .slice(1)
    .map((part) => part.trim());
  const attributes = written.map((part) => part.toLowerCase());
  const has = (name: string) => attributes.some((part) => part === name || part.startsWith(`${name}=`));
  const sameSiteIndex = attributes.findIndex((part) => part.startsWith('samesite='));
  const sameSite = sameSiteIndex < 0 ? 'Lax (not set)' : (written[sameSiteIndex] ?? '').slice(9);
  const summary = `n8n-auth: ${has('httponly') ? 'HttpOnly' : 'not HttpOnly'}; ${has('secure') ? 'Secure' : 'not Secure'}; SameSite=${shown(sameSite, 20)}; ${has('partitioned') ? 'Partitioned' : 'not Partitioned'}`;
  const crossSite = portal !== undefined && siteOf(portal) !== siteOf(n8n);
  if (!has('httponly'))
    return check(
      'cookie',
      'fail',
      `${summary}: scripts can read the session`,
      'n8n sets HttpOnly itself: remove whatever rewrites the cookie',
    );
  if (!has('secure') && (n8n.protocol === 'https:' || crossSite))
    return check(
      'cookie',
      'fail',
      `${summary}: browsers refuse SameSite=None without Secure`,
      'set N8N_SECURE_COOKIE=true on n8n',
    );
  if (crossSite && sameSite.toLowerCase() !== 'none')
    return check(
      'cookie',
      'fail',
      `${summary}: dropped inside the portal's cross-site frame (login loop)`,
      'set N8N_SAMESITE_COOKIE=none and N8N_SECURE_COOKIE=true on n8n, or serve n8n on the portal\u2019s site',
    );
  if (crossSite && !has('partitioned'))
    return check(
      'cookie',
      'warn',
      `${summary}: a third-party cookie here; Chrome with third-party cookies blocked and Safari drop it`,
      'serve n8n on the portal\u2019s site, or add Partitioned to n8n-auth at the proxy (examples/reverse-proxy)',
    );
  return check('cookie', 'pass', summary);
}
