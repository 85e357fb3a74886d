import { ALGORITHMS, type Algorithm, DEFAULT_ROLE, parseTrustedKeys } from '@n8n-embed/protocol';
import { type Command, Option } from 'commander';
import { audienceOption, issuerOption } from '../flags.js';
import { CliError, readJson } from '../io.js';
import { readKeyFile } from '../key-file.js';
import type { CommandRun, LazyAction } from '../program.js';

interface Options {
  readonly publicKey?: string;
  readonly kid?: string;
  readonly alg?: Algorithm;
  readonly issuer?: string;
  readonly audience?: string;
  readonly allowedRoles: string;
  readonly requireVerifiedEmail?: 'true' | 'false';
  readonly merge?: string;
  readonly removeKid?: string;
}

const ROTATION = `
Zero-downtime key rotation:
  1. n8n-embed keys generate --out keys                       # a new key, kid portal-<date>-<id>
  2. n8n-embed keys trusted-config --public-key keys/NEW.public.jwk \\
       --issuer https://portal.example.com --audience https://n8n.example.com \\
       --merge trusted-keys.json > trusted-keys.next.json      # old and new kid both trusted
  3. deploy trusted-keys.next.json to n8n, then switch the portal's signer to the new key
  4. after the last old token expired (60 s), retire the old kid:
     n8n-embed keys trusted-config --merge trusted-keys.next.json --remove-kid OLD > trusted-keys.json`;

export function keysTrustedConfigCommand(parent: Command, lazy: LazyAction): Command {
  return (
    parent
      .command('trusted-config')
      .description("print n8n's N8N_TOKEN_EXCHANGE_TRUSTED_KEYS JSON for a portal key")
      .option('--public-key <file>', 'the public key: JWK, one-key JWKS or SPKI PEM (from keys generate)')
      .option('--kid <id>', "picks the key of a JWKS; names a PEM key (default: the PEM's file name)")
      .addOption(
        new Option('--alg <alg>', 'for a key that does not say (default: inferred)').choices(ALGORITHMS),
      )
      .addOption(issuerOption("the portal's issuer URL (the tokens' iss)"))
      .addOption(
        audienceOption(
          "n8n's expectedAudience, the tokens' aud: any string both sides agree on, usually n8n's URL",
        ),
      )
      .option('--allowed-roles <roles>', 'comma-separated roles this key may log in as', DEFAULT_ROLE)
      .addOption(
        new Option(
          '--require-verified-email <bool>',
          'link or create users only with email_verified',
        ).choices(['true', 'false']),
      )
      .option('--merge <file>', 'an existing trusted-keys JSON to add to')
      .option('--remove-kid <kid>', 'retire this kid from the merged configuration')
      .addHelpText(
        'after',
        `\nallowedRoles is ["${DEFAULT_ROLE}"] unless --allowed-roles says otherwise: a key that may\nlog in as any role is one leaked key away from an admin session.\n\nExample:\n  n8n-embed keys trusted-config --public-key keys/portal-2026-11-24-ab12cd.public.jwk \\\n    --issuer https://portal.example.com --audience https://n8n.example.com > trusted-keys.json\n${ROTATION}`,
      )
      // `run` is below in this module: no self-import (a bundler cannot split a module from itself).
      .action(lazy(async () => ({ run })))
  );
}

export const run: CommandRun<Options> = async (options, io) => {
  if (options.publicKey === undefined && options.removeKid === undefined) {
    throw new CliError('give --public-key (add a key) or --merge with --remove-kid (retire one)', 2);
  }
  if (options.removeKid !== undefined && options.merge === undefined)
    throw new CliError('--remove-kid: needs --merge (the configuration to retire the key from)', 2);
  const { trustedKeyEntry, updateTrustedKeys } = await import('@n8n-embed/sdk');
  const existing = options.merge
    ? parseTrustedKeys(await readJson(io, options.merge, '--merge'), { source: options.merge })
    : [];
  let add: Awaited<ReturnType<typeof trustedKeyEntry>> | undefined;
  if (options.publicKey !== undefined) {
    if (!options.issuer || !options.audience)
      throw new CliError('--public-key: needs --issuer and --audience', 2);
    const roles = options.allowedRoles
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean);
    if (roles.length === 0)
      throw new CliError('--allowed-roles: give at least one role, e.g. global:member', 2);
    const key = await readKeyFile(io, {
      file: options.publicKey,
      flag: '--public-key',
      want: 'public',
      kid: options.kid,
      alg: options.alg,
    });
    io.stderr(`--public-key: ${options.publicKey}: ${key.found}\n`);
    add = await trustedKeyEntry({
      publicJwk: key.jwk,
      issuer: options.issuer,
      audience: options.audience,
      allowedRoles: roles,
      ...(options.requireVerifiedEmail
        ? { requireVerifiedEmail: options.requireVerifiedEmail === 'true' }
        : {}),
    });
  }
  const result = updateTrustedKeys(existing, {
    ...(add ? { add } : {}),
    ...(options.removeKid ? { removeKid: options.removeKid } : {}),
  });
  if (result.length === 0)
    throw new CliError(
      `--remove-kid: ${options.removeKid} is the only key; n8n would trust nothing. Add the next key first (--public-key with --merge), then retire this one`,
    );
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  io.stderr(
    'Set this as N8N_TOKEN_EXCHANGE_TRUSTED_KEYS, or save it and point N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE at it.\n',
  );
  return 0;
};
