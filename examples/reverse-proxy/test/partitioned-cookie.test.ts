// Issue 14, strategy 2: with the examples' cross-site block enabled, every n8n-auth cookie n8n sets
// leaves the proxy Secure; SameSite=None; Partitioned: the embed login, n8n's own refresh near expiry
// (a later ordinary answer that re-issues the cookie without the attribute) and the sign-out's
// removal (Express's clearCookie, which has neither Secure nor SameSite). The configs as shipped pass
// the cookie unchanged (reverse-proxy.test.ts).
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProxy, startCaddy, startNginx } from './proxy-servers.js';

// n8n's three Set-Cookie shapes for its session (n8n 2.41.1 AuthService.issueCookie through Express's
// res.cookie, for an embed session; and res.clearCookie).
const N8N_COOKIES: Record<string, string> = {
  '/rest/auth/embed':
    'n8n-auth=login.jwt; Max-Age=604800; Path=/; Expires=Tue, 08 Dec 2026 00:00:00 GMT; HttpOnly; Secure; SameSite=None',
  '/rest/login':
    'n8n-auth=refreshed.jwt; Max-Age=604800; Path=/; Expires=Tue, 08 Dec 2026 00:00:00 GMT; HttpOnly; Secure; SameSite=None',
  '/rest/logout': 'n8n-auth=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
};

let upstream: Server;
let upstreamPort = 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://n8n').pathname;
    const cookie = N8N_COOKIES[path];
    if (cookie) res.setHeader('Set-Cookie', cookie);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"data":{}}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(() => new Promise((resolve) => upstream.close(resolve)));

describe.each([
  ['nginx', startNginx],
  ['caddy', startCaddy],
])('%s example, cross-site block enabled', (_, startProxy) => {
  let proxy: RunningProxy;
  beforeAll(async () => {
    proxy = await startProxy(upstreamPort, { partitioned: true });
  });
  afterAll(() => proxy.stop());

  const cookiesOf = (path: string) =>
    new Promise<IncomingHttpHeaders['set-cookie']>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: proxy.port,
        path,
        method: 'POST',
        headers: { Host: 'n8n.portal.example.com' },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['set-cookie']));
      });
      req.on('error', reject);
      req.end();
    });

  /** The attributes a browser sees, by name (the last of each counts, as in RFC 6265bis). */
  const attributes = (cookie: string | undefined) =>
    Object.fromEntries(
      (cookie ?? '')
        .split(';')
        .slice(1)
        .map((part) => {
          const [name = '', value = ''] = part.trim().split('=');
          return [name.toLowerCase(), value.toLowerCase()];
        }),
    );

  it.each(Object.keys(N8N_COOKIES))(
    '%s: n8n-auth leaves Secure; SameSite=None; Partitioned',
    async (path) => {
      const cookies = (await cookiesOf(path)) ?? [];
      expect(cookies).toHaveLength(1);
      const [cookie] = cookies;
      // The value and n8n's own attributes are kept.
      expect(cookie?.startsWith(N8N_COOKIES[path]?.split(';')[0] ?? '-')).toBe(true);
      expect(attributes(cookie)).toMatchObject({
        path: '/',
        secure: '',
        samesite: 'none',
        partitioned: '',
      });
    },
  );

  it('leaves answers without a cookie alone', async () => {
    expect(await cookiesOf('/home/workflows')).toBeUndefined();
  });
});
