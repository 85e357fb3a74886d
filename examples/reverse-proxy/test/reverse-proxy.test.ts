import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProxy, startCaddy, startNginx } from './proxy-servers.js';

// A stand-in for n8n at the I/O edge: it answers the way n8n does on the headers that matter here
// (X-Frame-Options, the session cookie, a WebSocket upgrade on /rest/push) and records what it saw.
let upstream: Server;
let upstreamPort = 0;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.setHeader('X-Frame-Options', 'sameorigin');
    res.setHeader('Set-Cookie', 'n8n-auth=session; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=None');
    res.writeHead(req.url?.startsWith('/rest/auth/embed') ? 302 : 200, { Location: '/workflow/1' });
    res.end('ok');
  });
  upstream.on('upgrade', (req, socket) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(() => new Promise((resolve) => upstream.close(resolve)));

function upgrade(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/rest/push?pushRef=abc',
      headers: { Host: 'n8n.portal.example.com', Connection: 'Upgrade', Upgrade: 'websocket' },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on('response', (res) => resolve(res.statusCode));
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['nginx', startNginx],
  ['caddy', startCaddy],
])('%s example', (_, startProxy) => {
  let proxy: RunningProxy;
  beforeAll(async () => {
    proxy = await startProxy(upstreamPort);
  });
  afterAll(() => proxy.stop());

  // node:http rather than fetch: fetch drops a Host header, and the proxies route by it.
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: proxy.port,
        path,
        headers: { Host: 'n8n.portal.example.com', ...headers },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });

  it('lets only the portal frame n8n', async () => {
    const response = await get('/home/workflows');
    expect(response.status).toBe(200);
    expect(response.headers['x-frame-options']).toBeUndefined();
    expect(response.headers['content-security-policy']).toBe('frame-ancestors https://portal.example.com');
  });

  it("passes n8n's login redirect and session cookie through unchanged", async () => {
    const response = await get('/rest/auth/embed?token=a.b.c&redirectTo=%2Fworkflow%2F1');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/workflow/1');
    expect(response.headers['set-cookie']).toEqual([
      'n8n-auth=session; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=None',
    ]);
  });

  it('tells n8n the real client address, whatever the client claims', async () => {
    await get('/whoami', { 'X-Forwarded-For': '203.0.113.9' });
    const request = seen.findLast((entry) => entry.url === '/whoami');
    expect(request?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(request?.headers.host).toBe('n8n.portal.example.com');
  });

  it("proxies the editor's WebSocket upgrade", async () => {
    expect(await upgrade(proxy.port)).toBe(101);
    const push = seen.findLast((entry) => entry.url.startsWith('/rest/push'));
    expect(push?.headers.upgrade).toBe('websocket');
  });

  it('keeps login tokens out of the access log', async () => {
    const secret = 'eyJhbGciOiJFUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl';
    await get(`/rest/auth/embed?token=${secret}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = proxy.accessLog();
    expect(log).toContain('/rest/auth/embed');
    expect(log).not.toContain(secret);
  });
});
