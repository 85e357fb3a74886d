import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRedirectPath, redirectLocation, safeRedirectPath } from './redirect.js';

// First segments that read as a URL scheme, in the forms an attacker tries: plain, upper case, no
// slashes, percent-encoded colon or letters, after a dot segment, and with odd schemes.
const SCHEME_LIKE = [
  '/https://evil.example/phish',
  '/HTTPS://evil.example',
  '/https:evil.example',
  '/https:/evil.example',
  '/https:%2f%2fevil.example',
  '/javascript:alert(1)',
  '/JavaScript:alert(1)',
  '/data:text/html,<script>alert(1)</script>',
  '/vbscript:msgbox',
  '/mailto:a@evil.example',
  '/https%3A//evil.example',
  '/https%3a%2f%2fevil.example',
  '/%68ttps://evil.example',
  '/./https://evil.example',
  '/a/../https://evil.example',
  '/x-custom+scheme.1:payload',
  '/:no-scheme-name',
];

describe('safeRedirectPath', () => {
  it.each([
    ['https://evil.com', 'must be a path starting with a single /'],
    ['//evil.com', 'must be a path starting with a single /'],
    ['/\\evil.com', 'must not contain a backslash'],
    ['/%0d%0aSet-Cookie:a=b', 'must not contain encoded control characters'],
    ['/\r\nSet-Cookie:a=b', 'must not contain control characters'],
    ['/\u0000', 'must not contain control characters'],
    ['/a\tb', 'must not contain control characters'],
    ['/rest/logout', 'must not target /rest'],
    ['/rest/auth/embed?token=x', 'must not target /rest'],
    ['/REST/logout', 'must not target /rest'],
    ['/%72est/logout', 'must not target /rest'],
    ['/.%2e/rest/logout', 'must not target /rest'],
    ['/webhook/abc', 'must not target /webhook'],
    ['/webhook-test/abc', 'must not target /webhook-test'],
    ['/form/abc', 'must not target /form'],
    ['/signout', 'must not target /signout'],
    ['/%E0%A4%A', 'must be a valid percent-encoded path'],
    [`/${'a'.repeat(5000)}`, 'must be at most 2048 characters'],
    ['workflow/1', 'must be a path starting with a single /'],
  ])('refuses %j', (input, problem) => {
    expect(checkRedirectPath(input)).toEqual({ ok: false, path: '/', problem });
    expect(safeRedirectPath(input)).toBe('/');
  });

  it.each([
    ['/workflow/1', '/workflow/1'],
    ['  /home/workflows  ', '/home/workflows'],
    ['/workflow/1?tab=executions#top', '/workflow/1?tab=executions#top'],
    ['/workflow/1?q=a b', '/workflow/1?q=a%20b'],
    ['/a/../workflow/2', '/workflow/2'],
    ['/restaurants', '/restaurants'],
    [undefined, '/'],
    ['', '/'],
  ])('keeps %j as %j', (input, path) => {
    expect(checkRedirectPath(input)).toEqual({ ok: true, path });
  });

  it.each(SCHEME_LIKE)('refuses the scheme-like first segment %j', (input) => {
    for (const basePath of ['/', '/n8n/']) {
      expect(checkRedirectPath(input, { basePath })).toEqual({
        ok: false,
        path: '/',
        problem: 'must not start with a segment that reads as a URL scheme',
      });
    }
  });

  it('keeps a colon after the first segment', () => {
    expect(checkRedirectPath('/workflow/a:b?x=https://e')).toEqual({
      ok: true,
      path: '/workflow/a:b?x=https://e',
    });
  });

  it('refuses non-string input', () => {
    expect(checkRedirectPath(['/a', '/b'])).toMatchObject({ ok: false, path: '/' });
  });

  describe('under a base path', () => {
    const basePath = '/n8n/';
    it('returns the path relative to the base', () => {
      expect(safeRedirectPath('/workflow/1', { basePath })).toBe('/workflow/1');
      expect(safeRedirectPath('/workflow/1', { basePath: 'n8n' })).toBe('/workflow/1');
    });
    it.each(['/../rest/logout', '/..', '/%2e%2e/other-app', '/a/../../x'])(
      'refuses the escape %j',
      (input) => {
        expect(checkRedirectPath(input, { basePath })).toEqual({
          ok: false,
          path: '/',
          problem: 'must stay inside the base path',
        });
      },
    );
    it('refuses REST targets under the base', () => {
      expect(checkRedirectPath('/rest/logout', { basePath })).toMatchObject({ ok: false });
    });
  });

  it('never yields a raw control character', () => {
    for (let code = 0; code < 0x20; code++) {
      const path = safeRedirectPath(`/a${String.fromCharCode(code)}b`);
      expect(path).toBe('/');
    }
  });
});

describe('redirectLocation', () => {
  const bases = [
    new URL('http://n8n.test/'),
    new URL('https://n8n.test:8443/n8n/'),
    new URL('http://127.0.0.1:5678/a%20b/c'),
  ];

  it.each(SCHEME_LIKE)('sends %j to the base URL itself', (input) => {
    for (const base of bases) {
      const root = `${base.origin}${base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`}`;
      expect(redirectLocation(base, input)).toBe(root);
    }
  });

  it('joins a checked path under the base path', () => {
    expect(redirectLocation(bases[1] as URL, '/workflow/7?tab=x#y')).toBe(
      'https://n8n.test:8443/n8n/workflow/7?tab=x#y',
    );
    expect(redirectLocation(bases[2] as URL, '/home')).toBe('http://127.0.0.1:5678/a%20b/c/home');
  });

  // Pieces an attacker combines: separators, schemes, encodings, dots, hosts, controls, lookalikes.
  const piece = fc.constantFrom(
    '/',
    '//',
    '\\',
    ':',
    '.',
    '..',
    '%',
    '%2f',
    '%2F',
    '%2e',
    '%3a',
    '%5c',
    '%00',
    '%0d%0a',
    '@',
    '?',
    '#',
    'https',
    'http',
    'javascript',
    'data',
    'HTTPS',
    'evil.example',
    'n8n.test',
    'rest',
    'a',
    ' ',
    '\t',
    '\n',
    '\u0000',
    '\u3002',
    '\uff0f',
    '\u2215',
    ';',
    '&',
    '=',
    'x',
  );
  const hostile = fc.oneof(
    fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ maxLength: 80 }).map((s) => `/${s}`),
  );

  it('is same-origin and under the base path for any input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases), hostile, (base, input) => {
        const location = new URL(redirectLocation(base, input));
        const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
        expect(location.origin).toBe(base.origin);
        expect(location.pathname.startsWith(basePath)).toBe(true);
        expect(location.username + location.password).toBe('');
      }),
      { numRuns: 5000 },
    );
  });
});
