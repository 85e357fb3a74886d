import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ALGORITHMS,
  type Algorithm,
  DEFAULT_LIFETIME_SECONDS,
  decodeBase64url,
  MAX_LIFETIME_SECONDS,
} from '@n8n-embed/protocol';
import { type Command, Option } from 'commander';
import { audienceOption, issuerOption, wholeNumber } from '../flags.js';
import { CliError } from '../io.js';
import { readKeyFile } from '../key-file.js';
import type { CommandRun, LazyAction } from '../program.js';

interface Options {
  readonly key: string;
  readonly kid?: string;
  readonly alg?: Algorithm;
  readonly issuer: string;
  readonly audience: string;
  readonly sub: string;
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly role?: string;
  readonly lifetime: number;
  readonly n8nUrl?: string;
  readonly redirectTo?: string;
  readonly form?: string;
  readonly json?: boolean;
}

export function tokenMintCommand(parent: Command, lazy: LazyAction): Command {
  return (
    parent
      .command('mint')
      .description('mint a login token, or the login URL, or the auto-submitting form')
      .requiredOption('--key <file>', 'the private key: JWK, one-key JWKS or PKCS#8 PEM (from keys generate)')
      .option('--kid <id>', "picks the key of a JWKS; names a PEM key (default: the key's kid)")
      .addOption(
        new Option('--alg <alg>', "for a key that does not say (default: the key's alg)").choices(ALGORITHMS),
      )
      .addOption(issuerOption("the portal's issuer URL").makeOptionMandatory())
      .addOption(audienceOption("the key's expectedAudience, usually n8n's URL").makeOptionMandatory())
      .requiredOption('--sub <id>', "the portal's user id")
      .option('--email <address>')
      .option('--email-verified', 'the email is verified (needed for a first login)')
      .option('--given-name <name>')
      .option('--family-name <name>')
      .option('--role <role>', 'e.g. global:member')
      .option(
        '--lifetime <seconds>',
        `token lifetime, at most ${MAX_LIFETIME_SECONDS}`,
        wholeNumber(1, MAX_LIFETIME_SECONDS, ' of seconds'),
        DEFAULT_LIFETIME_SECONDS,
      )
      .option('--n8n-url <url>', 'print the login URL for this n8n instead of the bare token')
      .option('--redirect-to <path>', 'where n8n lands after the login (with --n8n-url)')
      .option('--form <file>', 'write the auto-submitting POST form to this file (with --n8n-url)')
      .option('--json', 'print the token, its claims and expiry (and the URL or form) as JSON')
      .addHelpText(
        'after',
        '\nExample:\n  n8n-embed token mint --key keys/portal.private.jwk --issuer https://portal.example.com \\\n    --audience https://n8n.example.com --sub user-1 --email ada@example.com --email-verified \\\n    --n8n-url https://n8n.example.com --redirect-to /home/workflows',
      )
      // `run` is below in this module: no self-import (a bundler cannot split a module from itself).
      .action(lazy(async () => ({ run })))
  );
}

export const run: CommandRun<Options> = async (options, io) => {
  if ((options.redirectTo || options.form) && !options.n8nUrl) {
    throw new CliError(`${options.form ? '--form' : '--redirect-to'}: needs --n8n-url`, 2);
  }
  const key = await readKeyFile(io, {
    file: options.key,
    flag: '--key',
    want: 'private',
    kid: options.kid,
    alg: options.alg,
  });
  io.stderr(`--key: ${options.key}: ${key.found}\n`);
  const { buildLoginUrl, createLoginSigner, renderLoginForm } = await import('@n8n-embed/sdk');
  const signer = await createLoginSigner({
    privateKey: key.jwk,
    alg: key.alg,
    issuer: options.issuer,
    audience: options.audience,
    lifetimeSeconds: options.lifetime,
    now: io.now,
  });
  const token = await signer.mint({
    sub: options.sub,
    ...(options.email !== undefined ? { email: options.email } : {}),
    ...(options.emailVerified ? { emailVerified: true } : {}),
    ...(options.givenName !== undefined ? { givenName: options.givenName } : {}),
    ...(options.familyName !== undefined ? { familyName: options.familyName } : {}),
    ...(options.role !== undefined ? { role: options.role } : {}),
  });
  const target = { ...(options.redirectTo ? { redirectTo: options.redirectTo } : {}) };
  const url = options.n8nUrl ? buildLoginUrl({ n8nUrl: options.n8nUrl, token, ...target }) : undefined;
  let form: string | undefined;
  if (options.form && options.n8nUrl) {
    form = resolve(io.cwd, options.form);
    await writeFile(form, renderLoginForm({ n8nUrl: options.n8nUrl, token, ...target }).body, {
      mode: 0o600,
    }).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`--form: cannot write ${options.form} (${error.code ?? error.message})`);
    });
  }
  if (options.json) {
    // The claims as signed: the payload segment of the token just minted.
    const claims = JSON.parse(new TextDecoder().decode(decodeBase64url(token.split('.')[1] ?? '')));
    const expiresAt = new Date(claims.exp * 1000).toISOString();
    io.stdout(
      `${JSON.stringify({ token, claims, expiresAt, ...(url ? { url } : {}), ...(form ? { form } : {}) }, null, 2)}\n`,
    );
  } else if (form) io.stdout(`${form}\n`);
  else io.stdout(`${url ?? token}\n`);
  return 0;
};
