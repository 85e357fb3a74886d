import { describe, expect, it } from 'vitest';
import { messageOf } from '../test/support/error-message.js';
import { renderLoginForm } from './login-form.js';

const token = 'aaa.bbb.ccc';

describe('renderLoginForm', () => {
  it('posts to the endpoint with every value escaped, under a nonce, without caching or referrer', () => {
    const form = renderLoginForm({
      n8nUrl: 'https://h.example/n8n/',
      token: '"><script>alert(1)</script>',
      redirectTo: '/workflow/1?q=x&y=1',
      nonce: 'abc123==',
    });
    expect(form.headers['Cache-Control']).toBe('no-store');
    expect(form.headers['Referrer-Policy']).toBe('strict-origin');
    expect(form.body).toContain('<meta name="referrer" content="strict-origin">');
    expect(form.body).toContain('action="https://h.example/n8n/rest/auth/embed"');
    expect(form.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(form.body).toContain('value="/workflow/1?q=x&amp;y=1"');
    expect(form.body).toContain('<script nonce="abc123==">');
    expect(form.body.match(/<script/g)).toHaveLength(1);
  });

  it('refuses a nonce that could break out of the attribute', () => {
    expect(
      messageOf(() => renderLoginForm({ n8nUrl: 'https://h.example', token, nonce: 'a" onload="x' })),
    ).toMatch(/^nonce: /);
  });
});
