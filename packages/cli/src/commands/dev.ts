import { displayText, type Profile } from '@n8n-embed/protocol';
import { type Command, Option } from 'commander';
import type { DevEvent } from '../dev/dev-server.js';
import { portNumber } from '../flags.js';
import { CliError, readText } from '../io.js';
import type { CommandRun, LazyAction } from '../program.js';

interface Options {
  readonly port: number;
  readonly host: string;
  readonly trustedKeys: string;
  readonly audience?: string;
  readonly profile: Profile;
  readonly portalOrigin?: string[];
  readonly partitionedCookie?: boolean;
}

export function devCommand(parent: Command, lazy: LazyAction): Command {
  return (
    parent
      .command('dev')
      .description('a local n8n-compatible /rest/auth/embed for portal development (no n8n needed)')
      .option('--port <port>', 'port to listen on (0 picks a free one)', portNumber, 5678)
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .requiredOption('--trusted-keys <file>', "n8n's trusted-keys JSON (from keys trusted-config)")
      .option('--audience <aud>', "the audience tokens must name (default: the keys' expectedAudience)")
      .option(
        '--portal-origin <origin...>',
        'a portal that may frame it: logins from the browser helper get the embed handshake, pages the bridge',
      )
      .option(
        '--partitioned-cookie',
        'the session cookie carries Partitioned (CHIPS): a cross-site portal frame keeps it where third-party cookies are blocked',
      )
      .addOption(
        new Option('--profile <profile>', 'verifier profile').choices(['strict', 'n8n']).default('strict'),
      )
      .addHelpText(
        'after',
        "\nServes GET/POST /rest/auth/embed with n8n's statuses and messages, a session cookie, GET /rest/login,\nand a page at every other path showing who is signed in. Logins and refusals (with the answer's\nmessage) are logged to stderr, never the token.\n\nExample:\n  n8n-embed dev --trusted-keys trusted-keys.json --audience http://127.0.0.1:5678/",
      )
      // `run` is below in this module: no self-import (a bundler cannot split a module from itself).
      .action(lazy(async () => ({ run })))
  );
}

function portalOrigins(values: readonly string[]): string[] {
  return values.map((value) => {
    if (!/^https?:\/\/./.test(value) || !URL.canParse(value))
      throw new CliError(`--portal-origin: ${JSON.stringify(value)} is not an http(s) origin`, 2);
    return new URL(value).origin;
  });
}

/** One log line per event; every value came from a token or a request, so it is made printable. */
export function eventLine(event: DevEvent): string {
  if (event.type === 'embed-login')
    return `login: ${displayText(event.sub, 80)} (kid ${displayText(event.kid, 80)}, jti #${event.jtiHash})\n`;
  const why = [event.answer, event.detail]
    .filter((text) => text !== undefined)
    .map((text) => displayText(text, 200));
  return `refused: ${event.reason}${why.length ? ` (${why.join('; ')})` : ''}\n`;
}

/** Listening failures, as the flag that caused them. */
function listenError(error: unknown, options: Options): unknown {
  const code = (error as { code?: string }).code;
  const host = displayText(options.host, 80);
  if (code === 'EADDRINUSE')
    return new CliError(
      `--port: ${options.port} is in use on ${host}; pass another --port, or --port 0 for a free one`,
    );
  if (code === 'EACCES')
    return new CliError(`--port: ${options.port} needs privileges; use a port above 1023`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new CliError(
      `--host: ${host} does not resolve (${code}); use an address of this machine, e.g. 127.0.0.1`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new CliError(`--host: ${host} is not an address of this machine (EADDRNOTAVAIL)`);
  return error;
}

export const run: CommandRun<Options> = async (options, io) => {
  const { startDevServer } = await import('../dev/dev-server.js');
  const server = await startDevServer({
    trustedKeys: await readText(io, options.trustedKeys, '--trusted-keys'),
    port: options.port,
    host: options.host,
    profile: options.profile,
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.portalOrigin ? { portalOrigins: portalOrigins(options.portalOrigin) } : {}),
    ...(options.partitionedCookie ? { partitionedCookie: true } : {}),
    warn: (message) => io.stderr(`${message}\n`),
    onEvent: (event) => io.stderr(eventLine(event)),
  }).catch((error: unknown) => {
    throw listenError(error, options);
  });
  io.stdout(
    `n8n-embed dev: ${server.url} (login at ${server.url}rest/auth/embed, profile ${options.profile}); Ctrl-C stops\n`,
  );
  await io.untilStopped();
  await server.close();
  return 0;
};
