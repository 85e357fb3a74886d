import { createServer, type RequestListener, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fromWebRequest,
  type LiteHandler,
  nodeNativeOf,
  placeholderUrl,
  toNodeHandler,
  toWebRequest,
  toWebResponse,
  type WebHandler,
  withLiteHandler,
} from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: WebHandler, options?: { maxBodyBytes?: number }): Promise<string> {
  return listenWith(toNodeHandler(handler, options));
}

async function listenWith(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('toNodeHandler', () => {
  it("the NodeNative boundary: Set-Cookie written on res is kept, before the Response's own", async () => {
    const url = await serve(async (_request, { native }) => {
      const node = nodeNativeOf(native);
      node?.res.setHeader('set-cookie', 'host=1; Path=/');
      node?.res.setHeader('x-ignored', 'the Response decides every other header');
      return new Response('ok', {
        status: 201,
        headers: { 'set-cookie': 'handler=2; Path=/', 'x-own': 'y' },
      });
    });
    const response = await fetch(url);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['host=1; Path=/', 'handler=2; Path=/']);
    expect(response.headers.get('x-own')).toBe('y');
    expect(await response.text()).toBe('ok');
  });

  it('nodeNativeOf reads only what came through toNodeHandler', () => {
    expect(nodeNativeOf(undefined)).toBeUndefined();
    expect(nodeNativeOf({ req: {}, res: {} })).toBeUndefined();
    const native = { req: { headers: {} }, res: { setHeader: () => {}, getHeader: () => undefined } };
    expect(nodeNativeOf(native)).toBe(native);
  });

  it('answers 413 over the body cap and a bare 500 when the handler throws', async () => {
    const echo = await serve(async (request) => new Response(await request.text()), { maxBodyBytes: 8 });
    expect((await fetch(echo, { method: 'POST', body: '12345678' })).status).toBe(200);
    const tooLarge = await fetch(echo, { method: 'POST', body: '123456789' });
    expect(tooLarge.status).toBe(413);
    // The rest of the body is never read: the connection closes after the answer.
    expect(tooLarge.headers.get('connection')).toBe('close');
    expect(await tooLarge.json()).toEqual({ code: 413, message: 'Request body too large' });
    const failing = await serve(async () => {
      throw new Error('secret detail');
    });
    const answer = await fetch(failing);
    expect(answer.status).toBe(500);
    expect(await answer.text()).not.toContain('secret');
  });
});

describe('a handler with a lite form', () => {
  const never: WebHandler = async () => {
    throw new Error('toNodeHandler must take the lite form');
  };
  async function serveLite(lite: LiteHandler, options?: { maxBodyBytes?: number }): Promise<string> {
    return serve(withLiteHandler(never, lite), options);
  }

  it('is served without Web objects: target, headers, body, status and cookies as they are', async () => {
    let seen: Record<string, unknown> = {};
    const url = await serveLite(async (request, { clientAddress, native }) => {
      const body = await request.body(1024);
      seen = {
        method: request.method,
        target: request.target,
        accept: request.header('Accept'),
        missing: request.header('x-missing'),
        names: request.headerNames().includes('x-two'),
        body: new TextDecoder().decode(body),
        clientAddress,
      };
      nodeNativeOf(native)?.res.setHeader('set-cookie', 'host=1');
      return { status: 201, headers: { 'x-own': 'y' }, cookies: ['a=1', 'b=2'], body: 'dön€' };
    });
    const response = await fetch(`${url}a//b?x=1&x=2`, {
      method: 'POST',
      body: 'hello',
      headers: { accept: 'text/html', 'x-two': 'z' },
    });
    expect(seen).toEqual({
      method: 'POST',
      target: '/a//b?x=1&x=2',
      accept: 'text/html',
      missing: null,
      names: true,
      body: 'hello',
      clientAddress: '127.0.0.1',
    });
    expect(response.status).toBe(201);
    // The whole answer in one block with its length in bytes (not characters), never chunked.
    expect(response.headers.get('content-length')).toBe('7');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(response.headers.get('x-own')).toBe('y');
    expect(response.headers.getSetCookie()).toEqual(['host=1', 'a=1', 'b=2']);
    expect(await response.text()).toBe('dön€');
  });

  it("a body over the handler's own cap is undefined; over the transport's, a 413", async () => {
    const url = await serveLite(
      async (request) => {
        const cap = Number(request.header('x-cap'));
        const body = await request.body(cap);
        return { status: 200, headers: {}, body: body === undefined ? 'over' : String(body.byteLength) };
      },
      { maxBodyBytes: 8 },
    );
    const send = (body: string, cap: number) =>
      fetch(url, { method: 'POST', body, headers: { 'x-cap': String(cap) } });
    expect(await (await send('1234', 4)).text()).toBe('4');
    const over = await send('12345', 4);
    expect(over.headers.get('connection')).toBe('close');
    expect(await over.text()).toBe('over');
    expect((await send('123456789', 100)).status).toBe(413);
  });

  it('a host that already read the body hands over its bytes, with the headers that describe them', async () => {
    const lite: LiteHandler = async (request) => ({
      status: 200,
      headers: {},
      body: JSON.stringify({
        type: request.header('content-type'),
        length: request.header('content-length'),
        names: request.headerNames().filter((name) => name.startsWith('content-')),
        body: new TextDecoder().decode(await request.body(100)),
      }),
    });
    const handle = toNodeHandler(withLiteHandler(never, lite));
    const parsed = { a: ['b'] };
    const url = await listenWith((req, res) => {
      Object.assign(req, { body: parsed });
      return handle(req, res);
    });
    const answer = await (
      await fetch(url, { method: 'POST', body: 'a=b', headers: { 'content-type': 'text/plain' } })
    ).json();
    expect(answer).toEqual({
      type: 'application/json',
      length: null,
      names: ['content-type'],
      body: '{"a":["b"]}',
    });
  });

  it('a client that leaves mid-body ends the read with an error, never a read that waits forever', async () => {
    let outcome: Promise<string> | undefined;
    const url = await serveLite(async (request) => {
      outcome = request.body(1000).then(
        () => 'read',
        () => 'refused',
      );
      await outcome;
      return { status: 200, headers: {} };
    });
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect.poll(() => outcome, { timeout: 2000 }).toBeDefined();
    expect(await outcome).toBe('refused');
  });

  it('an absolute-form target reads as the Web entry reads it (placeholderUrl): "/"', async () => {
    const targets: string[] = [];
    const url = await serveLite(async (request) => {
      targets.push(request.target);
      return { status: 204, headers: {} };
    });
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.resume(); // read the answer, so the close arrives
    socket.write(
      'GET http://evil.example/x?token=t HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    );
    await new Promise((resolve) => socket.once('close', resolve));
    expect(targets).toEqual([placeholderUrl('http://evil.example/x?token=t').pathname]);
  });

  it('an answer without a body (a redirect) says Content-Length: 0 and is not chunked', async () => {
    const url = await serveLite(async () => ({ status: 302, headers: { location: '/home' } }));
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/home');
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });

  it('a lite handler that throws is a bare 500', async () => {
    const url = await serveLite(async () => {
      throw new Error('secret detail');
    });
    const answer = await fetch(url);
    expect(answer.status).toBe(500);
    expect(await answer.text()).not.toContain('secret');
  });
});

describe('the Web form of a lite request and answer', () => {
  it('joins the target as a path, never resolving it to another origin', () => {
    expect(placeholderUrl('//evil.example/x?a=1').host).toBe('localhost');
    expect(placeholderUrl('//evil.example/x?a=1').pathname).toBe('//evil.example/x');
    expect(placeholderUrl('http://evil.example/x').href).toBe('http://localhost/');
    expect(placeholderUrl('/p?q=1').search).toBe('?q=1');
  });

  it('round-trips headers, cookies and the body', async () => {
    const request = new Request('https://n8n.example.com/rest/x?y=1', {
      method: 'POST',
      body: 'hi',
      headers: { origin: 'https://portal.example.com' },
    });
    const lite = fromWebRequest(request, async (body, max) =>
      new Uint8Array(await new Response(body).arrayBuffer()).slice(0, max),
    );
    expect(lite.target).toBe('/rest/x?y=1');
    expect(toWebRequest(lite).headers.get('origin')).toBe('https://portal.example.com');
    expect(toWebRequest(lite).url).toBe('http://localhost/rest/x?y=1');
    expect(new TextDecoder().decode(await lite.body(10))).toBe('hi');
    const response = toWebResponse({ status: 302, headers: { location: '/a' }, cookies: ['a=1', 'b=2'] });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/a');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });
});
