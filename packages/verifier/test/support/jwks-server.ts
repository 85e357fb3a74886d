import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JwksMode = 'ok' | 'error' | 'slow' | 'html' | 'empty' | 'private' | 'oct' | 'huge' | 'changed';

/**
 * A real JWKS endpoint on 127.0.0.1 whose behaviour a test switches: a good set, a 500, a slow answer,
 * HTML, `{}`, a private key, an `oct` key, 5 MB, or a changed key for a known kid. Counts requests.
 */
export async function startJwksServer(keys: Record<string, unknown>[]): Promise<{
  url: string;
  requests: () => number;
  set(mode: JwksMode, options?: { maxAge?: number; keys?: Record<string, unknown>[] }): void;
  close(): Promise<void>;
}> {
  let mode: JwksMode = 'ok';
  let maxAge: number | undefined;
  let current = keys;
  let count = 0;
  const server: Server = createServer((_, res) => {
    count += 1;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(maxAge === undefined ? {} : { 'cache-control': `max-age=${maxAge}` }),
      });
      res.end(JSON.stringify(body));
    };
    const first = current[0] ?? {};
    switch (mode) {
      case 'ok':
        return json(200, { keys: current });
      case 'error':
        return json(500, { error: 'down' });
      case 'slow':
        return void setTimeout(() => json(200, { keys: current }), 2000);
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end('<html>maintenance</html>');
      case 'empty':
        return json(200, {});
      case 'private':
        return json(200, { keys: [{ ...first, d: 'AAAA' }] });
      case 'oct':
        return json(200, { keys: [{ kty: 'oct', kid: 'sym', k: 'c2VjcmV0' }] });
      case 'huge':
        return json(200, { keys: current, padding: 'x'.repeat(5 * 1024 * 1024) });
      case 'changed':
        return json(200, { keys: [{ ...first, x: current[1]?.x, y: current[1]?.y }] });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests: () => count,
    set(next, options = {}) {
      mode = next;
      maxAge = options.maxAge;
      if (options.keys) current = options.keys;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
