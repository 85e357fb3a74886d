import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('..', import.meta.url);

export interface RunningProxy {
  readonly port: number;
  readonly accessLog: () => string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function requireBinary(name: string): void {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is not installed: apt-get install -y ${name} (.ci/run does this)`);
  }
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`proxy exited: ${output()}`);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.end();
          resolve();
        });
        socket.on('error', reject);
      });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`proxy did not listen: ${output()}`);
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv, dir: string, port: number) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, output: () => output, stop, port };
}

export interface ProxyOptions {
  /** The config's commented-out cross-site block enabled (Partitioned n8n-auth cookies, issue 14). */
  readonly partitioned?: boolean;
}

/** Runs the example nginx.conf as shipped, with only the listener, TLS and upstream swapped for test ones. */
export async function startNginx(upstreamPort: number, options: ProxyOptions = {}): Promise<RunningProxy> {
  requireBinary('nginx');
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-nginx-'));
  const port = await freePort();
  const shipped = readFileSync(new URL('nginx.conf', here), 'utf8');
  const site = (
    options.partitioned ? shipped.replace(/^(\s*)# (proxy_cookie_(?:flags|path) .*)$/gm, '$1$2') : shipped
  )
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port};`)
    .replace(/^\s*ssl_certificate.*$/gm, '')
    .replace('server 127.0.0.1:5678;', `server 127.0.0.1:${upstreamPort};`)
    .replace('/var/log/nginx/n8n.access.log', join(dir, 'access.log'));
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr;
events {}
http {
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  include ${join(dir, 'site.conf')};
}
`,
  );
  const proxy = start('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], {}, dir, port);
  await waitForPort(port, proxy.child, proxy.output);
  return { port, stop: proxy.stop, accessLog: () => readFileSync(join(dir, 'access.log'), 'utf8') };
}

/** Runs the example Caddyfile as shipped, over plain HTTP on a test port, logging to stdout. */
export async function startCaddy(upstreamPort: number, options: ProxyOptions = {}): Promise<RunningProxy> {
  requireBinary('caddy');
  const dir = mkdtempSync(join(tmpdir(), 'n8n-embed-caddy-'));
  const port = await freePort();
  const shipped = readFileSync(new URL('Caddyfile', here), 'utf8');
  const site = (
    options.partitioned ? shipped.replace(/^(\s*)# (header_down Set-Cookie .*)$/m, '$1$2') : shipped
  )
    // http_port rather than a port in the site address: Caddy names the access logger after the
    // site address, so it must stay `n8n.portal.example.com` as in production.
    .replace(
      'n8n.portal.example.com {',
      `{\n\tadmin off\n\tauto_https off\n\thttp_port ${port}\n}\n\nhttp://n8n.portal.example.com {\n\tbind 127.0.0.1`,
    )
    .replace('reverse_proxy 127.0.0.1:5678', `reverse_proxy 127.0.0.1:${upstreamPort}`);
  writeFileSync(join(dir, 'Caddyfile'), site);
  const env = { XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir };
  const proxy = start(
    'caddy',
    ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
    env,
    dir,
    port,
  );
  await waitForPort(port, proxy.child, proxy.output);
  return { port, stop: proxy.stop, accessLog: proxy.output };
}
