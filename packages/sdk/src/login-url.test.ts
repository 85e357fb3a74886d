import { describe, expect, it } from 'vitest';
import { messageOf } from '../test/support/error-message.js';
import { renderLoginForm } from './login-form.js';
import { buildLoginUrl } from './login-url.js';

const token = 'aaa.bbb.ccc';

describe('buildLoginUrl', () => {
  it('joins the endpoint to the base path and encodes the parameters', () => {
    expect(buildLoginUrl({ n8nUrl: 'https://n8n.example.com', token })).toBe(
      'https://n8n.example.com/rest/auth/embed?token=aaa.bbb.ccc',
    );
    expect(buildLoginUrl({ n8nUrl: 'https://example.com/n8n', token, redirectTo: '/workflow/1?tab=x' })).toBe(
      'https://example.com/n8n/rest/auth/embed?token=aaa.bbb.ccc&redirectTo=%2Fworkflow%2F1%3Ftab%3Dx',
    );
    expect(buildLoginUrl({ n8nUrl: 'http://127.0.0.1:5678/', token })).toMatch(
      /^http:\/\/127\.0\.0\.1:5678\/rest/,
    );
  });

  it.each([
    ['http://n8n.example.com', /^n8nUrl: must be https/],
    ['https://user:pw@n8n.example.com', /^n8nUrl: must not contain credentials/],
    ['n8n.example.com', /^n8nUrl: must be an absolute URL/],
    ['https://n8n.example.com/?x=1', /^n8nUrl: must not have a query/],
  ])('refuses the n8n URL %s', (n8nUrl, message) => {
    expect(messageOf(() => buildLoginUrl({ n8nUrl, token }))).toMatch(message);
  });

  it.each([
    'https://evil.com',
    '//evil.com',
    '/\\evil.com',
    '/%0d%0aSet-Cookie:a=b',
    '/rest/logout',
    '/rest/auth/embed?token=x',
    `/${'a'.repeat(5000)}`,
    '/a/../../x',
  ])('refuses redirectTo %s', (redirectTo) => {
    expect(messageOf(() => buildLoginUrl({ n8nUrl: 'https://h.example/n8n/', token, redirectTo }))).toMatch(
      /^redirectTo: /,
    );
  });

  it('refuses a redirectTo the endpoint would rewrite', () => {
    expect(
      messageOf(() => buildLoginUrl({ n8nUrl: 'https://h.example', token, redirectTo: '/a/./b' })),
    ).toMatch(/would rewrite it to "\/a\/b"/);
  });
});

describe('a redirectTo that reads as a URL scheme', () => {
  it.each([
    '/https://evil.example/phish',
    '/javascript:alert(1)',
    '/data:text/html,x',
    '/HTTPS://evil.example',
    '/https:evil.example',
    '/https%3A//evil.example',
    '/%68ttps://evil.example',
  ])('%j is refused when the link or form is built', (redirectTo) => {
    for (const n8nUrl of ['https://h.example', 'https://h.example/n8n/']) {
      expect(messageOf(() => buildLoginUrl({ n8nUrl, token, redirectTo }))).toBe(
        'redirectTo: must not start with a segment that reads as a URL scheme',
      );
      expect(messageOf(() => renderLoginForm({ n8nUrl, token, redirectTo }))).toBe(
        'redirectTo: must not start with a segment that reads as a URL scheme',
      );
    }
  });
});
