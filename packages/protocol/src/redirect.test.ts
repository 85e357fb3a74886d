import { describe, expect, it } from 'vitest';
import { checkRedirectPath, safeRedirectPath } from './redirect.js';

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
