import type { Profile } from '@n8n-embed/protocol';
import { startDevServer } from '../dev/dev-server.js';
import { CliError, readText } from '../io.js';
import type { CommandRun } from '../program.js';

interface Options {
  readonly port: string;
  readonly host: string;
  readonly trustedKeys: string;
  readonly audience?: string;
  readonly profile: Profile;
  readonly portalOrigin?: string[];
}

function portalOrigins(values: readonly string[]): string[] {
  return values.map((value) => {
    if (!/^https?:\/\/./.test(value) || !URL.canParse(value))
      throw new CliError(`--portal-origin: ${JSON.stringify(value)} is not an http(s) origin`, 2);
    return new URL(value).origin;
  });
}

export const run: CommandRun<Options> = async (options, io) => {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError('--port: must be 0–65535', 2);
  const server = await startDevServer({
    trustedKeys: await readText(io, options.trustedKeys, '--trusted-keys'),
    port,
    host: options.host,
    profile: options.profile,
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.portalOrigin ? { portalOrigins: portalOrigins(options.portalOrigin) } : {}),
    warn: (message) => io.stderr(`${message}\n`),
    onEvent: (event) =>
      io.stderr(
        event.type === 'embed-login'
          ? `login: ${event.sub} (kid ${event.kid}, jti #${event.jtiHash})\n`
          : `refused: ${event.reason}${event.detail ? ` (${event.detail})` : ''}\n`,
      ),
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new CliError(`--port: ${port} is in use`);
    throw error;
  });
  io.stdout(
    `n8n-embed dev: ${server.url} (login at ${server.url}rest/auth/embed, profile ${options.profile}); Ctrl-C stops\n`,
  );
  await io.untilStopped();
  await server.close();
  return 0;
};
