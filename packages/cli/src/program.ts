import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import type { CliIo } from './io.js';

/** What a command module exports: run with the parsed options, answer an exit code. */
export type CommandRun<Options> = (options: Options, io: CliIo) => Promise<number>;

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const ROTATION = `
Zero-downtime key rotation:
  1. n8n-embed keys generate --out keys                       # a new key, kid portal-<date>-<id>
  2. n8n-embed keys trusted-config --public-key keys/NEW.public.jwk \\
       --issuer https://portal.example.com --audience https://n8n.example.com \\
       --merge trusted-keys.json > trusted-keys.next.json      # old and new kid both trusted
  3. deploy trusted-keys.next.json to n8n, then switch the portal's signer to the new key
  4. after the last old token expired (60 s), retire the old kid:
     n8n-embed keys trusted-config --merge trusted-keys.next.json --remove-kid OLD > trusted-keys.json`;

/**
 * The command tree. Each action loads its command module only when it runs, so `--version` and
 * `--help` stay as quick as Node's own start.
 */
export function buildProgram(io: CliIo, done: (exitCode: number) => void): Command {
  const lazy =
    <Options>(load: () => Promise<{ run: CommandRun<Options> }>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const { run } = await load();
      done(await run({ ...command.optsWithGlobals(), args: command.args } as Options, io));
    };

  const program = new Command('n8n-embed')
    .description('Keys, n8n trusted-keys config, test tokens and a local endpoint for n8n embed login')
    .version(version)
    .option('--debug', 'print stack traces of failures')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  const keys = program.command('keys').description('signing keys and n8n trusted-keys configuration');
  keys
    .command('generate')
    .description('create a signing key pair: private JWK (0600), public JWK, JWKS and SPKI PEM')
    .addOption(new Option('--alg <alg>', 'signing algorithm').default('ES256'))
    .option('--kid <id>', 'key id (default: portal-<date>-<random>)')
    .option('--out <dir>', 'directory to write the files to', '.')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  n8n-embed keys generate --out keys\n  n8n-embed keys generate --alg RS256 --kid portal-rsa-1 --out keys',
    )
    .action(lazy(() => import('./commands/keys-generate.js')));
  keys
    .command('trusted-config')
    .description("print n8n's N8N_TOKEN_EXCHANGE_TRUSTED_KEYS JSON for a portal key")
    .option('--public-key <file>', 'the public JWK (from keys generate)')
    .option('--issuer <url>', "the portal's issuer URL (the tokens' iss)")
    .option('--audience <url>', 'the n8n URL (the tokens\u2019 aud, n8n\u2019s expectedAudience)')
    .option('--allowed-roles <roles>', 'comma-separated roles this key may log in as, e.g. global:member')
    .addOption(
      new Option('--require-verified-email <bool>', 'link/create users only with email_verified').choices([
        'true',
        'false',
      ]),
    )
    .option('--merge <file>', 'an existing trusted-keys JSON to add to')
    .option('--remove-kid <kid>', 'retire this kid from the merged configuration')
    .addHelpText(
      'after',
      `\nExample:\n  n8n-embed keys trusted-config --public-key keys/portal-2026-11-24-ab12cd.public.jwk \\\n    --issuer https://portal.example.com --audience https://n8n.example.com > trusted-keys.json\n${ROTATION}`,
    )
    .action(lazy(() => import('./commands/keys-trusted-config.js')));

  const token = program.command('token').description('test tokens');
  token
    .command('mint')
    .description('mint a login token, or the login URL, or the auto-submitting form')
    .requiredOption('--key <file>', 'the private JWK (from keys generate)')
    .option('--kid <id>', "key id (default: the JWK's kid)")
    .option('--alg <alg>', "algorithm (default: the JWK's alg, else ES256)")
    .requiredOption('--issuer <url>', "the portal's issuer URL")
    .requiredOption('--audience <url>', 'the n8n URL the token is for')
    .requiredOption('--sub <id>', "the portal's user id")
    .option('--email <address>')
    .option('--email-verified', 'the email is verified (needed for a first login)')
    .option('--given-name <name>')
    .option('--family-name <name>')
    .option('--role <role>', 'e.g. global:member')
    .option('--lifetime <seconds>', 'token lifetime, at most 60', '30')
    .option('--n8n-url <url>', 'print the login URL for this n8n instead of the bare token')
    .option('--redirect-to <path>', 'where n8n lands after the login (with --n8n-url)')
    .option('--form <file>', 'write the auto-submitting POST form to this file (with --n8n-url)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  n8n-embed token mint --key keys/portal.private.jwk --issuer https://portal.example.com \\\n    --audience https://n8n.example.com --sub user-1 --email ada@example.com --email-verified \\\n    --n8n-url https://n8n.example.com --redirect-to /home/workflows',
    )
    .action(lazy(() => import('./commands/token-mint.js')));
  token
    .command('inspect')
    .description('check a token against every rule of the contract; with --trusted-keys, verify it fully')
    .argument('<token>', 'the token, or - to read it from stdin')
    .option(
      '--trusted-keys <file>',
      "n8n's trusted-keys JSON: verify the signature and report the exact reason",
    )
    .option('--audience <url>', 'the audience to require (default: the keys\u2019 expectedAudience)')
    .addOption(
      new Option('--profile <profile>', 'verifier profile').choices(['strict', 'n8n']).default('strict'),
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 valid, 1 invalid, 2 usage error.\n\nExample:\n  n8n-embed token inspect eyJhbGciOi...\n  pbpaste | n8n-embed token inspect - --trusted-keys trusted-keys.json --profile n8n',
    )
    .action(lazy(() => import('./commands/token-inspect.js')));

  program
    .command('dev')
    .description('a local n8n-compatible /rest/auth/embed for portal development (no n8n needed)')
    .option('--port <port>', 'port on 127.0.0.1', '5678')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .requiredOption('--trusted-keys <file>', "n8n's trusted-keys JSON")
    .option('--audience <url>', 'the audience tokens must name (default: the keys\u2019 expectedAudience)')
    .option(
      '--portal-origin <origin...>',
      'a portal that may frame it: logins from the browser helper get the embed handshake, pages the bridge',
    )
    .addOption(
      new Option('--profile <profile>', 'verifier profile').choices(['strict', 'n8n']).default('strict'),
    )
    .addHelpText(
      'after',
      '\nServes GET/POST /rest/auth/embed with n8n\u2019s statuses and messages, a session cookie, GET /rest/login,\nand a page at every other path showing who is signed in.\n\nExample:\n  n8n-embed dev --trusted-keys trusted-keys.json --audience http://127.0.0.1:5678/',
    )
    .action(lazy(() => import('./commands/dev.js')));

  return program;
}
