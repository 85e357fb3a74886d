import { createConnection, createServer, type Server } from 'node:net';

/** n8n's default HTTP port and its task broker's: what a user's own n8n holds. */
export const N8N_DEFAULT_PORTS: readonly number[] = [5678, 5679];

export interface HeldPorts {
  /** The ports this process listens on; the others were already taken (e.g. by a user's n8n). */
  readonly ours: readonly number[];
  release(): Promise<void>;
}

/**
 * Makes sure each port is busy on 127.0.0.1 while a test runs: listens on it, or finds it already in
 * use (then someone else holds it, which serves the test as well).
 */
export async function holdPorts(ports: readonly number[]): Promise<HeldPorts> {
  const servers: Server[] = [];
  const ours: number[] = [];
  for (const port of ports) {
    const server = createServer((socket) => socket.destroy());
    const held = await new Promise<boolean>((done, fail) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EADDRINUSE' ? done(false) : fail(error),
      );
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (held) {
      servers.push(server);
      ours.push(port);
    }
  }
  return {
    ours,
    release: () =>
      Promise.all(servers.map((server) => new Promise((done) => server.close(done)))).then(() => undefined),
  };
}

/** True when something accepts connections on 127.0.0.1:`port`. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
