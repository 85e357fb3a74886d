import { type Check, check, shown } from './check.js';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/** Every enforced `frame-ancestors` list (one per policy that has one; all of them must allow). */
function frameAncestorLists(csp: string | null): string[][] {
  if (csp === null) return [];
  // Several policies arrive comma-joined; a policy's directives are `;`-separated.
  return csp.split(',').flatMap((policy) => {
    const directive = policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .find(([name]) => name?.toLowerCase() === 'frame-ancestors');
    return directive ? [directive.slice(1)] : [];
  });
}

/** CSP's source matching for one `frame-ancestors` source against the portal's origin. */
function sourceAllows(source: string, portal: URL, n8n: URL): boolean {
  const value = source.toLowerCase();
  if (value === "'none'") return false;
  if (value === "'self'") return portal.origin === n8n.origin;
  if (value === '*') return portal.protocol === 'http:' || portal.protocol === 'https:';
  // A scheme-source (`https:`); `http:` also matches https, as CSP upgrades schemes.
  if (/^[a-z][a-z0-9+.-]*:$/.test(value))
    return value === portal.protocol || (value === 'http:' && portal.protocol === 'https:');
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^:/]+|\*)(?::(\d+|\*))?(?:\/.*)?$/.exec(value);
  if (!match) return false;
  const [, scheme, wildcard, host = '', port] = match;
  if (scheme !== undefined) {
    const ok = `${scheme}:` === portal.protocol || (scheme === 'http' && portal.protocol === 'https:');
    if (!ok) return false;
  } else if (
    !(portal.protocol === n8n.protocol || (n8n.protocol === 'http:' && portal.protocol === 'https:'))
  ) {
    return false;
  }
  const hostname = portal.hostname.toLowerCase();
  if (host !== '*') {
    if (wildcard ? !hostname.endsWith(`.${host}`) : hostname !== host) return false;
  }
  // No port in the source: the portal must be on its scheme's default port (CSP's port-part rule).
  if (port === undefined) return portal.port === '';
  return port === '*' || port === (portal.port || DEFAULT_PORTS[portal.protocol]);
}

/** The exact setting that lets the portal frame n8n (n8n 2.41's JSON form of the policy). */
export function framingFix(portalOrigin: string): string {
  return `set N8N_CONTENT_SECURITY_POLICY='${JSON.stringify({ 'frame-ancestors': [portalOrigin] })}' on n8n`;
}

/**
 * May a page of `portal` show n8n in a frame? The browsers' rule: an enforced CSP `frame-ancestors`
 * decides and `X-Frame-Options` is then ignored; without one, `X-Frame-Options` `DENY` blocks every
 * frame and `SAMEORIGIN` every other origin (n8n's default: it blocks every portal).
 */
export function framingCheck(headers: Headers, n8n: URL, portal: URL | undefined): Check {
  const lists = frameAncestorLists(headers.get('content-security-policy'));
  const xfo = headers.get('x-frame-options')?.trim().toLowerCase() ?? null;
  const where = portal ? `the portal ${portal.origin}` : 'a portal';
  if (portal === undefined) {
    const found = lists.length
      ? `frame-ancestors ${shown(lists.map((list) => list.join(' ')).join(' / '))}`
      : xfo
        ? `X-Frame-Options ${shown(xfo)}`
        : 'no X-Frame-Options and no frame-ancestors';
    return check('framing', 'warn', `${found}; pass --portal-origin to check it against the portal`);
  }
  const fix = framingFix(portal.origin);
  if (lists.length > 0) {
    const blocking = lists.find((list) => !list.some((source) => sourceAllows(source, portal, n8n)));
    if (blocking === undefined) return check('framing', 'pass', `frame-ancestors allows ${where}`);
    return check(
      'framing',
      'fail',
      `frame-ancestors ${shown(blocking.join(' '))} does not allow ${where}: the frame stays blank`,
      fix,
    );
  }
  if (xfo === 'deny') return check('framing', 'fail', `X-Frame-Options DENY: no page may frame n8n`, fix);
  if (xfo === 'sameorigin') {
    if (portal.origin === n8n.origin)
      return check('framing', 'pass', 'X-Frame-Options SAMEORIGIN, and the portal is n8n\u2019s origin');
    return check(
      'framing',
      'fail',
      `X-Frame-Options SAMEORIGIN (n8n's default) blocks ${where}: the frame stays blank`,
      fix,
    );
  }
  return check(
    'framing',
    'pass',
    `no X-Frame-Options and no frame-ancestors: ${where} may frame n8n (so may any site; frame-ancestors limits that)`,
  );
}
