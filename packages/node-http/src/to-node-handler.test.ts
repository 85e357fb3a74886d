import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeNativeOf, toNodeHandler, type WebHandler } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: WebHandler, options?: { maxBodyBytes?: number }): Promise<string> {
  const server = createServer(toNodeHandler(handler, options));
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
    expect(await tooLarge.json()).toEqual({ code: 413, message: 'Request body too large' });
    const failing = await serve(async () => {
      throw new Error('secret detail');
    });
    const answer = await fetch(failing);
    expect(answer.status).toBe(500);
    expect(await answer.text()).not.toContain('secret');
  });
});
