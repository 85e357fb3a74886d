import { isLoopbackHost } from '@n8n-embed/protocol';
import { type Check, check } from './check.js';

// Public suffixes with more than one label that portals and n8n are commonly hosted under. Without the
// full Public Suffix List the doctor knows these; for any other name it takes the last two labels,
// and says which site it compared, so a wrong guess is visible.
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.nz',
  'co.jp',
  'ne.jp',
  'com.br',
  'com.cn',
  'com.mx',
  'co.in',
  'co.za',
  'com.tr',
  'com.sg',
  'github.io',
  'gitlab.io',
  'herokuapp.com',
  'vercel.app',
  'netlify.app',
  'pages.dev',
  'workers.dev',
  'fly.dev',
  'onrender.com',
  'azurewebsites.net',
  'cloudfront.net',
  'web.app',
  'firebaseapp.com',
  'appspot.com',
  'ngrok.io',
  'ngrok-free.app',
  'railway.app',
  'up.railway.app',
]);

/** The registrable domain ("site") of a host name, or the host itself for addresses and loopback. */
export function registrableDomain(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host) || !host.includes('.')) return host;
  const labels = host.split('.');
  for (let take = Math.min(labels.length - 1, 3); take >= 2; take--) {
    if (MULTI_LABEL_SUFFIXES.has(labels.slice(-take).join('.'))) return labels.slice(-take - 1).join('.');
  }
  return labels.slice(-2).join('.');
}

/** Browsers' "site": scheme and registrable domain (schemeful same-site). */
export function siteOf(url: URL): string {
  return `${url.protocol}//${registrableDomain(url.hostname)}`;
}

const CROSS_SITE_BROWSERS =
  'Chrome and Edge keep the session (SameSite=None; Secure) unless the user blocks third-party cookies or browses incognito; Firefox keeps it in a jar for this portal only; Safari and every iOS browser block it (the browser helper then reports cookies-blocked after one login and offers n8n in a new tab)';

/**
 * Same site or cross site between the portal and n8n, and what that means in each browser: n8n's
 * session cookie in a cross-site frame is a third-party cookie.
 */
export function sameSiteCheck(n8n: URL, portal: URL | undefined): Check {
  if (portal === undefined)
    return check(
      'same-site',
      'warn',
      'not checked: pass --portal-origin to compare the portal\u2019s site with n8n\u2019s',
    );
  const n8nSite = siteOf(n8n);
  const portalSite = siteOf(portal);
  if (n8nSite === portalSite) {
    const note = isLoopbackHost(n8n.hostname) ? ', loopback: a development setup' : '';
    return check(
      'same-site',
      'pass',
      `same site (${portalSite}${note}): n8n's cookie is first-party in every browser, SameSite=Lax works`,
    );
  }
  const suggested = `${n8n.protocol === 'https:' ? 'https:' : portal.protocol}//n8n.${registrableDomain(portal.hostname)}`;
  return check(
    'same-site',
    'warn',
    `cross-site (portal ${portalSite}, n8n ${n8nSite}): ${CROSS_SITE_BROWSERS}`,
    `serve n8n on a subdomain of the portal's site (e.g. ${suggested}, examples/reverse-proxy); until then set N8N_SAMESITE_COOKIE=none and N8N_SECURE_COOKIE=true on n8n, and for Chromium with third-party cookies blocked N8N_EMBED_PARTITIONED_COOKIE=true with the reverse-proxy examples' cross-site block (Partitioned)`,
  );
}
