import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DevServer, startDevServer } from '../../src/index.js';
import { run } from '../../src/run.js';
import { memoryIo } from '../memory-io.js';

export const ISSUER = 'https://portal.example.com';

export interface DevDeployment {
  readonly dev: DevServer;
  /** A working directory holding keys/doctor-1.private.jwk and trusted-keys.json. */
  readonly cwd: string;
  readonly portalOrigin: string;
  readonly keyArgs: readonly string[];
  close(): Promise<void>;
}

/**
 * A portal key made by the CLI itself, its trusted-keys entry (allowedRoles set) and `n8n-embed dev`
 * trusting it, started in-process on a free port, with the portal on the same host.
 */
export async function devDeployment(
  options: { readonly rateLimit?: false; readonly allowedRoles?: string } = {},
): Promise<DevDeployment> {
  const io = memoryIo();
  const cwd = io.cwd;
  if ((await run(['keys', 'generate', '--kid', 'doctor-1', '--out', 'keys'], io)) !== 0)
    throw new Error(io.err());
  return startWithKeys(cwd, options);
}

async function startWithKeys(
  cwd: string,
  options: { readonly rateLimit?: false; readonly allowedRoles?: string },
): Promise<DevDeployment> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = memoryIo({ cwd });
  const code = await run(
    [
      'keys',
      'trusted-config',
      '--public-key',
      'keys/doctor-1.public.jwk',
      '--issuer',
      ISSUER,
      '--audience',
      url,
      '--allowed-roles',
      options.allowedRoles ?? 'global:member',
    ],
    config,
  );
  if (code !== 0) throw new Error(config.err());
  writeFileSync(join(cwd, 'trusted-keys.json'), config.out());
  const portalOrigin = `http://127.0.0.1:${await freePort()}`;
  const dev = await startDevServer({
    trustedKeys: JSON.parse(readFileSync(join(cwd, 'trusted-keys.json'), 'utf8')),
    port,
    portalOrigins: [portalOrigin],
    ...(options.rateLimit === false ? { rateLimit: false } : {}),
  });
  return {
    dev,
    cwd,
    portalOrigin,
    keyArgs: ['--key', 'keys/doctor-1.private.jwk', '--issuer', ISSUER],
    close: () => dev.close(),
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Output with this run's ports replaced, for snapshots. */
export function normalised(
  text: string,
  deployment: { readonly dev: DevServer; readonly portalOrigin: string },
): string {
  return text
    .replaceAll(deployment.dev.url, 'http://127.0.0.1:N8N/')
    .replaceAll(deployment.dev.url.slice(0, -1), 'http://127.0.0.1:N8N')
    .replaceAll(deployment.portalOrigin, 'http://127.0.0.1:PORTAL');
}
